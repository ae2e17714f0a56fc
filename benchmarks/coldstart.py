"""Item 3: cold start in a fresh interpreter, against importing the SDK and boto3 alone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

from benchmarks.envelopes import ROOT, Event
from benchmarks.stats import median

# The entry point imported and the first request answered, timed inside the interpreter too.
FIRST_REQUEST = """
import json, sys, time
start = time.perf_counter()
import skill.lambda_handler as entry
imported = time.perf_counter()
entry.handler(json.loads(sys.stdin.read()), None)
print(json.dumps({"import_ms": (imported - start) * 1000,
                  "first_request_ms": (time.perf_counter() - imported) * 1000}))
"""
# What any ask-sdk-core skill on Lambda with DynamoDB imports before doing anything.
IMPORT_ONLY = """
import json, time
start = time.perf_counter()
import ask_sdk_core.skill_builder, ask_sdk_core.serialize, boto3
print(json.dumps({"import_ms": (time.perf_counter() - start) * 1000, "first_request_ms": 0}))
"""
# ... and what one keeping its state in DynamoDB also builds before its first request.
IMPORT_AND_CLIENT = """
import json, time
start = time.perf_counter()
import ask_sdk_core.skill_builder, ask_sdk_core.serialize, boto3
boto3.client("dynamodb")
print(json.dumps({"import_ms": (time.perf_counter() - start) * 1000, "first_request_ms": 0}))
"""
BASELINE_LABEL = "import ask_sdk_core (skill_builder, serialize) + boto3"
CLIENT_LABEL = "the same + boto3.client('dynamodb')"
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass(frozen=True)
class ColdStart:
    """Median milliseconds over the repetitions: whole process, import, first request."""

    wall_ms: float
    import_ms: float
    first_request_ms: float


@dataclass(frozen=True)
class Variant:
    """One way of starting a fresh interpreter: the code it runs, its environment and input."""

    code: str
    env: dict[str, str]
    stdin: str = ""


def cold_starts(variants: dict[str, Variant], repeats: int) -> dict[str, ColdStart]:
    """Each variant `repeats` times, interleaved so that a busy moment costs all alike."""
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, variant in variants.items():
            runs[name].append(_once(variant))
    return {
        name: ColdStart(*(median([run[i] for run in found]) for i in range(3)))
        for name, found in runs.items()
    }


def _once(variant: Variant) -> tuple[float, float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", variant.code], input=variant.stdin, env=variant.env, cwd=ROOT,
        capture_output=True, text=True, check=True,
    )
    wall = (time.perf_counter() - start) * 1000
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, figures["import_ms"], figures["first_request_ms"]


def skill_env(store_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment for the entry point: the store, no skill id, no bytecode writes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAND_COACH_", "AWS_"))}
    return env | {"BAND_COACH_STORE": store_url, "PYTHONDONTWRITEBYTECODE": "1"} | (extra or {})


def first_request(env: dict[str, str], event: Event) -> Variant:
    return Variant(FIRST_REQUEST, env, json.dumps(event))


def import_only(env: dict[str, str]) -> Variant:
    return Variant(IMPORT_ONLY, env)


def import_and_client(env: dict[str, str]) -> Variant:
    return Variant(IMPORT_AND_CLIENT, env)


def import_offenders(env: dict[str, str], top: int = 5) -> list[tuple[str, float, float]]:
    """`python -X importtime` for the entry point: the `top` modules by their own import time,
    as (module, self ms, cumulative ms)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import skill.lambda_handler"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )
    rows = [
        (match[4], int(match[1]) / 1000, int(match[2]) / 1000)
        for match in _IMPORTTIME.finditer(done.stderr)
    ]
    return sorted(rows, key=lambda row: row[1], reverse=True)[:top]
