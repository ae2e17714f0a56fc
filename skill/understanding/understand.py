"""Turns a typed utterance into what Alexa would send: launch, or an intent with resolved slots.

The stages: normalising (capped), the exact match against the compiled model, then, when no
sample fits, the tolerant match. Anything too far from every sample, or over the cap, is
AMAZON.FallbackIntent. Kinds: "launch" (the skill named with nothing to do), "intent", "end"
("exit": the session ends, as a device sends SessionEndedRequest), "silence" (nothing said).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Final, Literal

from skill.understanding.compiled import FALLBACK, NO_MATCH, InteractionModel, SlotValue
from skill.understanding.exact import exact_match, named
from skill.understanding.normalising import TooLong, asked_directly, normalise, request_span
from skill.understanding.slots import SlotCandidates
from skill.understanding.tolerant import nearest
from skill.understanding.work import Work

Kind = Literal["launch", "intent", "end", "silence"]
LAUNCH_VERBS: Final = (("open",), ("launch",), ("start",), ("begin",), ("load",), ("run",),
                       ("use",), ("play",), ("talk", "to"), ("open", "up"), ())
ASK_VERBS: Final = (("ask",), ("tell",), ("have",), ("use",))
ASK_JOINS: Final = frozenset({"to", "that", "about", "for"})
TRAILING_JOINS: Final = frozenset({"with", "using", "from", "on", "in"})
MAX_SPLIT_WORDS: Final = 20  # two requests said in one breath are short; longer is not split
CLAUSE_BREAK: Final = re.compile(r"[,;.!?]+|\s[-\u2013\u2014]\s")
NEGATIONS: Final = frozenset({"not", "no", "never", "nor"})
ACKNOWLEDGEMENTS: Final = frozenset({"AMAZON.YesIntent", "AMAZON.NextIntent"})


@dataclass(frozen=True)
class Understood:
    """What an utterance means; `exact` is True when a sample matched literally."""

    kind: Kind
    intent: str | None = None
    slots: dict[str, SlotValue] = field(default_factory=dict)
    exact: bool = False
    invoked: bool = False  # the utterance named the skill ("ask band coach to ...")


def understand(model: InteractionModel, utterance: str, *, tolerant: bool = True,
               work: Work | None = None) -> Understood:
    """What Alexa would make of the utterance; with tolerant=False only exact sample matches.
    `work`, if given, counts what matching cost."""
    try:
        words = normalise(utterance)
    except TooLong:
        return Understood("intent", FALLBACK)
    if words[:1] == ["alexa"]:
        words = words[1:]
    if not words:
        return Understood("silence")
    if words == ["exit"]:
        return Understood("end")
    work = Work() if work is None else work
    clitic = normalise(utterance, clitic_is=True)  # "my knee's sore": "'s" read as "is"
    clitic = clitic[1:] if clitic[:1] == ["alexa"] else clitic
    invocation = normalise(model.invocation_name)
    inner = _strip_invocation(words, invocation)
    parts = partial(_parts, utterance, invocation)  # needed only when nothing else matches
    if inner is None:
        return _match(model, words, _strip_invocation(clitic, invocation) or clitic, parts,
                      tolerant, work)
    if not inner:
        return Understood("launch", invoked=True)
    found = _match(model, inner, _strip_invocation(clitic, invocation) or inner, parts,
                   tolerant, work)
    return Understood(found.kind, found.intent, found.slots, found.exact, invoked=True)


def _parts(utterance: str, invocation: list[str]) -> list[list[str]]:
    """The utterance's clauses as punctuation marks them ("pause for a minute, my phone is
    ringing"), each normalised, the skill's name taken off the first; one clause or none
    when the text marks no boundary."""
    parts = [words for text in CLAUSE_BREAK.split(utterance) if (words := normalise(text))]
    if len(parts) < 2:
        return []
    first = _strip_invocation(parts[0][1:] if parts[0][0] == "alexa" else parts[0], invocation)
    return [first, *parts[1:]] if first else parts


def _strip_invocation(words: list[str], invocation: list[str]) -> list[str] | None:
    """The request inside "ask band coach to X" ([] for a bare launch); None if not invoked."""
    size = len(invocation)
    for at in range(len(words) - size + 1):
        if words[at:at + size] != invocation:
            continue
        before, after = tuple(words[:at]), words[at + size:]
        if before in ASK_VERBS:
            return after[1:] if after[:1] and after[0] in ASK_JOINS else after
        if before in LAUNCH_VERBS:
            return after[1:] if after[:1] == ["and"] else after
        if not after and before[-1:] and before[-1] in TRAILING_JOINS:
            return list(before[:-1])
    return None


def _said_twice(model: InteractionModel, words: list[str],
                work: Work) -> tuple[str, dict[str, SlotValue]] | None:  # fmt: skip
    """ "This is too hard, can you make it easier": two clauses, each a sample of the same
    intent exactly (carrier words left out of each), are that intent with the slots of both
    (the first clause's where both fill one). Clauses of different intents are no match."""
    if len(words) > MAX_SPLIT_WORDS:
        return None
    for at in range(1, len(words)):
        first = _clause(model, words[:at], work)
        if first is None:
            continue
        second = _clause(model, words[at:], work)
        if second is not None and second[0] == first[0]:
            return first[0], {**second[1], **first[1]}
    return None


def _clause(model: InteractionModel, words: list[str],
            work: Work) -> tuple[str, dict[str, SlotValue]] | None:  # fmt: skip
    start, end = request_span(words)
    found = exact_match(model, words[start:end], SlotCandidates(model, words[start:end], work))
    return None if found is None else (found[0].intent, found[1])


def _request_among_remarks(model: InteractionModel, parts: list[list[str]],
                           work: Work) -> tuple[str, dict[str, SlotValue]] | None:  # fmt: skip
    """ "Could you pause for a minute, my phone is ringing": of the clauses the text marks, those
    that are samples name one intent, and the rest are remarks that match nothing and deny
    nothing; that intent, with the matching clauses' slots. A yes or a go-on beside a request
    acknowledges it ("right then, let's do my exercises"). Two requests, or a remark with
    "not" or "no" in it ("skip it, no, not that one"), match nothing."""
    found: list[tuple[str, dict[str, SlotValue]]] = []
    for words in parts:
        direct = asked_directly(words)
        clause = _clause(model, words, work) or (direct and _clause(model, direct, work))
        if clause:
            found.append(clause)
        elif NEGATIONS & set(words):
            return None
    requests = [clause for clause in found if clause[0] not in ACKNOWLEDGEMENTS]
    found = requests or found  # "okay I'm ready, start the workout": the request
    if not found or len({intent for intent, _ in found}) > 1:
        return None
    slots = {name: value for _, said in reversed(found) for name, value in said.items()}
    return found[0][0], slots  # the first clause's value where two fill one slot


def _match(model: InteractionModel, words: list[str], other_reading: list[str],
           parts: Callable[[], list[list[str]]], tolerant: bool,
           work: Work) -> Understood:  # fmt: skip
    """The exact match of the words (the other reading of "'s" where it fills every slot with a
    known value and the first does not), or of two clauses of one intent; then the same for the
    other reading of "'s" if it differs, and for a question asked indirectly put directly;
    then a request among remarks the text marks off; then, if `tolerant`, the nearest
    sample."""
    start, end = request_span(words)  # "okay so ... please": the request between
    words = words[start:end]
    candidates = SlotCandidates(model, words, work)
    found = exact_match(model, words, candidates)
    start, end = request_span(other_reading)
    other_words = other_reading[start:end]
    if found is not None and other_words != words and any(
            v.status == NO_MATCH for v in found[1].values()):
        # "my calf's nipping": "calfs nipping" is no body part; "calf is nipping" is one
        other = _clause(model, other_words, work)
        if other is not None and all(v.status != NO_MATCH for v in other[1].values()):
            return Understood("intent", other[0], other[1], exact=True)
    if found is not None:
        return Understood("intent", found[0].intent, found[1], exact=True)
    twice = _said_twice(model, words, work)
    if twice is not None:
        return Understood("intent", twice[0], twice[1], exact=True)
    for reading in (other_words, asked_directly(words)):
        if reading is None or reading == words:
            continue
        other = _clause(model, reading, work) or _said_twice(model, reading, work)
        if other is not None:
            return Understood("intent", other[0], other[1], exact=True)
    clauses = parts()
    among = _request_among_remarks(model, clauses, work) if clauses else None
    if among is not None:
        return Understood("intent", among[0], among[1], exact=True)
    near = nearest(model, words, candidates) if tolerant else None
    if near is not None:
        return Understood("intent", near[0].intent, named(near[1]))
    return Understood("intent", FALLBACK)
