"""Item 7, the Lambda half: run in a fresh interpreter, answers REQUESTS events through the
entry point (`skill`) or the baseline (`baseline`; with a DynamoDB client created:
`baseline+dynamodb`), and prints its resident memory as JSON.

Usage: python -m benchmarks.lambda_process KIND REQUESTS < rotation.json, with the rotation of
`scenario.load_mix` (its users seeded with the prefix LAMBDA_USERS).
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from typing import Any

from benchmarks.envelopes import Rotation, mix_event
from benchmarks.memory import status_kib

EARLY = 100  # requests after which the first reading is taken
LAMBDA_USERS = "amzn1.ask.account.lambda"


def entry(kind: str) -> Callable[[dict[str, Any]], Any]:
    if kind == "skill":
        import skill.lambda_handler

        return lambda event: skill.lambda_handler.handler(event, None)
    from benchmarks.minimal import baseline_skill, handle

    baseline = baseline_skill()
    if kind == "baseline+dynamodb":  # what any skill keeping state in DynamoDB holds
        import boto3

        client = boto3.client("dynamodb")
        return lambda event: (client, handle(baseline, event))[1]
    return lambda event: handle(baseline, event)


def main(kind: str, requests: int) -> None:
    rotation: Rotation = json.load(sys.stdin)
    answer = entry(kind)
    figures: dict[str, int] = {"imported_kib": status_kib("self", "VmRSS")}
    for i in range(requests):
        answer(mix_event(rotation, i, LAMBDA_USERS))
        if i + 1 == EARLY:
            figures["rss_early_kib"] = status_kib("self", "VmRSS")
            figures["blocks_early"] = _live_blocks()
    figures["rss_end_kib"] = status_kib("self", "VmRSS")
    figures["blocks_end"] = _live_blocks()
    figures["peak_kib"] = status_kib("self", "VmHWM")
    print(json.dumps(figures))


def _live_blocks() -> int:
    """Python objects' memory blocks still allocated after a full collection (a leak grows it;
    C-level caches such as SQLite's pages do not count)."""
    gc.collect()
    return sys.getallocatedblocks()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
