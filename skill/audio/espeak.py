"""Speech through espeak-ng, laid on the segment's timeline, encoded to MP3 with lameenc.

Each stretch of words is spoken alone (espeak-ng's SSML mode), trimmed of the silence espeak-ng
puts around it and placed at its scheduled start; the silence in between is written as samples.
So breaks of any length need no chaining, and the timing does not depend on espeak-ng's rate.
"""

from __future__ import annotations

import shutil
import subprocess
from array import array
from dataclasses import dataclass
from functools import lru_cache

from skill.audio.timing import Schedule

ESPEAK = "espeak-ng"
SAMPLE_RATE = 22050  # espeak-ng's own rate
MP3_KBPS = 48  # mono speech; Alexa streams take 16-384 kbps
SILENCE_LEVEL = 300  # |sample| at or below this (about -40 dBFS) counts as silence
MIN_GAP_MS = 100  # after words that overran their slot, before the next ones
SPEAK_SECONDS = 20.0  # one stretch of words: espeak-ng takes well under a second


class SpeakerFailed(RuntimeError):
    """espeak-ng is missing, failed, or produced no audio."""


@dataclass(frozen=True)
class Placed:
    """A segment's samples and how far its words ran past their scheduled slots."""

    samples: array[int]
    overrun_ms: int  # total delay added because words took longer than estimated


def available(command: str = ESPEAK) -> bool:
    return shutil.which(command) is not None


def place(schedule: Schedule, voice: str, *, command: str = ESPEAK) -> Placed:
    """The segment's audio: every utterance at its start (or just after an overrunning one),
    then silence to the end of the timeline."""
    samples = array("h")
    overrun = 0
    for utterance in schedule.utterances:
        words = spoken(utterance.ssml, voice, command)
        start = _samples(utterance.start_ms)
        if len(samples) > start:  # the previous words ran long: start after a short gap
            late = len(samples) + _samples(MIN_GAP_MS)
            overrun += (late - start) * 1000 // SAMPLE_RATE
            start = late
        samples.extend(_silence(start - len(samples)))
        samples.extend(words)
    samples.extend(_silence(_samples(schedule.milliseconds) - len(samples)))
    return Placed(samples, overrun)


@lru_cache(maxsize=1024)
def spoken(ssml: str, voice: str, command: str = ESPEAK) -> array[int]:
    """espeak-ng's samples for one <speak> document, without leading and trailing silence.
    Cached: counts and cues recur across every segment of a program."""
    try:
        result = subprocess.run([command, "-m", "-v", voice, "--stdout", ssml],
                                capture_output=True, check=True, timeout=SPEAK_SECONDS)
    except (OSError, subprocess.SubprocessError) as error:
        raise SpeakerFailed(f"{command} failed: {error}") from error
    samples = _pcm(result.stdout)
    loud = [index for index in (_first_loud(samples), _first_loud(samples[::-1])) if index >= 0]
    if len(loud) < 2:
        raise SpeakerFailed(f"{command} produced silence for {ssml[:80]!r}")
    return samples[loud[0]:len(samples) - loud[1]]


def encode_mp3(samples: array[int], *, kbps: int = MP3_KBPS) -> bytes:
    """Mono 16-bit samples at `SAMPLE_RATE` as MP3 (lameenc, the optional `audio` extra)."""
    try:
        import lameenc  # type: ignore[import-not-found]
    except ImportError as error:
        raise SpeakerFailed("lameenc is not installed: pip install 'band-coach[audio]'") from error
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(kbps)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())


def _pcm(wav: bytes) -> array[int]:
    """The samples of espeak-ng's WAV on stdout (its header sizes are placeholders there)."""
    position = wav.find(b"data")
    if wav[:4] != b"RIFF" or position < 0 or int.from_bytes(wav[24:28], "little") != SAMPLE_RATE:
        raise SpeakerFailed("espeak-ng did not write 16-bit WAV at the expected rate")
    body = wav[position + 8:]
    samples = array("h")
    samples.frombytes(body[:len(body) - len(body) % 2])
    return samples


def _first_loud(samples: array[int]) -> int:
    for index, sample in enumerate(samples):
        if sample > SILENCE_LEVEL or sample < -SILENCE_LEVEL:
            return index
    return -1


def _samples(milliseconds: int) -> int:
    return milliseconds * SAMPLE_RATE // 1000


def _silence(count: int) -> array[int]:
    return array("h", bytes(2 * max(0, count)))
