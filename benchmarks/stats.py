"""The figures a benchmark reports: percentiles, medians, ratios, and targets met or missed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], pct: float) -> float:
    """The `pct` percentile (0..100) by linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile out of range: {pct}")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


def ratio(value: float, baseline: float) -> float:
    """value / baseline; infinite when the baseline is zero and the value is not."""
    if baseline == 0:
        return 0.0 if value == 0 else math.inf
    return value / baseline


@dataclass(frozen=True)
class Target:
    """A performance target: a figure compared against a bound."""

    name: str
    value: float
    bound: float
    at_most: bool = True  # False: the value must be at least the bound
    strict: bool = False  # True: strictly below (or above) the bound

    @property
    def met(self) -> bool:
        if self.at_most:
            return self.value < self.bound if self.strict else self.value <= self.bound
        return self.value > self.bound if self.strict else self.value >= self.bound

    @property
    def verdict(self) -> str:
        return "PASS" if self.met else "MISS"

    def describe(self) -> str:
        sign = ("<" if self.strict else "<=") if self.at_most else (">" if self.strict else ">=")
        return f"{self.name}: {self.value:.3g} {sign} {self.bound:g}"
