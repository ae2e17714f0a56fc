"""The utterances Alexa itself gives its standard built-in intents.

A model declares AMAZON.LoopOnIntent or AMAZON.NavigateHomeIntent without samples (or with a
few of its own): Alexa brings the common ways of saying them, as Amazon's documentation of the
standard built-in intents lists them. The matcher adds these to each built-in intent a model
declares, after the model's own samples, so a sample of the skill's keeps its words where both
have them ("skip" is the skill's skip, "continue" its next).
"""

from __future__ import annotations

from typing import Final

ALEXA_SAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.HelpIntent": ("help", "help me", "can you help me"),
    "AMAZON.LoopOffIntent": ("loop off",),
    "AMAZON.LoopOnIntent": ("loop", "loop on", "keep repeating this song"),
    "AMAZON.NavigateHomeIntent": ("home", "go home"),
    "AMAZON.NextIntent": ("next", "skip", "skip forward"),
    "AMAZON.NoIntent": ("no", "no thanks"),
    "AMAZON.PauseIntent": ("pause", "pause that"),
    "AMAZON.PreviousIntent": ("go back", "previous", "skip back", "back up"),
    "AMAZON.RepeatIntent": ("repeat", "say that again", "repeat that"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going"),
    "AMAZON.ShuffleOffIntent": ("shuffle off", "stop shuffling", "turn off shuffle"),
    "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on", "shuffle the music", "shuffle mode"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
    "AMAZON.StopIntent": ("stop", "off", "shut up"),
    "AMAZON.YesIntent": ("yes", "yes please", "sure"),
}
