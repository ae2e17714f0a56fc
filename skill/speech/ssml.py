"""The one SSML builder: every spoken string goes through `Speech`.

A `Speech` is an immutable value. Each step returns a new value that knows its SSML, its plain
text and its estimated spoken duration, and refuses (raises
`SpeechLimitExceeded`) rather than grow past the platform limits it carries. A `Draft` measures
a speech assembled from many parts as `+` would, and joins the SSML once, at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

# Platform limits for Alexa speech output.
MAX_SSML_CHARACTERS = 8000  # outputSpeech must stay under this many characters
MAX_RESPONSE_SECONDS = 240  # a response's whole spoken duration: speech and breaks
MAX_REPROMPT_SECONDS = 90
MAX_AUDIO_CLIPS = 5  # per response; the builder emits no clips, so every response keeps it
MAX_BREAK_SECONDS = 10  # one <break>; longer silences chain several

# Tags Alexa accepts in outputSpeech (a test checks every response uses no others).
SUPPORTED_TAGS = frozenset({
    "speak", "break", "s", "p", "emphasis", "prosody", "say-as", "sub", "audio", "lang",
    "phoneme", "voice", "w", "amazon:emotion", "amazon:domain", "amazon:effect",
})

# Duration model, in milliseconds, meant to over-estimate. Calibration: espeak-ng 1.51 at its
# default rate (175 words per minute) and Alexa's usual 150-170 words per minute. "Squat to
# alternating leg lift. Band above your knees. Sit back like there's a chair behind you."
# (17 words) takes 5.7 s in espeak-ng and 6.0-6.8 s at Alexa's rate; the model gives 8.0 s.
# Count calls ("one, left", "two, right", "three more, three") take 2.6 s in espeak-ng between
# breaks; the model gives 3.4 s. Whole responses (tests/integration/test_speech_espeak.py):
# the longest week-4 responses measure 194.4 s (pace 0) and 198.5 s (pace +2) in espeak-ng,
# estimated 215.1 s and 214.1 s. The budget errs towards finishing early, never late.
WORD_MS = 160  # per word: onset and transitions
LETTER_MS = 55  # per letter (about 150 words per minute for average English words)
DIGIT_MS = 300  # a digit is read as a whole number word
COMMA_MS = 200  # ",", ";", ":" and dashes
STOP_MS = 350  # ".", "!", "?"
ELLIPSIS_MS = 500  # "..."
EMPHASIS_FACTOR = {"strong": 1.3, "moderate": 1.15, "reduced": 1.0}

_SPEAK_TAGS = len("<speak></speak>")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d")

EmphasisLevel = Literal["strong", "moderate", "reduced"]


class SpeechLimitExceeded(ValueError):
    """The speech would break a platform limit (characters or seconds)."""


@dataclass(frozen=True)
class Limits:
    """What one speech may hold: `characters` is an exclusive bound, the others inclusive."""

    seconds: float
    characters: int = MAX_SSML_CHARACTERS

    def reduced_by(self, seconds: float, characters: int) -> Limits:
        """These limits with room kept for closing words."""
        return replace(self, seconds=self.seconds - seconds,
                       characters=self.characters - characters)


RESPONSE = Limits(seconds=MAX_RESPONSE_SECONDS)
REPROMPT = Limits(seconds=MAX_REPROMPT_SECONDS)


def escape(text: str) -> str:
    """Text safe inside SSML: XML-invalid characters dropped, markup characters escaped."""
    text = _XML_INVALID.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def spoken_milliseconds(text: str) -> int:
    """Estimated time to speak `text` at a conservative rate (see the calibration above)."""
    words = _WORD.findall(text)
    letters = sum(len(word) for word in words if not word.isdigit())
    digits = sum(1 for word in words if word.isdigit())
    ellipses = text.count("...") + text.count("\u2026")
    stops = sum(text.count(mark) for mark in ".!?") - 3 * text.count("...")
    commas = sum(text.count(mark) for mark in ",;:\u2013\u2014")
    return (WORD_MS * (len(words) - digits) + LETTER_MS * letters + DIGIT_MS * digits
            + COMMA_MS * commas + STOP_MS * stops + ELLIPSIS_MS * ellipses)


@dataclass(frozen=True)
class Speech:
    """Spoken output under construction; build with `say`, `pause`, `emphasis`, `+`."""

    body: str = ""  # the SSML inside <speak>
    plain: str = ""  # the words alone, for cards and logs
    milliseconds: int = 0  # estimated spoken duration
    limits: Limits = RESPONSE

    @classmethod
    def reprompt(cls) -> Speech:
        """An empty speech held to the reprompt limits."""
        return cls(limits=REPROMPT)

    @property
    def seconds(self) -> float:
        return self.milliseconds / 1000

    @property
    def characters(self) -> int:
        return len(self.body) + _SPEAK_TAGS

    def ssml(self) -> str:
        return f"<speak>{self.body}</speak>"

    def say(self, text: str) -> Speech:
        """Add words, escaped."""
        words = " ".join(_XML_INVALID.sub("", text).split())
        if not words:
            return self
        return self + Speech(escape(words), words, spoken_milliseconds(words), self.limits)

    def emphasis(self, text: str, level: EmphasisLevel = "moderate") -> Speech:
        """Add words spoken with emphasis (a little slower)."""
        plain = Speech().say(text)
        if not plain.body:
            return self
        body = f'<emphasis level="{level}">{plain.body}</emphasis>'
        milliseconds = round(plain.milliseconds * EMPHASIS_FACTOR[level])
        return self + Speech(body, plain.plain, milliseconds, self.limits)

    def pause(self, seconds: float) -> Speech:
        """Add silence, chained in breaks of at most ten seconds; the total is kept to the ms."""
        remaining = round(seconds * 1000)
        if remaining < 0:
            raise ValueError(f"a pause cannot be negative: {seconds}")
        breaks = []
        while remaining > 0:
            piece = min(remaining, MAX_BREAK_SECONDS * 1000)
            breaks.append(f'<break time="{piece}ms"/>')
            remaining -= piece
        body = "".join(breaks)
        return self + Speech(body, "", round(seconds * 1000) if body else 0, self.limits)

    def with_limits(self, limits: Limits) -> Speech:
        """The same speech held to other limits (raises if it already breaks them)."""
        return _checked(replace(self, limits=limits))

    def fits(self, more: Speech) -> bool:
        """Whether `self + more` stays within this speech's limits."""
        return Draft.of(self).fits(more)

    def joined(self, parts: Iterable[Speech]) -> Speech:
        """`self + part + part...` for the parts in order, concatenated once, not per part."""
        body, plain = [self.body], [self.plain] if self.plain else []
        end = self.body  # the joined body ends as its last non-empty part does
        milliseconds, limits = self.milliseconds, self.limits
        for part in parts:
            if _ends_in_text(end) and _starts_with_text(part.body):
                body.append(" ")
            body.append(part.body)
            end = part.body or end
            if part.plain:
                plain.append(part.plain)
            milliseconds += part.milliseconds
            limits = _tightest(limits, part.limits)
        return _checked(Speech("".join(body), " ".join(plain), milliseconds, limits))

    def __add__(self, other: Speech) -> Speech:
        return self.joined((other,))


@dataclass(frozen=True)
class Draft:
    """Speech assembled from parts: measured as `+` measures, concatenated once by `speech`."""

    parts: tuple[Speech, ...]
    characters: int  # of the joined SSML, <speak> tags included
    milliseconds: int
    limits: Limits
    ends_in_text: bool

    @classmethod
    def of(cls, speech: Speech) -> Draft:
        return cls((speech,), speech.characters, speech.milliseconds, speech.limits,
                   _ends_in_text(speech.body))

    @property
    def seconds(self) -> float:
        return self.milliseconds / 1000

    def then(self, more: Speech) -> Draft:
        """This draft followed by `more`; raises `SpeechLimitExceeded` where `+` would."""
        joint = 1 if self.ends_in_text and _starts_with_text(more.body) else 0
        return _checked(Draft(
            (*self.parts, more), self.characters + joint + len(more.body),
            self.milliseconds + more.milliseconds, _tightest(self.limits, more.limits),
            _ends_in_text(more.body) if more.body else self.ends_in_text))

    def fits(self, more: Speech) -> bool:
        """Whether `self.then(more)` stays within the limits."""
        try:
            self.then(more)
        except SpeechLimitExceeded:
            return False
        return True

    def speech(self) -> Speech:
        """The parts joined, checked again by the builder."""
        first, *rest = self.parts
        return first.joined(rest)


def _tightest(one: Limits, other: Limits) -> Limits:
    if one == other:
        return one
    return Limits(min(one.seconds, other.seconds), min(one.characters, other.characters))


def _ends_in_text(body: str) -> bool:
    """Words or an element with words end it (a break needs no space beside it)."""
    return bool(body) and not body.endswith("/>")


def _starts_with_text(body: str) -> bool:
    return bool(body) and not body.startswith("<break")


Measured = TypeVar("Measured", Speech, Draft)


def _checked(speech: Measured) -> Measured:
    limits = speech.limits
    if speech.characters >= limits.characters:
        raise SpeechLimitExceeded(
            f"SSML of {speech.characters} characters; the limit is under {limits.characters}")
    if speech.milliseconds > limits.seconds * 1000:
        raise SpeechLimitExceeded(
            f"{speech.seconds:.1f} s of speech; the limit is {limits.seconds} s")
    return speech
