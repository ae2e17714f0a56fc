"""Stage one of understanding: text to the words the model is written in.

Typed or transcribed text is lowercased, stripped of punctuation and fillers, contractions are
spelled out and British spellings written the American way, so "What's" and "what is", or
"programme" and "program", compare equal (a spelling is the transcriber's, not the speaker's).

`request_span` then finds the request inside its carrier words: a discourse marker at the
start ("okay so", "right", "actually") or politeness at the end ("please", "for me", "thanks")
says nothing about which intent is meant, so the matcher compares what lies between, for the
utterance and each sample alike. Nothing is dropped when nothing else would remain: "okay"
alone is a yes, "thanks" alone is thanks. The input is capped first: nobody
says more than MAX_WORDS words to a coach, and an utterance beyond MAX_CHARS is refused before
any work is done on it, so matching stays linear in practice whatever is typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    "naw": "no",
}
FILLERS: Final = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm"})
SPELLINGS: Final = {
    "programme": "program", "programmes": "programs", "colour": "color", "colours": "colors",
    "kilometre": "kilometer", "kilometres": "kilometers", "metre": "meter", "metres": "meters",
}
# Said before a request without changing it, longer phrases first: discourse markers, and
# the polite frames of a request made to the coach or proposed together ("can you count
# slower" asks what "count slower" does; "can we skip this one" and "i want to skip this one"
# what "skip this one" does). "can i", "should i" are no such frames: they ask something; nor
# is "let's", which the first release already tells apart ("let's continue" resumes after a
# pause, "continue" moves on).
OPENERS: Final = (("i", "would", "like", "you", "to"), ("i", "want", "you", "to"),
                  ("i", "would", "like", "to"), ("ready", "to"),
                  ("let", "us", "go", "ahead", "and"), ("go", "ahead", "and"),
                  ("i", "want", "to"), ("i", "am", "ready", "to"), ("i", "would", "rather"),
                  ("i", "think"), ("okay", "so"), ("all", "right"),
                  ("hang", "on"), ("hold", "on"), ("and", "then"), ("can", "you"),
                  ("could", "you"), ("would", "you"), ("will", "you"), ("can", "we"),
                  ("could", "we"), ("shall", "we"), ("okay",), ("so",),
                  ("alright",), ("right",), ("hey",), ("actually",), ("well",), ("oh",),
                  ("hi",), ("coach",), ("please",), ("and",), ("now",), ("just",),
                  ("today",), ("sorry",), ("excuse", "me"), ("quick", "question"),
                  ("one", "more", "thing"), ("by", "the", "way"), ("before", "we", "start"),
                  ("before", "we", "begin"), ("before", "i", "start"), ("yeah", "so"),
                  ("for", "now"), ("these", "days"), ("kindly",), ("yo",), ("ngl",))
# Asking to be told something wraps the question without changing it, when a question follows:
# "could you tell me which band i use" asks "which band i use"; "tell me about my progress" or
# "remind me at seven" keep their words ("wait what week am i on" asks the week, "wait for me"
# asks the coach to wait).
QUESTION_OPENERS: Final = (("could", "you", "tell", "me"), ("can", "you", "tell", "me"),
                           ("would", "you", "tell", "me"), ("could", "you", "remind", "me"),
                           ("can", "you", "remind", "me"), ("i", "would", "like", "to", "know"),
                           ("i", "want", "to", "know"), ("i", "was", "wondering"),
                           ("do", "you", "know"), ("i", "wonder"), ("tell", "me"),
                           ("remind", "me"), ("any", "idea"), ("wait",))
QUESTION_WORDS: Final = frozenset({"what", "which", "how", "when", "whether", "if", "where",
                                   "why", "who"})
YES_NO_WORDS: Final = frozenset({"whether", "if"})
# Verbs that go before the subject in a question put directly ("which band should i use");
# any other verb takes "do" ("which band i use" asks "which band do i use").
AUXILIARIES: Final = frozenset({"am", "is", "are", "have", "has", "should", "will", "can", "ought",
                                "would", "could", "must", "was", "were", "did", "do", "does",
                                "shall", "may"})
# The subjects a question to the coach has, each with the "do" it takes.
SUBJECTS: Final = {"i": "do", "we": "do", "you": "do", "they": "do", "it": "does",
                   "this": "does", "that": "does"}
# Said after a request without changing it: politeness ("please", "for me"), and "now" or
# "today", which no two intents here differ by ("how many sets today", "should I train
# today"); they stay after "not" ("not now", "not today" is a no), "for me" after "wait".
CLOSERS: Final = (("if", "that", "is", "alright"), ("if", "that", "is", "all", "right"),
                  ("if", "that", "is", "okay"), ("if", "that", "is", "fine"),
                  ("if", "you", "do", "not", "mind"), ("if", "you", "can"), ("if", "you", "could"),
                  ("if", "possible"), ("at", "the", "moment"), ("or", "not"), ("for", "now"),
                  ("these", "days"),
                  ("thank", "you"), ("right", "now"), ("for", "today"), ("for", "me"), ("please",),
                  ("thanks",), ("then",), ("coach",), ("mate",), ("buddy",), ("bro",), ("dude",),
                  ("yaar",), ("fam",), ("love",), ("eh",), ("or", "nah"), ("so", "far"),
                  ("overall",), ("now", "itself"), ("sir",), ("for", "sure"), ("or", "what"),
                  ("or", "is", "it", "just", "me"), ("pal",), ("lah",), ("lor",), ("leh",),
                  ("ah",), ("till", "now"), ("until", "now"), ("currently",),
                  ("at", "this", "point"), ("at", "this", "stage"), ("now",), ("today",))
# "Again" after a question only asks it once more ("which band is it again"); after a request it
# is the request ("start again").
QUESTION_CLOSERS: Final = (("again",),)
KEEP_NOW_AFTER: Final = frozenset({"not", "right"})  # "not right now" keeps all three
KEEP_FOR_ME_AFTER: Final = frozenset({"wait"})  # "wait for me" asks the coach to wait
WHEN_WORDS: Final = frozenset({"now", "today"})


class TooLong(ValueError):
    """The utterance is over the cap: it is not understood, and no work is spent on it."""


def normalise(text: str, *, clitic_is: bool = False) -> list[str]:
    """Lowercase words without punctuation, fillers or contractions ("What's" -> "what is").
    A noun's "'s" is read as a possessive ("today's" -> "todays"), or, with `clitic_is`, as
    "is" ("my knee's sore" -> "my knee is sore"): the matcher tries that reading when the
    first matches nothing."""
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
        if clitic_is and word not in CONTRACTIONS and word.endswith("'s"):
            word = word[:-2] + " is"
        word = CONTRACTIONS.get(word, word).replace("'", "")
        word = SPELLINGS.get(word, word)
        words.extend(w for w in word.split() if w and w not in FILLERS)
    if len(words) > MAX_WORDS:
        raise TooLong(f"{len(words)} words, more than {MAX_WORDS}")
    return words


def request_span(words: Sequence[str]) -> tuple[int, int]:
    """Where the request lies in the words, openers and closers left out: (start, end), never
    empty if the words are not. Applied alike to utterances and samples (a slot counts as a
    word that is never a carrier), so stripping can only make equal what meant the same."""
    start, end = 0, len(words)
    while (found := (_carrier(words, start, end, OPENERS, at_start=True)
                     or _question_opener(words, start, end))) and start + found < end:
        start += found
    while (found := (_carrier(words, start, end, CLOSERS, at_start=False)
                     or _question_closer(words, start, end))) and end - found > start:
        end -= found
    return start, end


def asked_directly(words: Sequence[str]) -> list[str] | None:
    """An indirect question, as left once "could you tell me" is taken off, put as asked
    directly: "which week of the plan i have reached" -> "which week of the plan have i
    reached", "whether i should train today" -> "should i train today", "which band i use" ->
    "which band do i use", "what week this is" -> "what week is this". None when the words
    are no such question."""
    if not words or words[0] not in QUESTION_WORDS:
        return None
    body = list(words[1:] if words[0] in YES_NO_WORDS else words)
    first = 0 if words[0] in YES_NO_WORDS else 1
    at = next((i for i in range(first, len(body)) if body[i] in SUBJECTS), None)
    if at is None or at + 1 >= len(body):  # "how am i": already asked directly
        return None
    subject = body[at]
    if body[at + 1] in AUXILIARIES and body[at + 2:at + 3] != ["to"]:  # "i have to": do i
        return [*body[:at], body[at + 1], subject, *body[at + 2:]]
    return [*body[:at], SUBJECTS[subject], subject, *body[at + 1:]]


def _question_opener(words: Sequence[str], start: int, end: int) -> int:
    """The length of a wrapper such as "can you tell me" before a question word, or 0."""
    found = _carrier(words, start, end, QUESTION_OPENERS, at_start=True)
    return found if start + found < end and words[start + found] in QUESTION_WORDS else 0


def _question_closer(words: Sequence[str], start: int, end: int) -> int:
    """The length of "again" ending a question ("which band is it again"), or 0."""
    if start < end and words[start] in QUESTION_WORDS:
        return _carrier(words, start, end, QUESTION_CLOSERS, at_start=False)
    return 0


def _carrier(words: Sequence[str], start: int, end: int, carriers: tuple[tuple[str, ...], ...],
             *, at_start: bool) -> int:
    """The length of the carrier phrase at the start (or end) of words[start:end], or 0."""
    for phrase in carriers:
        size = len(phrase)
        if size > end - start:
            continue
        at = start if at_start else end - size
        if tuple(words[at:at + size]) != phrase:
            continue
        before = words[at - 1] if at > start else ""
        if not at_start and phrase[-1] in WHEN_WORDS and before in KEEP_NOW_AFTER:
            continue
        if not at_start and phrase == ("for", "me") and before in KEEP_FOR_ME_AFTER:
            continue
        return size
    return 0
