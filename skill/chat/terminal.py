"""The terminal as a device's speaker and microphone: it always listens.

The coach's words scroll above one bottom line that shows what the coach is doing and what is
being typed (`[resting… 42 s] > nex`). Keys are read whenever the chat waits, so a line
finished while the coach speaks is the user speaking over it: `wait` raises `SpokeOver` with
the line, as a device stops talking when it hears its wake word. Nothing typed is lost.
"""

from __future__ import annotations

import codecs
import os
import select
import termios
import time
import tty
from collections import deque
from typing import Any, TextIO

CLEAR_LINE = "\r\x1b[2K"
ERASE = ("\x7f", "\b")
KILL_LINE = "\x15"  # Ctrl-U
END_OF_INPUT = "\x04"  # Ctrl-D
ESCAPE = "\x1b"
THINKING = "thinking"  # a line was taken: the skill is working on it


class SpokeOver(Exception):
    """The user finished a line while the coach was speaking."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


class Terminal:
    """Reads keys from `fd` without echo and draws the prompt line on `out` (a context
    manager: the terminal's modes are restored on exit)."""

    def __init__(self, fd: int, out: TextIO, prompt: str = "> ") -> None:
        self._fd = fd
        self._out = out
        self._prompt = prompt
        self._typed = ""
        self._lines: deque[str] = deque()
        self._status = ""
        self._mid_line = False
        self._ended = False
        self._escape = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._saved: list[Any] | None = None

    def __enter__(self) -> Terminal:
        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)  # keys one by one, no echo; Ctrl-C still interrupts
        self._draw()
        return self

    def __exit__(self, *exc: object) -> None:
        self._out.write(CLEAR_LINE)
        self._out.flush()
        if self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    # what the coach says, and what it is doing

    def write(self, text: str, /) -> int:
        for piece in text.splitlines(keepends=True):
            if not self._mid_line:
                self._out.write(CLEAR_LINE)
            self._out.write(piece)
            self._mid_line = not piece.endswith("\n")
            if not self._mid_line:
                self._draw()
        return len(text)

    def flush(self) -> None:
        self._out.flush()

    def status(self, text: str) -> None:
        """What the coach is doing, shown on the prompt line until the next status."""
        self._status = text
        self._draw()

    # what the user types

    def wait(self, seconds: float) -> None:
        """Lets `seconds` pass while listening; raises SpokeOver when a line is finished."""
        deadline = time.monotonic() + seconds
        while True:
            if self._lines:
                self._status = THINKING
                raise SpokeOver(self._lines.popleft())
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._listen(left)

    def read_line(self) -> str:
        """The next line typed, waiting for it; EOFError after Ctrl-D on an empty line."""
        self.status("")
        while not self._lines:
            if self._ended:
                raise EOFError
            self._listen(None)
        self._status = THINKING  # the prompt line is not idle again until the next read
        return self._lines.popleft()

    def _listen(self, timeout: float | None) -> None:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self._fd, 1024)
        if not chunk:
            self._ended = True
            return
        for key in self._decoder.decode(chunk):
            self._key(key)
        self._draw()

    def _key(self, key: str) -> None:
        if self._escape or key == ESCAPE:  # arrow keys and the like: ignored
            self._escape += key
            if len(self._escape) > 1 and (key.isalpha() or key == "~"):
                self._escape = ""
            return
        if key in "\r\n":
            line, self._typed = self._typed, ""
            if line.strip() or not self._status:  # an empty Enter at the prompt is silence
                self._lines.append(line)
        elif key in ERASE:
            self._typed = self._typed[:-1]
        elif key == KILL_LINE:
            self._typed = ""
        elif key == END_OF_INPUT:
            self._ended = self._ended or not self._typed
        elif key.isprintable():
            self._typed += key

    def _draw(self) -> None:
        if self._mid_line:
            return  # the coach is mid-sentence; the prompt line comes back when it ends
        shown = f"[{self._status}] " if self._status else ""
        self._out.write(f"{CLEAR_LINE}{shown}{self._prompt}{self._typed}")
        self._out.flush()
