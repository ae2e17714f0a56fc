"""Stage one of understanding: text to the words the model is written in.

Typed or transcribed text is lowercased, stripped of punctuation and fillers, and contractions
are spelled out, so "What's" and "what is" compare equal. The input is capped first: nobody
says more than MAX_WORDS words to a coach, and an utterance beyond MAX_CHARS is refused before
any work is done on it, so matching stays linear in practice whatever is typed.
"""

from __future__ import annotations

import re
from typing import Final

MAX_CHARS: Final = 500  # longer than any spoken request; beyond it nothing is parsed
MAX_WORDS: Final = 40  # after normalising; beyond it the utterance is not understood
MAX_WORD_CHARS: Final = 40  # a digit run longer than this is no number anyone says

CONTRACTIONS: Final = {
    "what's": "what is", "whats": "what is", "i'm": "i am", "im": "i am", "i've": "i have",
    "ive": "i have", "i'll": "i will", "it'll": "it will", "itll": "it will", "i'd": "i would",
    "it's": "it is", "that's": "that is", "thats": "that is", "how's": "how is", "hows": "how is",
    "when's": "when is", "whens": "when is", "where's": "where is", "there's": "there is",
    "let's": "let us", "lets": "let us", "can't": "cannot", "cant": "cannot", "don't": "do not",
    "dont": "do not", "didn't": "did not", "didnt": "did not", "you're": "you are",
    "we're": "we are", "wanna": "want to", "gonna": "going to", "ok": "okay", "u": "you",
    "ur": "your", "pls": "please", "plz": "please", "sec": "second", "secs": "seconds",
    "one's": "one is", "something's": "something is", "isn't": "is not", "doesn't": "does not",
    "won't": "will not", "we've": "we have", "you've": "you have", "i'd've": "i would have",
}
FILLERS: Final = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm"})


class TooLong(ValueError):
    """The utterance is over the cap: it is not understood, and no work is spent on it."""


def normalise(text: str) -> list[str]:
    """Lowercase words without punctuation, fillers or contractions ("What's" -> "what is")."""
    if len(text) > MAX_CHARS:
        raise TooLong(f"{len(text)} characters, more than {MAX_CHARS}")
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", re.sub(r"[-_/]", " ", text))
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    words: list[str] = []
    for raw in text.split():
        word = raw.strip("'")
        if len(word) > MAX_WORD_CHARS:
            raise TooLong(f"a word of {len(word)} characters")
        word = CONTRACTIONS.get(word, word).replace("'", "")
        words.extend(w for w in word.split() if w and w not in FILLERS)
    if len(words) > MAX_WORDS:
        raise TooLong(f"{len(words)} words, more than {MAX_WORDS}")
    return words
