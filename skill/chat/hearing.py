"""A response as a person hears it: `sounds(ssml)` parses the speech into what a listener
perceives (words, silences, clips), in order, with the time each takes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from skill.speech.ssml import spoken_milliseconds

CLIP_SECONDS = 1.5  # sound-library clips are short chimes and beeps

# Alexa's break strengths; <s> and <p> behave like strong and x-strong breaks.
BREAK_STRENGTH_SECONDS = {
    "none": 0.0,
    "x-weak": 0.0,
    "weak": 0.25,
    "medium": 0.5,
    "strong": 0.75,
    "x-strong": 1.0,
}
_BOUNDARY_STRENGTH = {"s": "strong", "p": "x-strong"}  # heard at the end of the element


@dataclass(frozen=True)
class Speech:
    text: str


@dataclass(frozen=True)
class Silence:
    seconds: float


@dataclass(frozen=True)
class Clip:
    """An `<audio>` clip, named for the reader ("bell timer")."""

    name: str


Sound = Speech | Silence | Clip


class SsmlError(ValueError):
    """The speech is not SSML this player understands (a malformed break time)."""


def sounds(ssml: str) -> list[Sound]:
    """What a listener hears, in order: adjacent words and adjacent silences merged."""
    reader = _SsmlReader()
    reader.feed(ssml)
    reader.close()
    return _merged(reader.heard)


def speech_seconds(text: str) -> float:
    """How long `text` takes to say, by the SSML builder's own estimate: the skill fits each
    count's break to that estimate, so the counts appear exactly at the exercise's tempo."""
    return spoken_milliseconds(text) / 1000.0


def break_seconds(time: str | None, strength: str | None) -> float:
    """A `<break>`'s length from its `time` ("500ms", "2.5s") or `strength` (default medium)."""
    if time:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", time)
        if not match:
            raise SsmlError(f"unreadable break time {time!r}")
        amount = float(match.group(1))
        return amount / 1000.0 if match.group(2) == "ms" else amount
    return BREAK_STRENGTH_SECONDS.get(strength or "medium", BREAK_STRENGTH_SECONDS["medium"])


def clip_name(source: str) -> str:
    """`soundbank://soundlibrary/musical/amzn_sfx_bell_timer_01` -> "bell timer"."""
    stem = source.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"^amzn_sfx_", "", stem)
    stem = re.sub(r"_\d+$", "", stem)
    return stem.replace("_", " ").strip() or "sound"


class _SsmlReader(HTMLParser):
    """Collects sounds; `<sub alias>` is heard as its alias, other tags only as their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heard: list[Sound] = []
        self._alias_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "break":
            self.heard.append(Silence(break_seconds(found.get("time"), found.get("strength"))))
        elif tag == "audio":
            self.heard.append(Clip(clip_name(found.get("src") or "")))
        elif tag == "sub":
            self.heard.append(Speech(found.get("alias") or ""))
            self._alias_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "sub":
            self._alias_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "sub":
            self._alias_depth = max(0, self._alias_depth - 1)
        elif tag in ("s", "p"):
            self.heard.append(Silence(BREAK_STRENGTH_SECONDS[_BOUNDARY_STRENGTH[tag]]))

    def handle_data(self, data: str) -> None:
        if not self._alias_depth:
            self.heard.append(Speech(data))


def _merged(heard: list[Sound]) -> list[Sound]:
    merged: list[Sound] = []
    for sound in heard:
        last = merged[-1] if merged else None
        if isinstance(sound, Speech):
            text = " ".join(sound.text.split())
            if not text:
                continue
            if isinstance(last, Speech):
                merged[-1] = Speech(_joined(last.text, text))
                continue
            sound = Speech(text)
        elif isinstance(sound, Silence):
            if sound.seconds <= 0:
                continue
            if isinstance(last, Silence):
                merged[-1] = Silence(last.seconds + sound.seconds)
                continue
        merged.append(sound)
    while merged and isinstance(merged[-1], Silence):
        merged.pop()  # trailing silence is not heard: the microphone opens
    return merged


def _joined(left: str, right: str) -> str:
    return left + right if right[0] in ",.;:!?" else f"{left} {right}"


def duration(sound: Sound) -> float:
    """How long a sound lasts for the listener."""
    if isinstance(sound, Speech):
        return speech_seconds(sound.text)
    return CLIP_SECONDS if isinstance(sound, Clip) else sound.seconds
