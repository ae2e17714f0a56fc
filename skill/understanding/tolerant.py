"""Stage four: when no sample fits exactly, a weighted word alignment that forgives small
differences in wording ("count slower pls" for "count {pace} please").

Each sample is aligned with the words by an edit distance whose costs say what a difference
means: dropping "please" costs little, a plural for a singular less, one meaningful word for
another a lot. The nearest sample wins if its cost per word is within TOLERANCE and the words
that carry meaning are mostly matched; a lower bound skips samples that cannot win.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from skill.understanding.compiled import (
    NO_MATCH,
    OPTIONAL,
    Element,
    InteractionModel,
    Sample,
    SlotValue,
)
from skill.understanding.slots import SlotCandidates

SAME_WORD: Final = 0.2  # cost of a plural for a singular ("set" for "sets")
OTHER_WORD: Final = 1.5  # one meaningful word for another changes the request ("reps"/"rounds")
OPTIONAL_WORD: Final = 0.25  # a word of OPTIONAL added or dropped
CONTENT_WORD: Final = 1.0  # a meaningful word added or dropped
SKIPPED_SLOT: Final = 0.5  # a slot of the sample left unfilled
TOLERANCE: Final = 0.34  # highest alignment cost per word that still counts as understood

# cost, slots, word positions matched by sample words or known values, sample words matched
Cell = tuple[float, dict[str, SlotValue], frozenset[int], int]


def nearest(model: InteractionModel, words: list[str],
            candidates: SlotCandidates) -> tuple[Sample, dict[str, SlotValue]] | None:
    """The sample closest to the words by weighted word alignment, if close enough."""
    content = {w for w in words if w not in OPTIONAL}
    if not content:
        return None
    known_types = candidates.known_types()
    stems = {w.rstrip("s") for w in words}
    best: tuple[float, Sample, dict[str, SlotValue]] | None = None
    for sample in model.samples:
        if not sample.literals & content and not sample.slot_types & known_types:
            continue
        size = max(len(sample.elements), len(words))
        floor = _least_cost(sample, content, stems) / size
        if floor > TOLERANCE or (best is not None and floor >= best[0]):
            continue
        cost, slots, covered, sample_hits = _align(sample.elements, words, candidates)
        per_word = cost / size
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
    "how do I do the bridges"); words never heard taken as a slot value need one of the
    sample's own meaningful words beside them ("set a timer" is no weekday)."""
    sample_content = sum(1 for w in sample.literals if w not in OPTIONAL)
    sample_missed = sample_content - sample_hits
    unknown_words = {w for slot in slots.values() if slot.status == NO_MATCH
                     for w in slot.value.split()}
    content = [at for at, w in enumerate(words) if w not in OPTIONAL and w not in unknown_words]
    hits = sum(1 for at in content if at in covered)
    missed = [words[at] for at in content if at not in covered]
    strange = sum(1 for w in missed if w not in vocabulary)
    if unknown_words and sample_content and not sample_hits:
        return False
    return (hits >= (2 if unknown_words else 1) and strange < hits and sample_missed < hits
            and len(missed) <= (max(1, len(content) // 3) if sample_hits else 0))


def _word_cost(word: str) -> float:
    return OPTIONAL_WORD if word in OPTIONAL else CONTENT_WORD


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


def _align(elements: Sequence[Element], words: list[str], candidates: SlotCandidates) -> Cell:
    """Weighted edit distance between a sample and the words, with what it matched."""
    rows, cols = len(elements) + 1, len(words) + 1
    candidates.work.alignment_cells += rows * cols
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
            _offer(table, i + 1, j, (cost + SKIPPED_SLOT, slots, covered, matched))
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
