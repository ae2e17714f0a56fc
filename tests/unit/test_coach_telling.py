"""Reading what the user said: durations and spoken numbers."""

from __future__ import annotations

import pytest

from skill.coach.run_today import duration_minutes
from skill.locales.numbers import spoken_number


@pytest.mark.parametrize(("duration", "minutes"), [
    ("PT25M", 25), ("PT1H", 60), ("PT1H30M", 90), ("PT45M30S", 45), ("P1D", 1440),
    ("PT", None), ("PT0M", None), ("25 minutes", None), ("", None), (None, None),
])
def test_durations_in_minutes(duration: str | None, minutes: int | None) -> None:
    """AMAZON.DURATION values become whole minutes; anything else is no duration."""
    assert duration_minutes(duration) == minutes


@pytest.mark.parametrize(("heard", "number"), [
    ("9", 9), ("500", 500), ("0", 0), ("nine", 9), ("Twelve", 12), ("?", None),
    ("lots", None), (None, None), ("twenty five", 25), ("thirty-one", 31), ("forty", 40),
])
def test_spoken_numbers(heard: str | None, number: int | None) -> None:
    """Digits and number words are both understood; "?" (heard, not understood) is None."""
    assert spoken_number(heard) == number
