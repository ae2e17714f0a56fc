"""`python -m benchmarks.understanding`: how long the terminal coach's matcher takes per
utterance, on the held-out phrasings, on an utterance at the word cap, and on a 110 KB line
(refused by the cap before any matching: the first release spent 61 s of CPU on one)."""

from __future__ import annotations

import statistics
import time

from skill.grammar.render import read_phrasings
from skill.understanding import MAX_WORDS, InteractionModel, Work, understand


def _timed(model: InteractionModel, utterance: str, repeats: int) -> tuple[float, Work]:
    """The median seconds of one understanding, and the work it counted."""
    times, work = [], Work()
    for _ in range(repeats):
        work = Work()
        start = time.perf_counter()
        understand(model, utterance, work=work)
        times.append(time.perf_counter() - start)
    return statistics.median(times), work


def main() -> None:
    model = InteractionModel.load("en-US")
    understand(model, "warm up")  # compile once, outside the figures
    phrasings = read_phrasings()
    per_utterance = sorted(_timed(model, p.text, 3)[0] for p in phrasings)
    p50 = per_utterance[len(per_utterance) // 2]
    p95 = per_utterance[int(len(per_utterance) * 0.95)]
    print(f"samples in the en-US model: {len(model.samples)}")
    print(f"held-out phrasings ({len(phrasings)}): p50 {p50 * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms, max {per_utterance[-1] * 1000:.2f} ms")
    at_cap = " ".join(["monday", "purple"] * (MAX_WORDS // 2))
    seconds, work = _timed(model, at_cap, 3)
    print(f"{MAX_WORDS} words (the cap): {seconds * 1000:.1f} ms, work {work}")
    huge = "i did " + "9" * 110_000
    seconds, work = _timed(model, huge, 3)
    print(f"110 KB line: {seconds * 1000:.3f} ms, work {work}")


if __name__ == "__main__":
    main()
