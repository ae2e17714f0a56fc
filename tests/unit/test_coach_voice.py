"""The coach's words: every phrase the code names exists, numbers and units per locale."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.coach.clock import Deadline
from skill.coach.questions import which_band
from skill.coach.session import SessionMemory
from skill.coach.turn import RequestFacts, Turn
from skill.coach.voice import Voice
from skill.locales import InvalidWords, load_words, words_for
from skill.program.catalogue import LEVELS, Band
from skill.program.choices import Alternative
from skill.program.plan import Notice
from skill.storage.sqlite import SqliteStore
from tests.conftest import ROOT
from tests.functional.alexa import MONDAY, FixedZone, words_of

GROUPS = "launch|notice|guide|answer|tell|account|talk|units|counted|pain|end|left"
KEY = re.compile(rf'"((?:{GROUPS})\.[a-z_.]+)"')


def named_keys() -> set[str]:
    """Every literal phrase key in the coach's and the handlers' code."""
    folders = (ROOT / "skill" / "coach", ROOT / "skill" / "handlers")
    code = "".join(path.read_text() for folder in folders for path in folder.glob("*.py"))
    return set(KEY.findall(code))


def dialogue_keys(node: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, value in node.items():
        if isinstance(value, dict):
            keys |= dialogue_keys(value, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def built_keys() -> set[str]:
    """The keys the code builds from values (notices, alternatives, levels, pace)."""
    keys = {f"notice.{notice.value}" for notice in Notice}
    keys |= {f"tell.alternative_{alternative.value}" for alternative in Alternative}
    for way, limit in (("easier", "floor"), ("harder", "ceiling")):
        keys |= {f"tell.level_{way}", f"tell.level_{limit}", f"tell.level_all_{way}",
                 f"tell.level_all_{limit}"}
    for direction in ("slower", "faster"):
        keys |= {f"guide.pace_changed_{direction}", f"guide.pace_limit_{direction}"}
    for noun in ("round", "set", "workout", "minute", "day", "rep", "week", "exercise"):
        keys |= {f"counted.{noun}.one", f"counted.{noun}.many"}
    return keys | {"tens"}  # read whole by `Voice.number`


def test_every_phrase_the_coach_names_has_words() -> None:
    """A key used by the code but missing from en-US would fail only when spoken."""
    words = words_for("en-US")
    assert named_keys(), "the scan found no keys"
    missing = sorted(key for key in named_keys() | built_keys() if key not in words)
    assert missing == []


def test_every_phrase_in_the_dialogue_is_used() -> None:
    """No dead words: each en-US dialogue phrase is named or built by the code."""
    dialogue = json.loads((ROOT / "skill" / "locales" / "en-US" / "dialogue.json").read_text())
    assert sorted(dialogue_keys(dialogue) - named_keys() - built_keys()) == []


@pytest.mark.parametrize(("locale", "unit", "green"), [
    ("en-US", "pounds", (20, 37)), ("en-CA", "pounds", (20, 37)),
    ("en-GB", "kilograms", (9, 17)), ("en-AU", "kilograms", (9, 17)),
    ("en-IN", "kilograms", (9, 17)),
])
def test_each_locale_speaks_its_unit(locale: str, unit: str, green: tuple[int, int]) -> None:
    """Pounds in the US and Canada, kilograms elsewhere (PROGRAM.md 5)."""
    voice = Voice.for_locale(locale)
    assert voice.text("units.name") == unit
    assert voice.weight_range(Band.GREEN) == green


def test_numbers_and_counted_nouns_as_a_coach_says_them() -> None:
    """Numbers under a hundred in words, larger ones as digits; one round, two rounds."""
    voice = Voice.for_locale("en-US")
    assert [voice.number(n) for n in (9, 20, 37, 40, 99)] == [
        "nine", "twenty", "thirty-seven", "forty", "ninety-nine"]
    assert voice.number(500) == "500"
    assert voice.counted(1, "round") == "one round"
    assert voice.counted(4, "set") == "four sets"


@pytest.mark.parametrize(("locale", "spoken"), [
    ("en-US", "the light one, twenty to thirty-seven pounds."),
    ("en-GB", "the light one, nine to seventeen kilograms."),
])
def test_the_band_answer_speaks_its_range_in_words(
    locale: str, spoken: str, tmp_path: Path
) -> None:
    """ "Which band": the range in words, never "twenty to 37"."""
    store = SqliteStore(str(tmp_path / "coach.sqlite3"))
    turn = Turn(
        RequestFacts("user", MONDAY, locale, None, new_session=True), SessionMemory(), store,
        FixedZone("UTC"), Deadline(6.0),
    )  # fmt: skip
    reply = which_band(turn, Voice.for_locale(locale))
    store.close()
    assert spoken in words_of(reply.speech.ssml())


@pytest.mark.parametrize(("metric", "green"), [("yes", (9, 17)), ("no", (20, 37))])
def test_metric_units_come_from_the_locale_flag_not_the_unit_word(
    metric: str, green: tuple[int, int], tmp_path: Path
) -> None:
    """`units.metric` decides the unit; the unit's name is only what is said."""
    folder = tmp_path / "en-US"
    folder.mkdir()
    (folder / "units.json").write_text(json.dumps({"units": {"name": "kilos", "metric": metric}}))
    assert Voice(load_words("en-US", tmp_path)).weight_range(Band.GREEN) == green


def test_a_unit_flag_that_is_not_yes_or_no_is_refused(tmp_path: Path) -> None:
    """A flag must be yes or no: anything else is malformed words, not a silent default."""
    folder = tmp_path / "en-US"
    folder.mkdir()
    (folder / "units.json").write_text(json.dumps({"units": {"metric": "kilograms"}}))
    with pytest.raises(InvalidWords, match=r"units\.metric"):
        Voice(load_words("en-US", tmp_path)).weight_range(Band.GREEN)


def test_british_english_says_press_ups() -> None:
    """en-GB's exercise words and answers call them press-ups, never pushups."""
    words = words_for("en-GB")
    keys = ["exercise.pushup.name", "exercise.pushup.plural", "exercise.pushup.why",
            "answer.which_band_pushups", "answer.which_band_no_pushup_band",
            "notice.keep_light_band_for_pushups", "notice.pushup_level_raised",
            "answer.how_to_which", *(f"exercise.pushup.level.{level}.summary" for level in LEVELS)]
    for key in keys:
        assert "pushup" not in words.phrase(key).lower(), key
    assert words.exercise("pushup") != words_for("en-US").exercise("pushup")
