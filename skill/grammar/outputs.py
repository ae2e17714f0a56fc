"""Every file generated from the grammar, by path, so one command writes them and one test
compares them with what is checked in."""

from __future__ import annotations

from pathlib import Path

from skill.grammar.build import BuiltModel, build_model
from skill.grammar.render import nlu_annotations, read_phrasings, what_you_can_say
from skill.grammar.source import GrammarSource, read_grammar

ROOT = Path(__file__).resolve().parents[2]


def generated_files(grammar: GrammarSource | None = None) -> tuple[dict[Path, str],
                                                                     list[BuiltModel]]:
    """Path (relative to the repository) -> text, and the built models."""
    grammar = grammar or read_grammar()
    models = [build_model(grammar, locale) for locale in grammar.locales]
    files = {Path("interaction_models") / f"{m.locale}.json": m.text() for m in models}
    phrasings = read_phrasings()
    for model in models:
        files[Path("interaction_models") / "nlu" / f"{model.locale}.json"] = nlu_annotations(
            phrasings, model.document)
    files[Path("docs") / "what-you-can-say.md"] = what_you_can_say(grammar)
    return files, models


def stale_files(root: Path = ROOT) -> list[Path]:
    """Generated files whose checked-in text differs from what the grammar yields."""
    files, _ = generated_files()
    return [path for path, text in files.items()
            if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]
