"""The chat's voice: speech through espeak-ng at the chat's word rate, or text when it cannot."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

from skill.chat.playback import VoiceFailed

ESPEAK_WORDS_PER_MINUTE = 160
ESPEAK_VOICES = {"en-US": "en-us", "en-GB": "en-gb", "en-CA": "en-us"}


def espeak_voice(locale: str, factor: float) -> Callable[[str], None] | None:
    """Speech through espeak-ng at the chat's word rate (times `factor`), None without it."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        print("--voice needs espeak-ng (apt install espeak-ng); showing the speech as text.",
              file=sys.stderr)
        return None
    command = [
        espeak,
        "-v",
        ESPEAK_VOICES.get(locale, "en"),
        "-s",
        str(min(450, round(ESPEAK_WORDS_PER_MINUTE * factor))),
    ]

    def speak(text: str) -> None:
        spoken = subprocess.run([*command, "--", text], capture_output=True, text=True)
        errors = [line for line in spoken.stderr.splitlines() if line.startswith("error:")]
        if spoken.returncode != 0 or errors:  # it exits 0 when no sound device opens
            reason = (errors or ["no sound device?"])[-1]
            print(f"\nespeak-ng could not speak ({reason}); showing the speech as text.",
                  file=sys.stderr)
            raise VoiceFailed(reason)

    return speak
