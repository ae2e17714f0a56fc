"""The process's logging: one format, and nothing a sender wrote reaching a log line unescaped.

Request fields (timestamps, slot values, URLs) end up in refusal reasons and exception
messages; a newline among them would forge a log line of its own. `log_safe` escapes such text
at the call site, and `EscapingFormatter` escapes whole messages and exception texts, so that a
caller who forgets is still safe.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SAFE_TEXT_CHARACTERS = 200  # enough to recognise a value, too little to flood the log

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def log_safe(text: object, limit: int = SAFE_TEXT_CHARACTERS) -> str:
    """`text` as printable ASCII on one line (backslash escapes), cut to `limit` characters."""
    escaped = ascii(str(text))[1:-1]
    return escaped if len(escaped) <= limit else f"{escaped[:limit]}... ({len(escaped)} chars)"


class EscapingFormatter(logging.Formatter):
    """Each record is one line: the message and the exception's own text are escaped, while the
    traceback's frames (file names and source lines of this program) keep their layout."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = log_safe(record.message, limit=4 * SAFE_TEXT_CHARACTERS)
        return super().formatMessage(record)

    def formatException(self, ei: _ExcInfo) -> str:
        error = ei[1]
        if error is None:
            return ""
        lines: list[str] = []
        seen: set[int] = set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            frames = "".join(traceback.format_tb(error.__traceback__)).rstrip("\n")
            lines[:0] = ["Traceback (most recent call last):", frames,
                         f"{type(error).__name__}: {log_safe(error)}"]  # fmt: skip
            error = error.__cause__ or error.__context__
        return "\n".join(line for line in lines if line)


def configure_logging(level: str) -> None:
    """Log to stderr at `level`, through the escaping formatter (servers and the command line;
    Lambda writes its own JSON records, which escape by construction)."""
    handler = logging.StreamHandler()
    handler.setFormatter(EscapingFormatter(LOG_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
