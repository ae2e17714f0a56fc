"""The per-locale words loader: merging over en-US, alternatives, placeholders, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.locales import (
    InvalidWords,
    MissingWords,
    UnknownLocale,
    load_words,
    words_for,
)


def write(root: Path, locale: str, name: str, content: object) -> None:
    folder = root / locale
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(content), encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write(tmp_path, "en-US", "workout.json",
          {"numbers": ["zero", "one", "two"], "rest": {"start": "Rest {minutes}.", "half": "Half."},
           "done": ["Done.", "And done."]})
    write(tmp_path, "en-US", "dialogue.json", {"units": "pounds"})
    write(tmp_path, "en-GB", "dialogue.json", {"units": "kilograms"})
    return tmp_path


def test_every_file_of_the_folder_is_merged_and_nesting_becomes_dotted_keys(root: Path) -> None:
    """Keys from workout.json and dialogue.json are both present; nested ones are dotted."""
    words = load_words("en-US", root)
    assert words.phrase("rest.half") == "Half."
    assert words.phrase("units") == "pounds"


def test_a_locale_overrides_only_what_differs(root: Path) -> None:
    """en-GB's own value wins; keys it lacks come from en-US."""
    words = load_words("en-GB", root)
    assert words.phrase("units") == "kilograms"
    assert words.phrase("rest.half") == "Half."


def test_a_locale_without_a_folder_speaks_en_us(root: Path) -> None:
    """en-CA has no folder here: every phrase is en-US's."""
    assert load_words("en-CA", root).phrase("units") == "pounds"


def test_placeholders_are_filled_and_a_missing_value_is_named(root: Path) -> None:
    """`{minutes}` is filled from the arguments; without it the error names key and placeholder."""
    words = load_words("en-US", root)
    assert words.phrase("rest.start", minutes="one minute") == "Rest one minute."
    with pytest.raises(MissingWords, match=r"rest\.start.*minutes"):
        words.phrase("rest.start")


def test_alternatives_cycle_by_variant(root: Path) -> None:
    """A list holds alternatives; the variant picks one, wrapping around."""
    words = load_words("en-US", root)
    assert [words.phrase("done", variant) for variant in range(3)] == [
        "Done.", "And done.", "Done."]
    assert words.alternatives("done") == ("Done.", "And done.")


def test_a_missing_key_raises_a_clear_error(root: Path) -> None:
    """Looking up an absent key names the locale and the key."""
    with pytest.raises(MissingWords, match=r"en-GB: no words for 'rest\.end'"):
        load_words("en-GB", root).phrase("rest.end")


def test_numbers_come_from_the_locale_and_stop_where_the_list_does(root: Path) -> None:
    """`number(2)` is the list's third word; a number past the list is a clear error."""
    words = load_words("en-US", root)
    assert words.number(2) == "two"
    with pytest.raises(MissingWords, match="number 3"):
        words.number(3)


def test_a_malformed_locale_is_refused(root: Path) -> None:
    """A name that is not `ll-CC` (e.g. a path) never reaches the file system."""
    with pytest.raises(UnknownLocale):
        load_words("../en-US", root)


def test_non_text_leaves_and_conflicting_files_are_invalid(tmp_path: Path) -> None:
    """A number as a phrase, or one key defined differently by two files, is refused."""
    write(tmp_path, "en-US", "a.json", {"count": 3})
    with pytest.raises(InvalidWords, match="count"):
        load_words("en-US", tmp_path)
    write(tmp_path, "en-US", "a.json", {"go": "Go!"})
    write(tmp_path, "en-US", "b.json", {"go": "Go now!"})
    with pytest.raises(InvalidWords, match="go"):
        load_words("en-US", tmp_path)


def test_the_skill_words_are_read_once_per_locale() -> None:
    """`words_for` returns the same object for the same locale (read once per process)."""
    assert words_for("en-AU") is words_for("en-AU")
    assert words_for("en-AU").locale == "en-AU"


def test_the_shipped_en_us_words_count_to_the_highest_rep_target() -> None:
    """The coach can say every count up to twelve, and both sides."""
    words = words_for("en-US")
    assert [words.number(n) for n in (1, 12)] == ["one", "twelve"]
    assert words.alternatives("workout.sides") == ("left", "right")
