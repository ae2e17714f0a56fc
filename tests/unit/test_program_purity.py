"""The engine is pure: it imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import skill.program

ENGINE = Path(skill.program.__file__).parent


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            modules.add(node.module or "")
    return modules


def test_engine_imports_only_the_standard_library_and_itself():
    """No ask_sdk, boto3, flask or any other third-party import in skill/program."""
    files = sorted(ENGINE.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            own = module.startswith("skill.program")
            assert own or top in sys.stdlib_module_names, f"{path.name} imports {module}"


def test_engine_reads_no_clock():
    """No datetime.now, date.today or time.time: "now" is always an argument."""
    for path in ENGINE.glob("*.py"):
        source = path.read_text()
        for call in ("now(", "today(", "utcnow(", "time.time(", "monotonic("):
            assert call not in source, f"{path.name} calls {call}"


def test_the_catalogue_holds_ids_not_words():
    """An exercise carries only its id as text, a variation none: what the coach says about
    them is locale data (skill/locales/<locale>/exercises.json)."""
    from dataclasses import fields

    from skill.program.catalogue import CIRCUIT

    for exercise in CIRCUIT:
        texts = [f.name for f in fields(exercise) if isinstance(getattr(exercise, f.name), str)]
        assert texts == ["id"]
        for variation in exercise.variations:
            assert not [f.name for f in fields(variation)
                        if isinstance(getattr(variation, f.name), str)]
