"""The terminal's listening: keys read from a pipe as they would come from a keyboard."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest

from skill.chat.terminal import CLEAR_LINE, SpokeOver, Terminal


@pytest.fixture
def keyboard() -> Iterator[tuple[Terminal, int, io.StringIO]]:
    """A terminal reading from a pipe (its write end to type into) and drawing into a buffer."""
    read_end, write_end = os.pipe()
    screen = io.StringIO()
    yield Terminal(read_end, screen), write_end, screen
    os.close(read_end)
    os.close(write_end)


def spoken_over(terminal: Terminal, keys: int, typed: bytes) -> str:
    """The line that ends a wait of the speaking coach when `typed` arrives."""
    terminal.status("speaking")
    os.write(keys, typed)
    with pytest.raises(SpokeOver) as over:
        terminal.wait(30)
    return over.value.line


def test_a_line_finished_while_speaking_is_spoken_over(
        keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """Enter during a wait ends it with the line typed, corrections applied."""
    terminal, keys, _ = keyboard
    assert spoken_over(terminal, keys, b"nexr\x7ft\r") == "next"


def test_arrow_keys_and_killed_lines_leave_no_trace(
        keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """Escape sequences are ignored and Ctrl-U clears what was typed so far."""
    terminal, keys, _ = keyboard
    os.write(keys, b"pause\x15\x1b[Aresume\x1b[D\n")
    assert terminal.read_line() == "resume"


def test_two_lines_at_once_are_both_kept(keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """Lines pasted together are handled one after the other, none dropped."""
    terminal, keys, _ = keyboard
    assert spoken_over(terminal, keys, b"which band\rwhat week\r") == "which band"
    assert terminal.read_line() == "what week"


def test_an_empty_enter_is_silence_only_at_the_prompt(
        keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """While the coach speaks an empty Enter is ignored; at the prompt it is a line (silence)."""
    terminal, keys, _ = keyboard
    terminal.status("speaking")
    os.write(keys, b"\r")
    terminal.wait(0.05)  # returns: nothing was said over the coach
    os.write(keys, b"\r")
    assert terminal.read_line() == ""


def test_ctrl_d_on_an_empty_line_ends_the_input(
        keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """Ctrl-D with nothing typed is the end of input; with something typed it is ignored."""
    terminal, keys, _ = keyboard
    os.write(keys, b"ye\x04s\r\x04")
    assert terminal.read_line() == "yes"
    with pytest.raises(EOFError):
        terminal.read_line()


def test_the_prompt_line_shows_the_status_and_what_is_typed(
        keyboard: tuple[Terminal, int, io.StringIO]) -> None:
    """What the coach says scrolls above a prompt line redrawn with the status and the typing."""
    terminal, keys, screen = keyboard
    terminal.status("resting… 42 s")
    os.write(keys, b"ne")
    terminal.wait(0.05)
    terminal.write("Thirty seconds.\n")
    shown = screen.getvalue()
    assert shown.endswith(f"{CLEAR_LINE}Thirty seconds.\n{CLEAR_LINE}[resting… 42 s] > ne")
