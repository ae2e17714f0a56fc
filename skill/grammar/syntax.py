"""The rule syntax of the grammar, expanded into sample utterances.

A rule is words and three kinds of brackets: `(a|b c)` one of the alternatives, `[a|b c]` one of
them or nothing, `{slot}` a slot reference. Brackets nest. "[can you] count [a bit|a little]
{pace}" yields six samples. `<name>` stands for a phrase class defined once in grammar.yaml
(`<workout>`: "workout", "session", "band workout", ...), read as `(its alternatives)`; a class
may name other classes. Contractions are written once: each word listed in the grammar's
contraction table also yields its long form ("what's" and "what is").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

TOKEN = re.compile(r"\{\w+\}|[()\[\]|]|[^\s()\[\]|{}]+")
SLOT = re.compile(r"\{(\w+)\}")
PHRASE = re.compile(r"<([\w-]+)>")
MAX_PHRASE_DEPTH = 8  # classes naming classes; deeper is a cycle

Words = tuple[str, ...]


class GrammarError(ValueError):
    """A rule that cannot be read, or a grammar that breaks one of Alexa's limits."""


@dataclass(frozen=True)
class _Parser:
    rule: str
    tokens: list[str]

    def alternatives(self, at: int, closing: str | None) -> tuple[list[list[Words]], int]:
        """Alternatives up to `closing`: each a list of choices, one per position."""
        options: list[list[Words]] = []
        current: list[Words] = [()]
        while at < len(self.tokens):
            token = self.tokens[at]
            if token == closing:
                options.append(current)
                return options, at + 1
            if token in ")]":
                raise GrammarError(f"unbalanced {token!r} in rule {self.rule!r}")
            if token == "|":
                if closing is None:
                    raise GrammarError(f"'|' outside brackets in rule {self.rule!r}")
                options.append(current)
                current = [()]
                at += 1
                continue
            if token in "([":
                inner, at = self.alternatives(at + 1, ")" if token == "(" else "]")
                choices = [seq for option in inner for seq in option]
                if token == "[":
                    choices = [(), *choices]
                current = [left + right for left in current for right in choices]
                continue
            current = [(*left, token) for left in current]
            at += 1
        if closing is not None:
            raise GrammarError(f"missing {closing!r} in rule {self.rule!r}")
        options.append(current)
        return options, at


def expand(rule: str, contractions: Mapping[str, str] | None = None,
           phrases: Mapping[str, str] | None = None) -> list[str]:
    """Every sample the rule yields, in order, without repeats; `phrases` defines the classes
    the rule may name as `<name>`."""
    parser = _Parser(rule, TOKEN.findall(with_phrases(rule, phrases or {}).lower()))
    options, _ = parser.alternatives(0, None)
    found: dict[str, None] = {}
    for sequence in options[0]:
        if not sequence:
            raise GrammarError(f"rule {rule!r} can yield an empty sample")
        for long_form in _long_forms(sequence, contractions or {}):
            found.setdefault(" ".join(long_form))
    return list(found)


def with_phrases(rule: str, phrases: Mapping[str, str]) -> str:
    """The rule with each `<name>` replaced by `(the class's alternatives)`; an unknown class or
    one that names itself, directly or not, is an error."""
    for _ in range(MAX_PHRASE_DEPTH + 1):
        unknown = [name for name in PHRASE.findall(rule) if name not in phrases]
        if unknown:
            raise GrammarError(f"rule {rule!r} names unknown phrase classes {unknown}")
        if not PHRASE.search(rule):
            return rule
        rule = PHRASE.sub(lambda found: f"({phrases[found.group(1)]})", rule)
    raise GrammarError(f"phrase classes nest more than {MAX_PHRASE_DEPTH} deep (a cycle?)")


def _long_forms(words: Words, contractions: Mapping[str, str]) -> Iterator[Words]:
    """The words as written, then with each listed contraction also spelled out."""
    if not words:
        yield ()
        return
    first, rest = words[0], words[1:]
    heads: list[Words] = [(first,)]
    if first in contractions:
        heads.append(tuple(contractions[first].split()))
    for tail in _long_forms(rest, contractions):
        for head in heads:
            yield head + tail


def slot_names(sample: str) -> list[str]:
    """The slots a sample refers to, in order."""
    return SLOT.findall(sample)
