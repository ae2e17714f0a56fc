"""Stage three: an exact match, a sample's own words with its slots filled.

Every split of the words among a sample's slots is tried, adjacent slots included ("make the
{exercise} {difficulty}"), by dynamic programming over (element, word) positions, so the work
per sample is bounded by elements x words x MAX_SLOT_WORDS however many slots it has. Among
the samples that fit, the one with the fewest unknown slot values wins, then the one with the
most words of its own, then the first in the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from skill.understanding.compiled import InteractionModel, Sample, SlotRef, SlotValue
from skill.understanding.slots import SlotCandidates

# (unknown slot values, slots) for the rest of a sample matched against the rest of the words
Fit = tuple[int, dict[str, SlotValue]]
Rank = tuple[int, int, int]


def exact_match(model: InteractionModel, words: list[str],
                candidates: SlotCandidates) -> tuple[Sample, dict[str, SlotValue]] | None:
    """The best sample matching the words exactly, with its slots, if any does."""
    literal = model.literal_index.get(tuple(words))
    if literal is not None:
        return literal, {}
    present = set(words)
    best: tuple[Rank, Sample, dict[str, SlotValue]] | None = None
    for order, sample in enumerate(model.slotted):
        if not sample.literals <= present or len(sample.elements) > len(words):
            continue
        candidates.work.samples_fitted += 1
        fit = fit_sample(sample.elements, words, candidates)
        if fit is None:
            continue
        rank = (fit[0], -len(sample.literals), order)
        if best is None or rank < best[0]:
            best = (rank, sample, fit[1])
    return None if best is None else (best[1], named(best[2]))


def fit_sample(elements: Sequence[str | SlotRef], words: list[str],
               candidates: SlotCandidates) -> Fit | None:
    """The fit with the fewest unknown values of all the elements to all the words."""
    memo: dict[tuple[int, int], Fit | None] = {}

    def rest(i: int, j: int) -> Fit | None:
        if (i, j) in memo:
            return memo[(i, j)]
        found: Fit | None = None
        if i == len(elements):
            found = (0, {}) if j == len(words) else None
        elif isinstance(elements[i], str):
            if j < len(words) and words[j] == elements[i]:
                found = rest(i + 1, j + 1)
        else:
            ref = elements[i]
            assert isinstance(ref, SlotRef)
            for candidate in candidates.at(ref, j):
                after = rest(i + 1, candidate.end)
                if after is None:
                    continue
                unknown = after[0] + (candidate.cost > 0)
                if found is None or unknown < found[0]:
                    found = (unknown, {ref.name: candidate.slot, **after[1]})
        memo[(i, j)] = found
        return found

    return rest(0, 0)


def named(slots: Mapping[str, SlotValue]) -> dict[str, SlotValue]:
    """Slot values carrying the name of the slot they fill."""
    return {name: replace(value, name=name) for name, value in slots.items()}
