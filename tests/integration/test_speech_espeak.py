"""An independent check of the builder's clock: the longest responses of a week-4 workout are
spoken by espeak-ng (SSML mode, breaks honoured) and the audio is measured with sox."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from skill.speech.ssml import MAX_RESPONSE_SECONDS, Speech
from skill.speech.workout import plan_turns
from tests.unit.test_speech_workout import OPENING, WORDS, make_plan

pytestmark = pytest.mark.integration

# espeak-ng opens and closes an utterance with a little silence; allow that much beyond the
# estimate (the estimate otherwise runs 5-15 % over espeak-ng's measured time).
TOLERANCE_SECONDS = 0.5
ADJACENT_BREAKS = re.compile(r'(?:<break time="\d+ms"/>)+')


def tools_or_skip() -> None:
    missing = [tool for tool in ("espeak-ng", "soxi") if shutil.which(tool) is None]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"{' and '.join(missing)} not installed (CI installs them via .ci/run)")
    assert not missing, f"CI must have {missing}"


def for_espeak(ssml: str) -> str:
    """espeak-ng keeps only the first of several adjacent breaks: give it their sum as one."""

    def merged(match: re.Match[str]) -> str:
        milliseconds = sum(int(ms) for ms in re.findall(r"(\d+)ms", match.group(0)))
        return f'<break time="{milliseconds}ms"/>'

    return ADJACENT_BREAKS.sub(merged, ssml)


def measured_seconds(speech: Speech, wav: Path) -> float:
    subprocess.run(
        ["espeak-ng", "-m", "-w", str(wav), for_espeak(speech.ssml())],
        check=True,
        capture_output=True,
    )
    duration = subprocess.run(
        ["soxi", "-D", str(wav)], check=True, capture_output=True, text=True
    ).stdout
    return float(duration)


@pytest.mark.parametrize("pace", [0, 2])
def test_the_longest_response_lasts_no_longer_than_estimated(pace: int, tmp_path: Path) -> None:
    """The longest response of a week-4 workout, spoken, lasts at most 240 s and no longer than
    the builder's estimate."""
    tools_or_skip()
    turns = plan_turns(make_plan(4, pace=pace), WORDS, opening=OPENING)
    longest = max(turns, key=lambda turn: turn.speech.seconds).speech
    seconds = measured_seconds(longest, tmp_path / "longest.wav")
    print(
        f"\npace {pace:+d}: longest response estimated {longest.seconds:.1f} s, "
        f"espeak-ng {seconds:.1f} s, {longest.characters} SSML characters"
    )
    assert seconds <= MAX_RESPONSE_SECONDS
    assert seconds <= longest.seconds + TOLERANCE_SECONDS


def test_chained_breaks_are_merged_only_for_espeak() -> None:
    """The espeak rendering keeps the total silence of a chained pause."""
    chained = Speech().say("Rest.").pause(25).say("Go.").ssml()
    assert for_espeak(chained) == '<speak>Rest.<break time="25000ms"/>Go.</speak>'
