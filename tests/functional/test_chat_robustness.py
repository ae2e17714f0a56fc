"""Hostile input to `band-coach chat`: each gets one line saying what is wrong, and the chat
either goes on or exits with status 2 before anything runs; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.test_chat import Terminal


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Terminal:
    return Terminal(tmp_path, monkeypatch, capsys)


def test_an_endless_number_is_refused_and_the_chat_goes_on(terminal: Terminal) -> None:
    """`i did` and 100,000 digits is too long to say; the next line is still understood."""
    heard = terminal.chat("i did " + "9" * 100_000, "what week am I on")
    assert "(too long to say in one go: 100,006 characters, at most 500; nothing was sent)" in heard
    assert "Traceback" not in heard and "week" in heard.split("nothing was sent")[1].lower()


def test_advancing_past_any_calendar_is_refused(terminal: Terminal) -> None:
    """`:advance 99999999999d` is one line of refusal; the clock stays where it was."""
    heard = terminal.chat(":advance 99999999999d", ":now")
    assert "too far: '99999999999d' (at most 3660 days at a time)" in heard
    assert "Monday 2027-01-04 07:30 (Europe/London)" in heard


def test_advancing_to_the_end_of_the_calendar_is_refused(terminal: Terminal) -> None:
    """Near the latest allowed start, advancing past year 9999 says so and keeps the chat."""
    heard = terminal.chat(*[":advance 3660d"] * 110, ":now", now="8999-12-01T00:00")
    assert "the calendar ends before that" in heard


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--now", "9999-12-31T23:59", "--now must lie between 2000 and 9000"),
        ("--time-zone", "A" * 5000, "unknown time zone 'AAAA"),
        ("--store", "bogus://x", "unknown store 'bogus://x'"),
        ("--url", "not a url", "--url wants an http:// or https:// address, not 'not a url'"),
    ],
)
def test_bad_options_get_one_line_and_status_two(
        option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each bad option is named on one line of stderr and the command exits with status 2."""
    from skill.cli import main

    assert main(["chat", option, value]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1 and len(error) < 300
