"""`python -m benchmarks [--quick] [--json PATH]`: the performance figures, items 1-7 of the
report (latency, round trips, cold start, HTTP, voice, growth, memory), each against its
baseline, measured in one run, printed as a table and written as JSON
(benchmarks/results/latest.json)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import coldstart, httpload, voice
from benchmarks.envelopes import ROOT, Event, mix_event
from benchmarks.growth import MONTH_WORKOUTS, YEAR_WORKOUTS, growth_users
from benchmarks.lambda_process import LAMBDA_USERS
from benchmarks.latency import WARMUP, Latency, measure_kind, timed
from benchmarks.minimal import baseline_skill
from benchmarks.report import Report
from benchmarks.roundtrips import count_kind
from benchmarks.scenario import Step, load_mix, record_steps
from benchmarks.skills import band_coach
from benchmarks.stores import (
    LOCAL_CREDENTIALS,
    REGION,
    dynamodb_client,
    dynamodb_endpoint,
    dynamodb_table,
)
from skill.storage.dynamodb import DynamoDBStore
from skill.storage.sqlite import SqliteStore
from tests.fakes import CountingStore

RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
HTTP_USERS = "amzn1.ask.account.http"
MIB = 1024


@dataclass(frozen=True)
class Sizes:
    requests: int  # per kind, in process
    repeats: int  # replays per kind for round trips
    cold_starts: int
    http_requests: int
    http_seconds: float
    lambda_requests: int


FULL = Sizes(2000, 20, 11, 3000, 25.0, 1000)
QUICK = Sizes(300, 5, 3, 500, 5.0, 1000)


def in_process(report: Report, sizes: Sizes, directory: Path) -> list[Step]:
    """Items 1, 2 (SQLite) and 6, on one SQLite file."""
    store = CountingStore(SqliteStore(directory / "in-process.sqlite3"))
    skill, baseline = band_coach(store), baseline_skill()
    steps = record_steps(store, skill)
    # Latency is the skill on the SQLite store itself: the counting wrapper yields the thread
    # on every call (so the tests can stage races), which costs tens of microseconds a call.
    on_store = band_coach(store.inner)
    section = f"1. in-process latency, SQLite, {sizes.requests} requests per kind"
    for step in steps:
        ours, base = measure_kind(on_store, baseline, store, step, sizes.requests)
        report.add(section, f"{step.kind}: p50", ours.p50, base.p50, "ms")
        report.add(section, f"{step.kind}: p99", ours.p99, base.p99, "ms")
        report.target(f"in-process p50 {step.kind} (x baseline)", ours.p50 / base.p50, 2)
        report.target(f"in-process p99 {step.kind} (ms)", ours.p99, 5, strict=True)
    round_trips(report, skill, store, steps, sizes, "SQLite")
    growth(report, skill, store, sizes)
    store.close()
    return steps


def round_trips(report: Report, skill: object, store: CountingStore, steps: list[Step],
                sizes: Sizes, name: str) -> None:
    section = f"2. store round trips per request ({name}; most over {sizes.repeats} replays)"
    for step in steps:
        trips = count_kind(skill, store, step, sizes.repeats, name.lower())
        report.add(section, f"{step.kind}: reads / writes", trips.reads, None,
                   f"reads; {trips.writes} writes; p50 {trips.p50_ms:.2f} ms")
        report.target(f"{name} reads per request, {step.kind}", trips.reads, 1)
        if step.kind == "question":
            report.target(f"{name} writes for a pure question", trips.writes, 0)


def dynamodb(report: Report, steps: list[Step], sizes: Sizes) -> None:
    """Item 2 on DynamoDB: a local server started and stopped here."""
    with dynamodb_endpoint() as (endpoint, server):
        store = CountingStore(DynamoDBStore(dynamodb_table(endpoint), dynamodb_client(endpoint)))
        round_trips(report, band_coach(store), store, steps, sizes, f"DynamoDB on {server}")
        store.close()


def growth(report: Report, skill: object, store: CountingStore, sizes: Sizes) -> None:
    users = growth_users(store.inner)
    section = (f"6. growth: {YEAR_WORKOUTS} workouts (a year) vs a new user "
               f"(and vs {MONTH_WORKOUTS} workouts, a month)")
    for kind in users["new"]:
        figures: dict[str, tuple[Latency, int]] = {}
        for name, requests in users.items():
            store.take()
            latency = Latency.of(timed(skill, _always(requests[kind]), sizes.requests))
            figures[name] = latency, store.take().bytes_read // (sizes.requests + WARMUP)
        (year, year_bytes), (new, new_bytes) = figures["year"], figures["new"]
        month, month_bytes = figures["month"]
        report.add(section, f"{kind}: p50 (year vs new)", year.p50, new.p50, "ms")
        report.add(section, f"{kind}: p50 (year vs month)", year.p50, month.p50, "ms")
        report.add(section, f"{kind}: state bytes read (year vs new)", year_bytes, new_bytes,
                   "bytes per request")
        report.add(section, f"{kind}: state bytes read (year vs month)", year_bytes,
                   month_bytes, "bytes per request")
        report.target(f"growth {kind} p50 (year / new)", year.p50 / new.p50, 1.2)
        report.target(f"growth {kind} bytes read (year / new)", year_bytes / new_bytes, 1.2)
        report.target(f"growth {kind} p50 (year / month)", year.p50 / month.p50, 1.2)
        report.target(f"growth {kind} bytes read (year / month)", year_bytes / month_bytes, 1.2)


def cold_starts(report: Report, sizes: Sizes, directory: Path, launch: Event) -> None:
    """Item 3, on SQLite and as Lambda runs it (DynamoDB, the skill built at import)."""
    section = f"3. cold start, fresh interpreter, median of {sizes.cold_starts}"
    sqlite_env = coldstart.skill_env(f"sqlite:///{directory / 'cold.sqlite3'}")
    with dynamodb_endpoint() as (endpoint, server):
        lambda_env = coldstart.skill_env(
            f"dynamodb://{dynamodb_table(endpoint)}", _local_aws(endpoint)
        )
        found = coldstart.cold_starts({
            "base": coldstart.import_only(sqlite_env),
            "sqlite": coldstart.first_request(sqlite_env, launch),
            "lambda": coldstart.first_request(lambda_env, launch),
            "client": coldstart.import_and_client(lambda_env),
        }, sizes.cold_starts)
    base, ours, lam, client = found["base"], found["sqlite"], found["lambda"], found["client"]
    report.add(section, "baseline: " + coldstart.BASELINE_LABEL, base.wall_ms, None, "ms wall")
    report.add(section, "import + first launch, SQLite: wall", ours.wall_ms, base.wall_ms, "ms")
    report.add(section, "  of which import / first request", ours.import_ms, None,
               f"ms / {ours.first_request_ms:.1f} ms")
    report.add(section, f"import + first launch, as Lambda ({server}): wall", lam.wall_ms,
               base.wall_ms, "ms")
    report.add(section, "  of which import+build / first request", lam.import_ms, None,
               f"ms / {lam.first_request_ms:.1f} ms")
    report.add(section, "baseline 2: " + coldstart.CLIENT_LABEL, client.wall_ms, None,
               "ms wall")
    report.add(section, "import + first launch, as Lambda, vs baseline 2", lam.wall_ms,
               client.wall_ms, "ms")
    report.target("cold start, SQLite (x import-only)", ours.wall_ms / base.wall_ms, 1.25)
    report.target("cold start, as Lambda (x import-only)", lam.wall_ms / base.wall_ms, 1.25)
    report.target("cold start, as Lambda (x import + client)", lam.wall_ms / client.wall_ms, 1.25)
    for module, own, cumulative in coldstart.import_offenders(lambda_env):
        report.add(section, f"  -X importtime: {module}", own, None,
                   f"ms self ({cumulative:.1f} ms cumulative)")


def http(report: Report, sizes: Sizes, directory: Path, steps: list[Step]) -> dict[str, int]:
    """Item 4 and the server half of item 7: the project's WSGI app vs the minimal app."""
    path = directory / "http.sqlite3"
    seeded = SqliteStore(path)
    rotation = load_mix(steps, seeded, HTTP_USERS, sizes.http_requests + httpload.WARMUP_REQUESTS)
    seeded.close()
    shared = [httpload.encoded(event) for event, _ in rotation]

    def bodies(i: int) -> bytes:
        """Shared bodies are encoded once; a body from a user of its own, when sent."""
        if rotation[i % len(rotation)][1]:
            return httpload.encoded(mix_event(rotation, i, HTTP_USERS))
        return shared[i % len(rotation)]

    env = coldstart.skill_env(f"sqlite:///{path}", {"BAND_COACH_VERIFY_SIGNATURES": "0"})
    results = {}
    for name, app in (("skill", "skill.web.wsgi:app"),
                      ("baseline", "benchmarks.minimal:create_app()")):
        with httpload.gunicorn(app, env, directory / f"gunicorn-{name}.log") as (port, master):
            results[name] = httpload.load(port, master, bodies, sizes.http_requests,
                                          sizes.http_seconds)
    ours, base = results["skill"], results["baseline"]
    section = (f"4. HTTP, gunicorn {httpload.WORKERS} sync workers, {httpload.CLIENTS} clients, "
               f"{ours.requests} / {base.requests} requests of the 5 kinds in turn")
    report.add(section, "throughput", ours.per_second, base.per_second, "requests/s")
    report.add(section, "latency p50", ours.p50_ms, base.p50_ms, "ms")
    report.add(section, "latency p99", ours.p99_ms, base.p99_ms, "ms")
    report.add(section, "errors (responses not 200)", ours.errors, None,
               f"skill; baseline {base.errors}")
    report.target("HTTP throughput (x minimal app)", ours.per_second / base.per_second, 0.7,
                  at_most=False)
    return {"skill": ours.worker_peak_kib, "baseline": base.worker_peak_kib}


def memory(report: Report, sizes: Sizes, directory: Path, steps: list[Step],
           workers: dict[str, int]) -> None:
    """Item 7: the gunicorn workers' peak, and a Lambda-like process over many requests."""
    section = "7. memory"
    report.add(section, "gunicorn worker peak RSS (VmHWM) under item 4",
               workers["skill"] / MIB, workers["baseline"] / MIB, "MiB")
    path = directory / "lambda.sqlite3"
    seeded = SqliteStore(path)
    n = sizes.lambda_requests
    rotation = json.dumps(load_mix(steps, seeded, LAMBDA_USERS, n))
    seeded.close()
    env = coldstart.skill_env(f"sqlite:///{path}")
    figures = {kind: _lambda_process(kind, sizes.lambda_requests, rotation, env)
               for kind in ("skill", "baseline")}
    ours, base = figures["skill"], figures["baseline"]
    for key, label in (("rss_early_kib", "RSS after 100 requests"),
                       ("rss_end_kib", f"RSS after {n} requests"),
                       ("peak_kib", f"peak RSS (VmHWM) over {n} requests")):
        report.add(section, f"Lambda entry point: {label}", ours[key] / MIB, base[key] / MIB,
                   "MiB")
    growth_kib = ours["rss_end_kib"] - ours["rss_early_kib"]
    base_growth = (base["rss_end_kib"] - base["rss_early_kib"]) / MIB
    report.add(section, f"Lambda entry point: RSS growth, requests 100 to {n}", growth_kib / MIB,
               None, f"MiB (baseline {base_growth:.3f} MiB)")
    blocks = ours["blocks_end"] - ours["blocks_early"]
    report.add(section, f"Lambda entry point: live Python blocks, growth 100 to {n}", blocks,
               None, f"blocks (baseline {base['blocks_end'] - base['blocks_early']})")
    with dynamodb_endpoint() as (endpoint, server):
        table = dynamodb_table(endpoint)
        store = DynamoDBStore(table, dynamodb_client(endpoint))
        rotation = json.dumps(load_mix(steps, store, LAMBDA_USERS, n))
        store.close()
        lambda_env = coldstart.skill_env(f"dynamodb://{table}", _local_aws(endpoint))
        lam = _lambda_process("skill", n, rotation, lambda_env)
        client = _lambda_process("baseline+dynamodb", n, rotation, lambda_env)
    report.add(section, f"as Lambda ({server}): peak RSS vs baseline + DynamoDB client",
               lam["peak_kib"] / MIB, client["peak_kib"] / MIB, "MiB")
    report.add(section, f"as Lambda ({server}): RSS growth, requests 100 to {n}",
               (lam["rss_end_kib"] - lam["rss_early_kib"]) / MIB, None, "MiB")
    report.target("gunicorn worker memory (x minimal app)",
                  workers["skill"] / workers["baseline"], 1.3)
    report.target("Lambda process memory, SQLite (x minimal)",
                  ours["peak_kib"] / base["peak_kib"], 1.3)
    report.target("Lambda process memory, DynamoDB (x minimal + client)",
                  lam["peak_kib"] / client["peak_kib"], 1.3)
    report.target(f"Lambda RSS growth, 100 to {n} requests (MiB)", growth_kib / MIB, 1)
    report.target(f"Lambda live Python blocks per request, 100 to {n}", blocks / (n - 100), 1)


def voice_figures(report: Report) -> None:
    section = "5. voice: user turns to complete a workout, longest and largest response"
    for workout in voice.workouts():
        report.add(section, f"{workout.name}: user turns, start to summary", workout.user_turns,
                   None, f"turns (plan_turns: {workout.planned_turns} guided responses)")
        report.add(section, f"{workout.name}: longest response", workout.longest_seconds,
                   voice.LIMIT_SECONDS, "s (baseline column: the limit)")
        report.add(section, f"{workout.name}: largest SSML", workout.largest_ssml,
                   voice.LIMIT_CHARACTERS, "chars (baseline column: the limit)")
        report.target(f"{workout.name} longest response (s)", workout.longest_seconds,
                      voice.LIMIT_SECONDS)
        report.target(f"{workout.name} largest SSML (chars)", workout.largest_ssml,
                      voice.LIMIT_CHARACTERS, strict=True)


def _always(event: Event) -> Callable[[int], Event]:
    return lambda i: event


def _local_aws(endpoint: str) -> dict[str, str]:
    """The environment of a Lambda function whose DynamoDB is the local server."""
    return LOCAL_CREDENTIALS | {
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "AWS_LAMBDA_FUNCTION_NAME": "band-coach-bench",  # the skill is built at import
    }


def _lambda_process(kind: str, requests: int, rotation: str, env: dict[str, str]
                    ) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.lambda_process", kind, str(requests)],
        input=rotation, env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )
    figures: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests (under a minute)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default: {RESULTS}")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    report = Report()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="band-coach-bench-") as name:
        directory = Path(name)
        steps = in_process(report, sizes, directory)
        dynamodb(report, steps, sizes)
        cold_starts(report, sizes, directory, steps[0].event)
        voice_figures(report)
        workers = http(report, sizes, directory, steps)
        memory(report, sizes, directory, steps, workers)
    report.notes.append(f"run took {time.perf_counter() - began:.0f} s "
                        f"({'--quick' if args.quick else 'full run'})")
    print(report.table())
    report.write(args.json)
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
