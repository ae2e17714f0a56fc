"""A segment's SSML as a schedule: each stretch of words and the moment it starts.

The SSML builder lays a segment out on a timeline from its own estimates (each stretch of
words takes its estimated time, each break its exact time). A renderer that places every
stretch at its scheduled start keeps that timeline whatever its voice's real speaking rate:
counts fall on the tempo, a rest lasts its minute, and the segment its estimated length.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from skill.speech.ssml import EMPHASIS_FACTOR, spoken_milliseconds

_BREAK_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
# Alexa's strengths, as skill.chat.playback hears them (the builder itself uses times only).
_BREAK_STRENGTH_MS = {"none": 0, "x-weak": 0, "weak": 250, "medium": 500, "strong": 750,
                      "x-strong": 1000}
_EMPHASIS: dict[str, float] = dict(EMPHASIS_FACTOR)
_AMAZON_TAG = re.compile(r"<(/?)amazon:")  # Alexa's own tags, undeclared prefix and all
_KEPT_FOR_ESPEAK = {"emphasis", "prosody", "say-as", "sub", "s", "p", "break"}


class UnreadableSsml(ValueError):
    """The SSML is not a well-formed <speak> document with breaks this renderer understands."""


@dataclass(frozen=True)
class Utterance:
    """Words to speak from `start_ms`, expected to last about `estimate_ms`."""

    start_ms: int
    ssml: str  # a <speak> document of these words alone, for espeak-ng
    estimate_ms: int
    source: str = ""  # the words' SSML as the segment has it (inside <speak>), amazon:* left out


@dataclass(frozen=True)
class Schedule:
    utterances: tuple[Utterance, ...]
    milliseconds: int  # the whole timeline: words and breaks


def schedule(ssml: str) -> Schedule:
    """The stretches of words between top-level breaks and elements, each with its start."""
    try:
        root = ET.fromstring(_AMAZON_TAG.sub(r"<\1amazon-", ssml))
    except ET.ParseError as error:
        raise UnreadableSsml(f"not well-formed SSML: {error}") from error
    if root.tag != "speak":
        raise UnreadableSsml(f"the root element is <{root.tag}>, not <speak>")
    utterances: list[Utterance] = []
    pending: list[tuple[str, str]] = [(_escaped(root.text), _escaped(root.text))]
    cursor = 0

    def flush() -> None:
        nonlocal cursor
        words = "".join(espeak for espeak, _ in pending).strip()
        source = "".join(kept for _, kept in pending).strip()
        pending.clear()
        if words:
            document = f"<speak>{words}</speak>"
            estimate = _estimate(ET.fromstring(document))
            utterances.append(Utterance(cursor, document, estimate, source))
            cursor += estimate

    for child in root:
        if child.tag == "break":
            flush()
            cursor += break_milliseconds(child)
        else:  # an element is an utterance of its own: "Go!" then the first count on time
            flush()
            pending.append((_serialized(child, _KEPT_FOR_ESPEAK), _serialized(child, None)))
            flush()
        pending.append((_escaped(child.tail), _escaped(child.tail)))
    flush()
    return Schedule(tuple(utterances), cursor)


def break_milliseconds(element: ET.Element) -> int:
    time = element.get("time")
    if time is not None:
        match = _BREAK_TIME.match(time)
        if not match:
            raise UnreadableSsml(f"a break time of {time!r}")
        value = float(match[1])
        return round(value if match[2] == "ms" else value * 1000)
    strength = element.get("strength", "medium")
    if strength not in _BREAK_STRENGTH_MS:
        raise UnreadableSsml(f"a break strength of {strength!r}")
    return _BREAK_STRENGTH_MS[strength]


def _estimate(element: ET.Element, factor: float = 1.0) -> int:
    """The builder's estimate for the words under `element` (emphasis slows them down)."""
    if element.tag == "emphasis":
        factor *= _EMPHASIS.get(element.get("level", "moderate"), 1.0)
    if element.tag == "break":
        own = break_milliseconds(element)
    elif element.tag == "sub":
        own = spoken_milliseconds(element.get("alias", ""))
    else:
        own = spoken_milliseconds(element.text or "")
    total = round(own * factor)
    for child in element:
        total += _estimate(child, factor) + round(spoken_milliseconds(child.tail or "") * factor)
    return total


def _serialized(element: ET.Element, kept: set[str] | None) -> str:
    """The element with only the `kept` tags (all but amazon:* when None) around its words:
    espeak-ng does not know amazon:*, voice, lang, w or phoneme."""
    inner = _escaped(element.text) + "".join(
        _serialized(child, kept) + _escaped(child.tail) for child in element)
    dropped = element.tag.startswith("amazon-") if kept is None else element.tag not in kept
    if dropped:
        return inner
    attributes = "".join(f' {name}="{_escaped(value, quote=True)}"'
                         for name, value in element.attrib.items())
    if element.tag == "break":
        return f"<break{attributes}/>"
    return f"<{element.tag}{attributes}>{inner}</{element.tag}>"


def _escaped(text: str | None, *, quote: bool = False) -> str:
    if not text:
        return ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text
