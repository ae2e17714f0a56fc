"""Turns a typed utterance into what Alexa would send: launch, or an intent with resolved slots.

Matching works over a locale's interaction model: first the samples literally (slots filled by
custom values and synonyms, unknown words as ER_SUCCESS_NO_MATCH, AMAZON.NUMBER and
AMAZON.DURATION phrases; a sample that is a slot alone, such as "{band}", takes only known
values, or any word at all would be that intent), then, when no sample fits, a tolerant word
alignment that forgives small differences in wording. Anything too far from every sample is
AMAZON.FallbackIntent. Kinds: "launch" (the skill named with nothing to do), "intent", "end"
("exit": the session ends, as a device sends SessionEndedRequest), "silence" (nothing said).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Final, Literal

from skill.chat.durations import DURATION_WORDS, parse_duration
from skill.chat.numbers import NUMBER_WORDS, parse_number

# Where the models live: beside the package in a source checkout, else the working directory.
MODEL_DIRS = (Path(__file__).resolve().parents[2] / "interaction_models",
              Path("interaction_models"))
FALLBACK = "AMAZON.FallbackIntent"
MATCH: Final = "ER_SUCCESS_MATCH"
NO_MATCH: Final = "ER_SUCCESS_NO_MATCH"
# An unknown custom slot value is at most this long and needs a word the model does not know,
# so "yes please" is not a pace called "yes".
MAX_UNKNOWN_WORDS = 3
SAME_WORD = 0.2  # cost of a plural for a singular ("set" for "sets")
OTHER_WORD = 1.5  # one meaningful word for another changes the request ("reps" for "rounds")
TOLERANCE = 0.34  # highest alignment cost per word that still counts as understood

Kind = Literal["launch", "intent", "end", "silence"]
Status = Literal["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"]

CONTRACTIONS = {
    "what's": "what is", "whats": "what is", "i'm": "i am", "im": "i am", "i've": "i have",
    "ive": "i have", "i'll": "i will", "it'll": "it will", "itll": "it will", "i'd": "i would",
    "it's": "it is", "that's": "that is", "thats": "that is", "how's": "how is", "hows": "how is",
    "when's": "when is", "whens": "when is", "where's": "where is", "there's": "there is",
    "let's": "let us", "lets": "let us", "can't": "cannot", "cant": "cannot", "don't": "do not",
    "dont": "do not", "didn't": "did not", "didnt": "did not", "you're": "you are",
    "we're": "we are", "wanna": "want to", "gonna": "going to", "ok": "okay", "u": "you",
    "ur": "your", "pls": "please", "plz": "please", "sec": "second", "secs": "seconds",
}
FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm"})
# Words a speaker adds or drops without changing what they ask: cheap in the tolerant alignment.
OPTIONAL = frozenset({
    "please", "now", "my", "the", "a", "an", "just", "so", "and", "then", "can", "could",
    "would", "you", "me", "i", "to", "do", "is", "am", "are", "it", "this", "that", "of", "for",
    "okay", "right", "hey", "really", "actually", "be", "going", "want", "like", "need", "some",
    "on", "in", "at", "with", "today", "us", "let", "what", "how",
})
LAUNCH_VERBS = (("open",), ("launch",), ("start",), ("begin",), ("load",), ("run",), ("use",),
                ("play",), ("talk", "to"), ("open", "up"), ())
ASK_VERBS = (("ask",), ("tell",), ("have",), ("use",))
ASK_JOINS = frozenset({"to", "that", "about", "for"})
TRAILING_JOINS = frozenset({"with", "using", "from", "on", "in"})


class UnknownLocale(LookupError):
    """No interaction model exists for the locale."""


@dataclass(frozen=True)
class SlotValue:
    """A filled slot: the words heard (digits or ISO 8601 for built-ins) and their resolution."""

    name: str
    value: str
    resolved_id: str | None = None
    resolved_name: str | None = None
    status: Status | None = None


@dataclass(frozen=True)
class Understood:
    """What an utterance means; `exact` is True when a sample matched literally."""

    kind: Kind
    intent: str | None = None
    slots: dict[str, SlotValue] = field(default_factory=dict)
    exact: bool = False
    invoked: bool = False  # the utterance named the skill ("ask band coach to ...")


@dataclass(frozen=True)
class SlotRef:
    name: str
    type: str
    known_only: bool = False  # unknown custom values are refused: the slot is the whole sample


Element = str | SlotRef


@dataclass(frozen=True)
class Sample:
    intent: str
    text: str
    elements: tuple[Element, ...]
    literals: frozenset[str] = field(init=False)
    content_stems: frozenset[str] = field(init=False)  # meaningful words, plurals folded
    slot_types: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        words = frozenset(e for e in self.elements if isinstance(e, str))
        object.__setattr__(self, "literals", words)
        stems = frozenset(w.rstrip("s") for w in words if w not in OPTIONAL)
        object.__setattr__(self, "content_stems", stems)
        types = frozenset(e.type for e in self.elements if isinstance(e, SlotRef))
        object.__setattr__(self, "slot_types", types)


@dataclass(frozen=True)
class CustomValue:
    id: str
    name: str


@dataclass(frozen=True)
class Candidate:
    """One way a slot can take the words tokens[start:end]; `cost` > 0 for unknown words."""

    end: int
    slot: SlotValue
    cost: float


@dataclass(frozen=True)
class InteractionModel:
    """A locale's language model, compiled for matching."""

    locale: str
    invocation_name: str
    intent_slots: Mapping[str, Mapping[str, str]]  # intent -> slot name -> slot type
    samples: tuple[Sample, ...]
    custom_types: Mapping[str, Mapping[tuple[str, ...], CustomValue]]
    literal_index: Mapping[tuple[str, ...], Sample]
    vocabulary: frozenset[str]

    @classmethod
    def load(cls, locale: str) -> InteractionModel:
        """The model in interaction_models/<locale>.json, compiled once per locale."""
        return _load(locale)

    @classmethod
    def from_json(cls, locale: str, document: Mapping[str, object]) -> InteractionModel:
        """Compiles a parsed interaction-model document."""
        language = document["interactionModel"]["languageModel"]  # type: ignore[index]
        intents = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                   for i in language["intents"]}
        samples = tuple(
            Sample(i["name"], text, compile_sample(text, intents[i["name"]]))
            for i in language["intents"] for text in i.get("samples", [])
        )
        custom = {t["name"]: _custom_values(t["values"]) for t in language.get("types", [])}
        literal_index: dict[tuple[str, ...], Sample] = {}
        for sample in samples:
            if all(isinstance(e, str) for e in sample.elements):
                literal_index.setdefault(tuple(map(str, sample.elements)), sample)
        words = {w for s in samples for w in s.literals}
        words |= {w for values in custom.values() for phrase in values for w in phrase}
        words |= NUMBER_WORDS | DURATION_WORDS  # "nine please" is no pace called "nine"
        return cls(locale, language["invocationName"], intents, samples, custom,
                   literal_index, frozenset(words))

    def knows(self, words: Sequence[str]) -> bool:
        """Every word is in a sample or a custom value, or is a number."""
        return all(word in self.vocabulary or word.isdigit() for word in words)


@cache
def _load(locale: str) -> InteractionModel:
    paths = [folder / f"{locale}.json" for folder in MODEL_DIRS]
    found = [path for path in paths if path.is_file()]
    if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", locale) or not found:
        raise UnknownLocale(f"no interaction model for {locale!r} in {', '.join(map(str, paths))}")
    return InteractionModel.from_json(locale, json.loads(found[0].read_text(encoding="utf-8")))


def _custom_values(values: Sequence[Mapping[str, object]]) -> dict[tuple[str, ...], CustomValue]:
    table: dict[tuple[str, ...], CustomValue] = {}
    for entry in values:
        name = entry["name"]
        assert isinstance(name, dict)
        value = CustomValue(str(entry.get("id") or name["value"]), str(name["value"]))
        for phrase in (name["value"], *name.get("synonyms", [])):
            table.setdefault(tuple(normalise(str(phrase))), value)
    return table


def normalise(text: str) -> list[str]:
    """Lowercase words without punctuation, fillers or contractions ("What's" -> "what is")."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", re.sub(r"[-_/]", " ", text))
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    words: list[str] = []
    for raw in text.split():
        word = raw.strip("'")
        word = CONTRACTIONS.get(word, word).replace("'", "")
        words.extend(w for w in word.split() if w and w not in FILLERS)
    return words


def compile_sample(text: str, slots: Mapping[str, str]) -> tuple[Element, ...]:
    """A sample's words and slot references; a reference to an undeclared slot is an error."""
    elements: list[Element] = []
    for part in re.split(r"(\{\w+\})", text):
        if part.startswith("{"):
            name = part[1:-1]
            if name not in slots:
                raise ValueError(f"sample {text!r} uses undeclared slot {name!r}")
            elements.append(SlotRef(name, slots[name]))
        else:
            elements.extend(normalise(part))
    if len(elements) == 1 and isinstance(elements[0], SlotRef):
        return (replace(elements[0], known_only=True),)
    return tuple(elements)


def understand(model: InteractionModel, utterance: str, *, tolerant: bool = True) -> Understood:
    """What Alexa would make of the utterance; with tolerant=False only literal sample matches."""
    words = normalise(utterance)
    if words[:1] == ["alexa"]:
        words = words[1:]
    if not words:
        return Understood("silence")
    if words == ["exit"]:
        return Understood("end")
    invocation = normalise(model.invocation_name)
    inner = _strip_invocation(words, invocation)
    if inner is None:
        return _match(model, words, tolerant)
    if not inner:
        return Understood("launch", invoked=True)
    found = _match(model, inner, tolerant)
    return Understood(found.kind, found.intent, found.slots, found.exact, invoked=True)


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


def _match(model: InteractionModel, words: list[str], tolerant: bool) -> Understood:
    literal = model.literal_index.get(tuple(words))
    if literal is not None:
        return Understood("intent", literal.intent, exact=True)
    candidates = _SlotCandidates(model, words)
    best: tuple[tuple[float, int, int], Sample, dict[str, SlotValue]] | None = None
    present = set(words)
    for order, sample in enumerate(model.samples):
        if not sample.literals <= present:
            continue
        for slots, unknown in _exact(sample.elements, 0, 0, words, candidates):
            rank = (float(unknown), -len(sample.literals), order)
            if best is None or rank < best[0]:
                best = (rank, sample, slots)
    if best is not None:
        return Understood("intent", best[1].intent, _named(best[2]), exact=True)
    near = _nearest(model, words, candidates) if tolerant else None
    if near is not None:
        return Understood("intent", near[0].intent, _named(near[1]))
    return Understood("intent", FALLBACK)


def _named(slots: Mapping[str, SlotValue]) -> dict[str, SlotValue]:
    return {name: replace(value, name=name) for name, value in slots.items()}


def _exact(elements: Sequence[Element], i: int, j: int, words: list[str],
           candidates: _SlotCandidates) -> Iterator[tuple[dict[str, SlotValue], int]]:
    """Every way the elements from i match the words from j exactly: (slots, unknown slots)."""
    if i == len(elements):
        if j == len(words):
            yield {}, 0
        return
    element = elements[i]
    if isinstance(element, str):
        if j < len(words) and words[j] == element:
            yield from _exact(elements, i + 1, j + 1, words, candidates)
        return
    for candidate in candidates.at(element, j):
        for slots, unknown in _exact(elements, i + 1, candidate.end, words, candidates):
            yield {element.name: candidate.slot, **slots}, unknown + (candidate.cost > 0)


class _SlotCandidates:
    """The ways each slot type can take words starting at each position, computed on demand."""

    def __init__(self, model: InteractionModel, words: list[str]) -> None:
        self.model, self.words = model, words
        self.cache: dict[tuple[str, int], list[Candidate]] = {}

    def at(self, ref: SlotRef, start: int) -> list[Candidate]:
        """Candidates for the slot's type; their SlotValue names are filled in by `_named`."""
        key = (ref.type, start)
        if key not in self.cache:
            self.cache[key] = list(self._find(ref.type, start))
        found = self.cache[key]
        return [c for c in found if c.cost == 0] if ref.known_only else found

    def known_types(self) -> frozenset[str]:
        """Slot types that take some of the words as a known value, number or duration."""
        return frozenset(
            ref_type for ref_type in (*self.model.custom_types, "AMAZON.NUMBER", "AMAZON.DURATION")
            if any(c.cost == 0 for start in range(len(self.words))
                   for c in self.at(SlotRef("", ref_type), start))
        )

    def _find(self, slot_type: str, start: int) -> Iterator[Candidate]:
        words = self.words
        for end in range(start + 1, min(len(words), start + 10) + 1):
            span = words[start:end]
            spoken = " ".join(span)
            if slot_type == "AMAZON.NUMBER":
                number = parse_number(span)
                if number is not None:
                    yield Candidate(end, SlotValue("", str(number)), 0.0)
            elif slot_type == "AMAZON.DURATION":
                duration = parse_duration(span)
                if duration is not None:
                    yield Candidate(end, SlotValue("", duration), 0.0)
            else:
                known = self.model.custom_types.get(slot_type, {}).get(tuple(span))
                if known is not None:
                    yield Candidate(end, SlotValue("", spoken, known.id, known.name, MATCH), 0.0)
                elif end - start <= MAX_UNKNOWN_WORDS and not self.model.knows(span):
                    yield Candidate(end, SlotValue("", spoken, status=NO_MATCH), 0.6)


def _nearest(model: InteractionModel, words: list[str],
             candidates: _SlotCandidates) -> tuple[Sample, dict[str, SlotValue]] | None:
    """The sample closest to the words by weighted word alignment, if close enough.

    Close enough: a low cost per word, and the words that carry meaning (not in OPTIONAL) are
    mostly matched by sample words or known slot values.
    """
    content = {w for w in words if w not in OPTIONAL}
    if not content:
        return None
    known_types = candidates.known_types()
    stems = {w.rstrip("s") for w in words}
    best: tuple[float, Sample, dict[str, SlotValue]] | None = None
    for sample in model.samples:
        if not sample.literals & content and not sample.slot_types & known_types:
            continue
        floor = _least_cost(sample, content, stems) / max(len(sample.elements), len(words))
        if floor > TOLERANCE or (best is not None and floor >= best[0]):
            continue
        cost, slots, covered, sample_hits = _align(sample.elements, words, candidates)
        per_word = cost / max(len(sample.elements), len(words))
        if per_word > TOLERANCE or (best is not None and per_word >= best[0]):
            continue
        if _meaning_kept(words, slots, covered, model.vocabulary, sample, sample_hits):
            best = (per_word, sample, slots)
    return None if best is None else (best[1], best[2])


def _least_cost(sample: Sample, content: set[str], stems: set[str]) -> float:
    """A lower bound of the alignment cost, from meaningful words only one side has (each
    costs at least 1, as an insertion, a deletion or half of a substitution)."""
    missing = sum(1 for w in sample.content_stems if w not in stems)
    if sample.slot_types:
        return float(missing)  # a slot may take any of the utterance's extra words
    extra = sum(1 for w in content if w.rstrip("s") not in sample.content_stems)
    return float(max(missing, extra))


def _meaning_kept(words: list[str], slots: Mapping[str, SlotValue], covered: frozenset[int],
                  vocabulary: frozenset[str], sample: Sample, sample_hits: int) -> bool:
    """Most words that carry meaning are matched; fewer words the model has never heard
    ("joke", "weather") are left over, and fewer of the sample's own words are missing, than
    are matched ("thank you" is not "no thank you"); an unknown slot value needs two; and when
    only slot values matched, nothing meaningful is left over ("skip the bridges" is not
    "how do I do the bridges")."""
    sample_missed = sum(1 for w in sample.literals if w not in OPTIONAL) - sample_hits
    unknown_words = {w for slot in slots.values() if slot.status == NO_MATCH
                     for w in slot.value.split()}
    content = [at for at, w in enumerate(words) if w not in OPTIONAL and w not in unknown_words]
    hits = sum(1 for at in content if at in covered)
    missed = [words[at] for at in content if at not in covered]
    strange = sum(1 for w in missed if w not in vocabulary)
    return (hits >= (2 if unknown_words else 1) and strange < hits and sample_missed < hits
            and len(missed) <= (max(1, len(content) // 3) if sample_hits else 0))


def _word_cost(word: str) -> float:
    return 0.25 if word in OPTIONAL else 1.0


def _same_word(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a.rstrip("s") == b.rstrip("s"):
        return SAME_WORD
    if a in OPTIONAL and b in OPTIONAL:
        return _word_cost(a)
    if a in OPTIONAL or b in OPTIONAL:
        return _word_cost(a) + _word_cost(b)
    return OTHER_WORD


# cost, slots, word positions matched by sample words or known values, sample words matched
Cell = tuple[float, dict[str, SlotValue], frozenset[int], int]


def _align(elements: Sequence[Element], words: list[str],
           candidates: _SlotCandidates) -> Cell:
    """Weighted edit distance between a sample and the words, with what it matched."""
    rows = len(elements) + 1
    cols = len(words) + 1
    table: list[list[Cell | None]] = [[None] * cols for _ in range(rows)]
    table[0][0] = (0.0, {}, frozenset(), 0)
    for i in range(rows):
        for j in range(cols):
            cell = table[i][j]
            if cell is None:
                continue
            cost, slots, covered, matched = cell
            if j < len(words):
                _offer(table, i, j + 1, (cost + _word_cost(words[j]), slots, covered, matched))
            if i == len(elements):
                continue
            element = elements[i]
            if isinstance(element, str):
                _offer(table, i + 1, j, (cost + _word_cost(element), slots, covered, matched))
                if j < len(words):
                    step = _same_word(element, words[j])
                    if step <= SAME_WORD:
                        content = element not in OPTIONAL
                        _offer(table, i + 1, j + 1,
                               (cost + step, slots, covered | {j}, matched + content))
                    else:
                        _offer(table, i + 1, j + 1, (cost + step, slots, covered, matched))
                continue
            _offer(table, i + 1, j, (cost + 0.5, slots, covered, matched))
            for candidate in candidates.at(element, j):
                known = set(range(j, candidate.end)) if candidate.cost == 0 else set()
                filled = {**slots, element.name: candidate.slot}
                _offer(table, i + 1, candidate.end,
                       (cost + candidate.cost, filled, covered | known, matched))
    final = table[-1][-1]
    assert final is not None  # deleting every element and inserting every word always aligns
    return final


def _offer(table: list[list[Cell | None]], i: int, j: int, cell: Cell) -> None:
    current = table[i][j]
    if current is None or cell[0] < current[0]:
        table[i][j] = cell
