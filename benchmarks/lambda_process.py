"""Item 7, the Lambda half: run in a fresh interpreter, answers REQUESTS events through the
entry point (`skill`) or the baseline (`baseline`), and prints its resident memory as JSON.

Usage: python -m benchmarks.lambda_process skill|baseline REQUESTS < rotation.json, where the
rotation is a list of [event, fresh]: a fresh event is sent each time from a new user.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from benchmarks.envelopes import for_user
from benchmarks.memory import status_kib

EARLY = 100  # requests after which the first reading is taken


def entry(kind: str) -> Callable[[dict[str, Any]], Any]:
    if kind == "skill":
        import skill.lambda_handler

        return lambda event: skill.lambda_handler.handler(event, None)
    from benchmarks.minimal import baseline_skill, handle

    baseline = baseline_skill()
    return lambda event: handle(baseline, event)


def main(kind: str, requests: int) -> None:
    rotation: list[tuple[dict[str, Any], bool]] = json.load(sys.stdin)
    answer = entry(kind)
    figures: dict[str, int] = {"imported_kib": status_kib("self", "VmRSS")}
    for i in range(requests):
        event, fresh = rotation[i % len(rotation)]
        answer(for_user(event, f"amzn1.ask.account.lambda-{i}") if fresh else event)
        if i + 1 == EARLY:
            figures["rss_early_kib"] = status_kib("self", "VmRSS")
    figures["rss_end_kib"] = status_kib("self", "VmRSS")
    figures["peak_kib"] = status_kib("self", "VmHWM")
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
