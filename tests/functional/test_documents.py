"""The README and docs/ say what is true: every command in their `sh` blocks runs (on a
temporary data directory), or is named here with what runs it instead, and the workout lengths
the README quotes are the renderer's."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from skill.program.catalogue import CIRCUIT, DEFAULT_LEVEL, Band
from skill.program.plan import plan_workout
from skill.speech.workout import plan_turns
from tests.conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)

# Commands that cannot run inside a test, each with what runs it instead.
RUN_ELSEWHERE = {
    "make test": "CI: .ci/run runs it on a fresh clone",
    "make bench": "the benchmarks; tests/unit/test_benchmarks_smoke.py runs each one briefly",
    "make serve": "a server that runs until stopped; tests/integration/test_web_serve.py",
    "band-coach serve": "a server that runs until stopped; tests/integration/test_web_serve.py",
    "BAND_COACH_STORE=dynamodb://TABLE": "gunicorn against a real table: a deployment",
    ".venv/bin/gunicorn": "gunicorn: tests/integration/test_web_serve.py serves the same app",
    "apt-get install": "installs system packages: .ci/run does",
    "pip install": "installs packages: the Makefile does",
}
MAKE_TARGETS_RUN = ("make chat", "make program", "make history")
SPOKEN = "open band coach\n:quit\n"  # what a command reading its input is told


def commands(document: Path) -> list[str]:
    """The commands of a document's `sh` blocks: continuation lines joined, comments dropped."""
    found = []
    for block in SH_BLOCK.findall(document.read_text()):
        for command in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+#.*$", "", command).strip()
            if command and not command.startswith("#"):
                found.append(command)
    return found


ALL_COMMANDS = [(path.name, command) for path in DOCUMENTS for command in commands(path)]


def run_in_shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`command` by bash from the repository, on a data directory of its own."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    for name in ("BAND_COACH_STORE", "BAND_COACH_SKILL_ID"):
        env.pop(name, None)
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, input=SPOKEN,
                          capture_output=True, text=True, timeout=120)


def test_the_documents_have_commands() -> None:
    """The extraction finds the README's commands (a broken pattern would make the rest vacuous)."""
    readme = [command for name, command in ALL_COMMANDS if name == "README.md"]
    assert "make chat" in readme and "make test" in readme
    assert any(command.startswith("printf") for command in readme)


@pytest.mark.parametrize(("document", "command"), ALL_COMMANDS)
def test_every_documented_command_runs(document: str, command: str, tmp_path: Path) -> None:
    """Each command exits with status 0 and says something; one that cannot run here must be
    named in RUN_ELSEWHERE with what runs it."""
    elsewhere = next((why for prefix, why in RUN_ELSEWHERE.items()
                      if command.startswith(prefix)), None)
    if elsewhere is not None:
        if command.startswith("make test"):
            assert "make test" in (ROOT / ".ci" / "run").read_text()
        return
    if command.startswith(MAKE_TARGETS_RUN):
        current = subprocess.run(["make", "-q", ".venv/.runtime-stamp"], cwd=ROOT,
                                 capture_output=True)
        if current.returncode != 0:
            pytest.skip("the runtime stamp is not current: make would install (CI has it)")
    done = run_in_shell(command, tmp_path)
    assert done.returncode == 0, f"{document}: {command}\n{done.stdout[-800:]}{done.stderr[-800:]}"
    assert done.stdout.strip(), f"{document}: {command} printed nothing"
    assert "Traceback" not in done.stdout + done.stderr
    if "chat" in command and "--help" not in command:
        assert "band coach" in done.stdout.lower()


def test_the_scripted_chat_of_the_readme_answers_the_question(tmp_path: Path) -> None:
    """The README's scripted conversation starts a workout and answers "how many sets"."""
    scripted = next(command for name, command in ALL_COMMANDS
                    if name == "README.md" and command.startswith("printf"))
    first, second = run_in_shell(scripted, tmp_path), run_in_shell(scripted, tmp_path)
    assert "First up: squats with leg lifts." in first.stdout
    assert first.stdout == second.stdout  # --fresh: the same answer every time


def minutes(week: int, reps: int) -> tuple[str, int]:
    """A workout's length as the README rounds it, and its number of responses."""
    plan = plan_workout(Band.GREEN, week, reps, {e.id: DEFAULT_LEVEL for e in CIRCUIT}, 0)
    turns = plan_turns(plan)
    return f"{sum(turn.speech.seconds for turn in turns) / 60:.1f}", len(turns)


def test_the_readme_quotes_the_workout_lengths_the_renderer_gives() -> None:
    """Week 1 and week 4 lengths in the README are recomputed from the timeline."""
    readme = (ROOT / "README.md").read_text()
    week_one, _ = minutes(1, 8)
    week_one_top, _ = minutes(1, 12)
    week_four, parts = minutes(4, 12)
    assert f"one round, about {week_one} minutes at 8 reps ({week_one_top} at 12)" in readme
    assert f"four rounds, about {week_four} minutes at 12 reps, in {parts} parts" in readme


def test_the_readme_links_resolve() -> None:
    """Every relative link of the README names a file of the repository."""
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)#:]+)\)", readme)
    assert links
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_what_the_readme_says_you_can_say_is_understood() -> None:
    """Every phrase of the README's table reaches an intent (or opens the skill), none the
    fallback."""
    from skill.understanding import InteractionModel, understand

    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## What you can say"):readme.index("Everything the coach")]
    phrases = re.findall(r'"([^"]+)"', table)
    model = InteractionModel.load("en-US")
    heard = {phrase: understand(model, phrase) for phrase in phrases}
    assert len(phrases) > 15
    assert [p for p, h in heard.items() if h.kind not in ("launch", "intent")
            or h.intent == "AMAZON.FallbackIntent"] == []
