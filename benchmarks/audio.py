"""`python -m benchmarks.audio`: the audio of continuous coaching, in figures.

- Polly characters billed per week-4 workout, on a cold and a warm cache (moto's server
  stands in for Polly and S3: the count is the renderer's own, over real HTTP).
- Distinct segments of the whole program (all weeks, levels, paces, rep targets, bands) per
  locale: how many, their billed characters, their length, and MP3 bytes extrapolated from a
  sample rendered by the local renderer.
- Time from "first segment requested" to its first audio byte on a cold cache, with the local
  renderer behind the real web app.
- espeak-ng's own pace against the SSML builder's estimate (why the local renderer places
  each stretch of words on the timeline instead of speaking the SSML as it is).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import logging
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.stats import median
from skill.audio.library import AudioLibrary
from skill.audio.local import LocalRenderer, audio_path
from skill.audio.polly import PollyRenderer
from skill.audio.segments import Segment
from skill.audio.workout import workout_segments
from skill.locales import words_for
from skill.program.catalogue import CIRCUIT, LEVELS, MAX_REPS, MIN_REPS, PACE_STEPS, Band
from skill.program.plan import WorkoutPlan, plan_workout

LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN")
WEEKS = (1, 2, 3, 4)
POLLY_NEURAL_USD_PER_MILLION = 16.0  # see docs/audio.md for the source and its date
S3_USD_PER_GB_MONTH = 0.023
_BREAKS = re.compile(r'(?:<break time="\d+ms"/>)+')


def week_four(pace: int = 0, locale: str = "en-US") -> WorkoutPlan:
    levels = {exercise.id: 2 for exercise in CIRCUIT}
    return plan_workout(Band.GREY, 4, 12, levels, pace)


def program_plans() -> Iterator[WorkoutPlan]:
    """Every plan the program can give: a set's speech depends only on its own exercise's
    level, so plans with one level for all exercises already hold every distinct set."""
    for week, level, pace, reps, band in itertools.product(
            WEEKS, LEVELS, PACE_STEPS, range(MIN_REPS, MAX_REPS + 1), Band):
        yield plan_workout(band, week, reps, {exercise.id: level for exercise in CIRCUIT}, pace)


@dataclass(frozen=True)
class Program:
    locale: str
    segments: int
    billed_characters: int
    seconds: float


def distinct_segments(locale: str) -> tuple[Program, dict[str, Segment]]:
    words = words_for(locale)
    distinct: dict[str, Segment] = {}
    for plan in program_plans():
        for segment in workout_segments(plan, words):
            distinct.setdefault(segment.segment_id, segment)
    return Program(locale, len(distinct), sum(s.billed_characters for s in distinct.values()),
                   sum(s.seconds for s in distinct.values())), distinct


@contextmanager
def moto_clients() -> Iterator[tuple[object, object]]:
    import boto3
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench",
                                    region_name="us-east-1")
    endpoint = f"http://{host}:{port}"
    s3 = session.client("s3", endpoint_url=endpoint,
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket="bench-audio")
    try:
        yield session.client("polly", endpoint_url=endpoint), s3
    finally:
        server.stop()


def billed_per_workout() -> tuple[int, int, int]:
    """Billed characters of a week-4 workout's first and second play, and its segments."""
    segments = workout_segments(week_four(), words_for("en-US"))
    with moto_clients() as (polly, s3):
        billed = []
        for _ in ("cold", "warm"):
            renderer = PollyRenderer(polly, s3, "bench-audio")
            library = AudioLibrary(renderer)  # a new process: only S3 remembers
            library.render_ahead(segments)
            for segment in segments:
                library.ensure(segment, timeout=60)
            library.close()
            billed.append(renderer.billed_characters)
    return billed[0], billed[1], len(segments)


def mp3_bytes_per_second(segments: list[Segment], directory: Path) -> tuple[float, int, float]:
    """Bytes per second of MP3, total bytes and seconds, for `segments` rendered locally."""
    renderer = LocalRenderer(directory, "https://coach.example")
    for segment in segments:
        renderer.render(segment, deadline=0)
    total = 0
    for segment in segments:
        path = audio_path(directory, segment.segment_id)
        assert path is not None
        total += path.stat().st_size
    seconds = sum(segment.seconds for segment in segments)
    return total / seconds, total, seconds


def first_byte_seconds(samples: int, directory: Path) -> list[float]:
    """From ensure() of a first set never rendered to the first byte of its audio over HTTP."""
    from werkzeug.serving import make_server

    from skill.settings import Settings
    from skill.web.app import create_app

    settings = Settings.load({"store_url": f"sqlite:///{directory / 'store.sqlite3'}",
                              "verify_signatures": False, "audio_dir": str(directory / "a")})
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    library = AudioLibrary(LocalRenderer(directory / "a", f"http://127.0.0.1:{server.port}"))
    firsts = [workout_segments(plan, words_for("en-US"))[0]
              for plan in itertools.islice(program_plans(), 0, None, 37)][:samples]
    timings = []
    for segment in firsts:
        started = time.perf_counter()
        url = urlsplit(library.ensure(segment, timeout=30))
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        connection.request("GET", url.path, headers={"Range": "bytes=0-"})
        response = connection.getresponse()
        response.read(1)
        timings.append(time.perf_counter() - started)
        connection.close()
    library.close()
    server.shutdown()
    server.server_close()
    return timings


def espeak_own_pace(segments: list[Segment], directory: Path) -> tuple[float, float]:
    """espeak-ng speaking each segment's SSML as it is (adjacent breaks merged, as it keeps
    only the first), measured by sox, against the builder's estimate: (measured, estimated)."""
    measured = 0.0
    for index, segment in enumerate(segments):
        merged = _BREAKS.sub(lambda found: f'<break time="{_total_ms(found[0])}ms"/>',
                             segment.ssml)
        wav = directory / f"own-{index}.wav"
        subprocess.run(["espeak-ng", "-m", "-w", str(wav), merged], check=True,
                       capture_output=True)
        measured += float(subprocess.run(["soxi", "-D", str(wav)], check=True,
                                         capture_output=True, text=True).stdout)
    return measured, sum(segment.seconds for segment in segments)


def _total_ms(breaks: str) -> int:
    return sum(int(ms) for ms in re.findall(r"(\d+)ms", breaks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audio")
    parser.add_argument("--quick", action="store_true", help="en-US only, fewer samples")
    args = parser.parse_args(argv)
    # Request lines, the local-only warning, and moto's placeholder in place of speech marks.
    for quiet in ("werkzeug", "skill.web.app", "skill.audio.polly"):
        logging.getLogger(quiet).setLevel(logging.ERROR)
    cold, warm, count = billed_per_workout()
    print(f"Polly characters billed per week-4 workout ({count} segments, speech marks and "
          f"MP3 for each): cold cache {cold}, warm cache {warm}")
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        week4 = workout_segments(week_four(), words_for("en-US"))
        rate, sample_bytes, sample_seconds = mp3_bytes_per_second(week4, directory / "sample")
        print(f"MP3 sample (week 4, local renderer): {sample_bytes / 1e6:.2f} MB for "
              f"{sample_seconds:.0f} s = {rate / 1000:.1f} kB/s")
        print("distinct segments of the whole program "
              f"({len(WEEKS)} weeks x {len(LEVELS)} levels x {len(PACE_STEPS)} paces x "
              f"{MAX_REPS - MIN_REPS + 1} rep targets x {len(Band)} bands):")
        every: dict[str, Segment] = {}
        for locale in ("en-US",) if args.quick else LOCALES:
            program, distinct = distinct_segments(locale)
            every.update(distinct)
            cost = 2 * program.billed_characters / 1e6 * POLLY_NEURAL_USD_PER_MILLION
            print(f"  {locale}: {program.segments} segments, {program.billed_characters} "
                  f"characters (x2 with speech marks: ${cost:.2f} of Polly neural once), "
                  f"{program.seconds / 3600:.1f} h of audio, about "
                  f"{program.seconds * rate / 1e6:.0f} MB of MP3")
        gigabytes = sum(s.seconds for s in every.values()) * rate / 1e9
        billed = sum(s.billed_characters for s in every.values())
        print(f"  all locales (shared voices counted once): {len(every)} segments, {billed} "
              f"characters, x2 = ${2 * billed / 1e6 * POLLY_NEURAL_USD_PER_MILLION:.2f} once; "
              f"{gigabytes:.2f} GB = ${gigabytes * S3_USD_PER_GB_MONTH:.3f} per month in S3")
        timings = first_byte_seconds(3 if args.quick else 10, directory / "first")
        print(f"first segment requested to first audio byte, cold cache, local renderer: "
              f"median {median(timings):.2f} s, max {max(timings):.2f} s "
              f"({len(timings)} first sets)")
        measured, estimated = espeak_own_pace(week4, directory)
        print(f"espeak-ng speaking the week-4 SSML as it is: {measured:.1f} s against the "
              f"timeline's {estimated:.1f} s ({(measured - estimated) / estimated:+.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
