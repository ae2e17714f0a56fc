"""The local renderer's audio, measured independently: espeak-ng renders every segment of a
week-4 workout to MP3, sox measures the files and decodes them, and rep onsets are found in the
samples. The stream must last as the timeline says, each rest a minute, and the counts must
follow the exercise's tempo."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import wave
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from skill.audio.library import AudioLibrary
from skill.audio.local import LocalRenderer, audio_path
from skill.audio.segments import Segment
from skill.audio.workout import workout_segments
from skill.program.catalogue import CountUnit
from skill.program.plan import PlannedExercise
from tests.unit.test_speech_workout import WORDS, make_plan

pytestmark = pytest.mark.integration

STREAM_TOLERANCE = 0.02  # the whole stream against the timeline
REST_TOLERANCE_SECONDS = 1.0
TEMPO_TOLERANCE = 0.10  # each interval between rep onsets against the tempo's period
FRAME_MS = 10
ONSET_SILENCE_MS = 300  # silence before a sound that makes it an onset: longer than a comma
ONSET_LEVEL = 500  # a frame's peak above this (about -36 dBFS) is sound
TWO_GROUPS = {CountUnit.STEPS_EACH_WAY, CountUnit.STROKES_EACH_LEG}  # "switch" in between
TWO_CALLS_PER_REP = TWO_GROUPS | {CountUnit.REPS_EACH_LEG}


def tools_or_skip() -> None:
    missing = [tool for tool in ("espeak-ng", "sox", "soxi") if shutil.which(tool) is None]
    if not missing and "mp3" not in subprocess.run(["sox", "-h"], capture_output=True,
                                                   text=True).stdout:
        missing.append("sox's MP3 support (libsox-fmt-mp3)")
    if missing and not os.environ.get("CI"):
        pytest.skip(f"{', '.join(missing)} not installed (CI installs them via .ci/run)")
    assert not missing, f"CI must have {missing}"


@dataclass(frozen=True)
class Rendered:
    segment: Segment
    mp3: Path
    rest: bool  # a rest between rounds, not a set


def is_rest(index: int) -> bool:
    """In playing order a week-4 workout is five sets and a rest, three times, then five sets."""
    return index % 6 == 5


@pytest.fixture(scope="module")
def workout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Rendered]]:
    """Every segment of a week-4 workout at pace 0, rendered through the library."""
    tools_or_skip()
    yield render_all(workout_segments(make_plan(4), WORDS), tmp_path_factory.mktemp("week-4"))


def render_all(segments: list[Segment], directory: Path) -> list[Rendered]:
    library = AudioLibrary(LocalRenderer(directory, "https://coach.example"))
    library.render_ahead(segments)
    for segment in segments:
        library.ensure(segment, timeout=120)
    library.close()
    paths = [audio_path(directory, segment.segment_id) for segment in segments]
    return [Rendered(segment, path, is_rest(index))
            for index, (segment, path) in enumerate(zip(segments, paths, strict=True))
            if path is not None]


def sox_seconds(mp3: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(mp3)], check=True, capture_output=True,
                                text=True).stdout)


def onsets(mp3: Path, wav: Path) -> list[float]:
    """Seconds at which sound starts after at least ONSET_SILENCE_MS of silence."""
    subprocess.run(["sox", str(mp3), "-b", "16", "-c", "1", str(wav)], check=True,
                   capture_output=True)
    with wave.open(str(wav)) as decoded:
        rate = decoded.getframerate()
        samples = array("h", decoded.readframes(decoded.getnframes()))
    frame = rate * FRAME_MS // 1000
    found: list[float] = []
    quiet_ms = ONSET_SILENCE_MS
    for start in range(0, len(samples) - frame, frame):
        chunk = samples[start:start + frame]
        if max(chunk) > ONSET_LEVEL or -min(chunk) > ONSET_LEVEL:
            if quiet_ms >= ONSET_SILENCE_MS:
                found.append(start / rate)
            quiet_ms = 0
        else:
            quiet_ms += FRAME_MS
    return found


def on_tempo(intervals: list[float], period: float) -> int:
    return sum(abs(interval - period) <= TEMPO_TOLERANCE * period for interval in intervals)


def expected_on_tempo(planned: PlannedExercise) -> int:
    """Intervals between consecutive calls of each counting group (at least)."""
    calls = planned.count * (2 if planned.unit in TWO_CALLS_PER_REP else 1)
    groups = 2 if planned.unit in TWO_GROUPS else 1
    return calls - groups


def test_the_whole_stream_lasts_as_long_as_the_timeline(workout: list[Rendered]) -> None:
    """The sum of the segments' measured lengths is within 2 % of the timeline's length."""
    measured = sum(sox_seconds(rendered.mp3) for rendered in workout)
    timeline = sum(rendered.segment.seconds for rendered in workout)
    print(f"\nweek 4, {len(workout)} segments: timeline {timeline:.1f} s, "
          f"measured {measured:.1f} s ({(measured - timeline) / timeline:+.2%})")
    assert abs(measured - timeline) <= STREAM_TOLERANCE * timeline


def test_each_rest_lasts_a_minute(workout: list[Rendered]) -> None:
    """The three rests of week 4 each measure 60 s within 1 s."""
    rests = [sox_seconds(rendered.mp3) for rendered in workout if rendered.rest]
    print(f"\nrests: {', '.join(f'{seconds:.3f} s' for seconds in rests)}")
    assert len(rests) == 3
    assert all(abs(seconds - 60) <= REST_TOLERANCE_SECONDS for seconds in rests)


def test_rep_onsets_follow_the_tempo(workout: list[Rendered], tmp_path: Path) -> None:
    """In every set, the sound onsets of the counted calls come one tempo period apart
    (within 10 %), as many as the set has calls."""
    plan = make_plan(4)
    sets = [rendered for rendered in workout if not rendered.rest]
    assert len(sets) == 20
    for index, rendered in enumerate(sets):
        planned = plan.exercises[index % 5]
        heard = onsets(rendered.mp3, tmp_path / "decoded.wav")
        intervals = [later - earlier for earlier, later in itertools.pairwise(heard)]
        matching = on_tempo(intervals, planned.tempo_seconds)
        assert matching >= expected_on_tempo(planned), (
            f"set {index}: {matching} of {len(intervals)} intervals at {planned.tempo_seconds} s")


@pytest.mark.parametrize("pace", [-2, 2])
def test_counts_keep_the_tempo_at_the_fastest_and_slowest_pace(pace: int, tmp_path: Path) -> None:
    """At pace -2 (lateral steps every 0.96 s) and +2 (squats every 6.4 s) the first round's
    counts still come one period apart within 10 %."""
    tools_or_skip()
    plan = make_plan(4, pace=pace)
    first_round = workout_segments(plan, WORDS)[:5]
    for rendered, planned in zip(render_all(first_round, tmp_path), plan.exercises, strict=True):
        heard = onsets(rendered.mp3, tmp_path / "decoded.wav")
        intervals = [later - earlier for earlier, later in itertools.pairwise(heard)]
        periods = [interval for interval in intervals
                   if abs(interval - planned.tempo_seconds) <= TEMPO_TOLERANCE
                   * planned.tempo_seconds]
        print(f"\npace {pace:+d} {planned.exercise.id}: period {planned.tempo_seconds:.2f} s, "
              f"{len(periods)} counts, measured {min(periods):.3f}-{max(periods):.3f} s")
        assert len(periods) >= expected_on_tempo(planned)
