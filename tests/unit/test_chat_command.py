"""`band-coach chat`'s own choices: the start instant, the time zone, the local user, the voice."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skill.chat.espeak_voice import espeak_voice
from skill.cli import main
from skill.commands.chat import FAST_FACTOR, configure
from skill.commands.chat_options import local_user_id, machine_zone, start_instant


def test_now_without_an_offset_is_local_to_the_device() -> None:
    """`--now 2027-01-04T08:30` in New York is 13:30 UTC; an explicit offset is kept."""
    assert start_instant("2027-01-04T08:30", "America/New_York") == datetime(
        2027, 1, 4, 13, 30, tzinfo=UTC
    )
    assert start_instant("2027-01-04T08:30Z", "America/New_York") == datetime(
        2027, 1, 4, 8, 30, tzinfo=UTC
    )


def test_no_now_starts_at_the_present() -> None:
    """Without `--now` the clock starts at the real present, aware and in UTC."""
    started = start_instant(None, "UTC")
    assert abs(started - datetime.now(UTC)) < timedelta(seconds=5)


def test_machine_zone_prefers_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    """$TZ names the machine's zone when it is a known one, else the system's files decide."""
    monkeypatch.setenv("TZ", "Australia/Sydney")
    assert machine_zone() == "Australia/Sydney"
    monkeypatch.setenv("TZ", "Nowhere/Special")
    assert machine_zone() != "Nowhere/Special"


def test_local_user_is_created_once_and_kept(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The first chat makes a user id; later chats on this machine reuse it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    first = local_user_id()
    assert first.startswith("amzn1.ask.account.LOCAL")
    assert local_user_id() == first
    assert (tmp_path / "band-coach" / "chat-user").read_text().strip() == first


def test_fast_takes_a_positive_factor(capsys: pytest.CaptureFixture[str]) -> None:
    """`--fast` alone compresses time twentyfold; a factor of zero or below is refused."""
    parser = argparse.ArgumentParser()
    configure(parser)
    assert parser.parse_args(["--fast"]).fast == FAST_FACTOR == 20.0
    assert parser.parse_args(["--fast", "2.5"]).fast == 2.5
    with pytest.raises(SystemExit):
        parser.parse_args(["--fast", "0"])
    assert "above zero" in capsys.readouterr().err


def test_voice_without_espeak_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """--voice on a machine without espeak-ng explains and carries on as text."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert espeak_voice("en-US", 1.0) is None
    assert "needs espeak-ng" in capsys.readouterr().err


@pytest.mark.parametrize(("option", "message"), [
    (["--time-zone", "Mars/Olympus"], "unknown time zone"),
    (["--now", "next tuesday"], "ISO 8601"),
    (["--locale", "fr-FR"], "no interaction model for 'fr-FR'"),
])
def test_bad_options_are_refused_before_anything_runs(
    option: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown zone or an unreadable --now ends the command with status 2 and a reason."""
    status = main(["chat", "--store", f"sqlite:///{tmp_path}/s.db", "--user", "u", *option])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()
