"""The log: one line per record, whatever the sender put in the text it quotes."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from skill.logs import LOG_FORMAT, EscapingFormatter, log_safe

FORGED = "2027-01-04T13:30:00Z\n2027-01-04 13:30:01 INFO skill: user deleted"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("plain", "plain"),
        ("a\nb\rc", "a\\nb\\rc"),
        ("zone\u2028line", "zone\\u2028line"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("²", "\\xb2"),
    ],
)
def test_text_is_escaped_onto_one_printable_line(text: str, safe: str) -> None:
    """Newlines, Unicode line separators, terminal escapes and non-ASCII are escaped."""
    assert log_safe(text) == safe


def test_long_text_is_cut_and_says_so() -> None:
    """A value is kept recognisable but cannot flood the log."""
    assert log_safe("x" * 5000, limit=10) == "xxxxxxxxxx... (5000 chars)"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the escaping formatter into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(EscapingFormatter(LOG_FORMAT))
    logger = logging.getLogger("tests.escaping")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)
    logger.propagate = True


def test_a_message_quoting_a_forged_line_stays_one_line(
    log: tuple[logging.Logger, io.StringIO],
) -> None:
    """Even a caller that forgot `log_safe` cannot let a sender's newline through."""
    logger, buffer = log
    logger.warning("refused request: timestamp %s", FORGED)
    assert buffer.getvalue().count("\n") == 1
    assert "\\n2027-01-04 13:30:01 INFO" in buffer.getvalue()


def test_an_exception_message_is_escaped_and_the_traceback_kept(
    log: tuple[logging.Logger, io.StringIO],
) -> None:
    """The traceback keeps its frames on their own lines; the exception's text (which may
    quote the sender) is escaped, for the exception and the one it came from."""
    logger, buffer = log
    try:
        try:
            int(FORGED)
        except ValueError as error:
            raise RuntimeError(f"could not read {FORGED!s}") from error
    except RuntimeError:
        logger.exception("request failed")
    lines = buffer.getvalue().splitlines()
    assert not [line for line in lines if line.startswith("2027-01-04 13:30:01")]
    assert lines.count("Traceback (most recent call last):") == 2
    assert any(line.startswith("RuntimeError: could not read") for line in lines)
    assert any(line.startswith("ValueError: invalid literal") for line in lines)
