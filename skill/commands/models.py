"""`band-coach models`: writes every locale's interaction model from the grammar.

It also writes the NLU evaluation sets and docs/what-you-can-say.md, and prints how many
samples each intent gets per locale and the share of the held-out and the development phrasings
the en-US model understands literally, per intent (with the development list's misses, to work
on; never the held-out list's). A grammar that breaks a limit is refused (status 2) and
nothing is written; `--check` writes nothing and exits 1 if a checked-in file is stale.
"""

from __future__ import annotations

import argparse
import sys

from skill.grammar.measure import measure
from skill.grammar.outputs import ROOT, generated_files, stale_files
from skill.grammar.render import DEVELOPMENT, read_phrasings
from skill.grammar.syntax import GrammarError
from skill.understanding import InteractionModel


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a generated file is out of date")


def run(args: argparse.Namespace) -> int:
    try:
        if args.check:
            stale = stale_files()
            for path in stale:
                print(f"out of date: {path} (run band-coach models)", file=sys.stderr)
            return 1 if stale else 0
        files, models = generated_files()
    except GrammarError as error:
        print(f"band-coach models: {error}", file=sys.stderr)
        return 2
    for path, text in files.items():
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / path).write_text(text, encoding="utf-8")
    counts = {m.locale: m.samples_per_intent for m in models}
    locales = list(counts)
    print("samples per intent: " + " ".join(f"{locale:>6}" for locale in locales))
    for intent in counts[locales[0]]:
        row = " ".join(f"{counts[locale][intent]:>6}" for locale in locales)
        print(f"  {intent:<28} {row}")
    sizes = " ".join(f"{m.locale} {len(m.text().encode()) // 1024} KB" for m in models)
    totals = " ".join(f"{m.locale} {sum(m.samples_per_intent.values())}" for m in models)
    print(f"samples in all: {totals}\nmodel sizes: {sizes}\nwrote {len(files)} files")
    us = next(m for m in models if m.locale == "en-US")
    model = InteractionModel.from_json("en-US", us.document)
    print("\n".join(measure(model, read_phrasings()).lines()))
    print("\n".join(measure(model, read_phrasings(DEVELOPMENT)).lines("development", True)))
    return 0
