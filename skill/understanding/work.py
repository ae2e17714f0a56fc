"""What matching one utterance cost, counted rather than timed, so tests can bound it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Work:
    """Counters of the matcher's inner loops for one utterance."""

    samples_fitted: int = 0  # samples tried by the exact stage after the cheap word filter
    alignment_cells: int = 0  # cells of the tolerant stage's alignment tables
    slot_spans: int = 0  # word spans tried as a slot value

    @property
    def total(self) -> int:
        return self.samples_fitted + self.alignment_cells + self.slot_spans
