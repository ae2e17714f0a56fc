"""The utterance matcher: phrasings that are not samples, slots and their resolution, spoken
numbers and durations, launch phrases, and nonsense reaching the fallback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.chat.durations import parse_duration
from skill.chat.numbers import parse_number
from skill.understanding import (
    FALLBACK,
    MATCH,
    MAX_CHARS,
    MAX_WORDS,
    NO_MATCH,
    InteractionModel,
    UnknownLocale,
    Work,
    normalise,
    understand,
)
from skill.understanding.normalising import asked_directly, request_span

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken(number: int) -> str:
    """An English reading of 0..999999, written independently of the parser."""
    if number < 20:
        return ONES[number]
    if number < 100:
        return TENS[number // 10] + ("" if number % 10 == 0 else " " + ONES[number % 10])
    if number < 1000:
        rest = number % 100
        return ONES[number // 100] + " hundred" + (f" and {spoken(rest)}" if rest else "")
    rest = number % 1000
    return spoken(number // 1000) + " thousand" + (f" {spoken(rest)}" if rest else "")


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


@pytest.mark.parametrize(("utterance", "intent"), [
    ("Let's get this band workout going!", "StartWorkoutIntent"),
    ("OK so, how many sets am I meant to do this week?", "SetsThisWeekIntent"),
    ("um what week of the program is it now", "WhatWeekIntent"),
    ("WHICH BAND DO I NEED", "WhichBandIntent"),
    ("how am i doing with my training", "ProgressIntent"),
    ("whats my workout for today", "TodaysWorkoutIntent"),
    ("when am I moving up a band?", "NextBandIntent"),
    ("can u count slower pls", "ChangePaceIntent"),
    ("could you skip this exercise for me", "SkipExerciseIntent"),
    ("should i train today do you think", "ShouldITrainIntent"),
    ("please reset my whole program", "ResetProgramIntent"),
    ("delete all of my data please", "DeleteDataIntent"),
    ("ok, next!", "AMAZON.NextIntent"),
    ("can you say that again please", "AMAZON.RepeatIntent"),
    ("hang on a second", "AMAZON.PauseIntent"),
])
def test_phrasings_that_are_not_samples_are_understood(
    model: InteractionModel, utterance: str, intent: str
) -> None:
    """Different wording, case, punctuation and fillers still reach the right intent."""
    heard = understand(model, utterance)
    assert (heard.kind, heard.intent) == ("intent", intent)


@pytest.mark.parametrize("utterance", [
    "purple monkey dishwasher", "what's the weather", "tell me a joke", "play some music",
    "set a timer for ten minutes", "what time is it", "turn off the lights",
    "how tall is mount everest", "add eggs to my shopping list", "banana",
])
def test_nonsense_reaches_the_fallback(model: InteractionModel, utterance: str) -> None:
    """Requests this skill does not serve match no intent and carry no slots."""
    heard = understand(model, utterance)
    assert (heard.kind, heard.intent, heard.slots) == ("intent", FALLBACK, {})


@pytest.mark.parametrize(("utterance", "spoken_value", "band_id"), [
    ("I'm using the gray band", "gray", "grey"),
    ("i'm on the heavy one", "heavy", "black"),
    ("switch me to the light band", "light", "green"),
    ("my band is green", "green", "green"),
])
def test_band_synonyms_resolve_to_ids(
    model: InteractionModel, utterance: str, spoken_value: str, band_id: str
) -> None:
    """Synonyms resolve to the value's id with ER_SUCCESS_MATCH, keeping the words heard."""
    band = understand(model, utterance).slots["band"]
    assert (band.name, band.value, band.resolved_id, band.status) == (
        "band", spoken_value, band_id, MATCH)


def test_resolution_names_the_canonical_value(model: InteractionModel) -> None:
    """The resolved name is the value's own name, not the synonym heard."""
    exercise = understand(model, "how do I do monster walks").slots["exercise"]
    assert (exercise.resolved_id, exercise.resolved_name) == ("lateral_steps", "lateral steps")


@pytest.mark.parametrize("utterance", ["I'm using the purple band", "purple band"])
def test_unknown_colours_do_not_resolve(model: InteractionModel, utterance: str) -> None:
    """A colour the model does not know arrives as ER_SUCCESS_NO_MATCH without an id."""
    heard = understand(model, utterance)
    band = heard.slots["band"]
    assert (heard.intent, band.value, band.resolved_id, band.status) == (
        "SetBandIntent", "purple", None, NO_MATCH)


@pytest.mark.parametrize(("utterance", "intent", "slot", "expected"), [
    ("nine", "ReportRepsIntent", "count", "9"),
    ("nine reps", "ReportRepsIntent", "count", "9"),
    ("just nine", "ReportRepsIntent", "count", "9"),
    ("about 9", "ReportRepsIntent", "count", "9"),
    ("nine please", "ReportRepsIntent", "count", "9"),
    ("an hour", "RunTodayIntent", "duration", "PT1H"),
    ("about forty minutes", "RunTodayIntent", "duration", "PT40M"),
    ("forty five minutes", "RunTodayIntent", "duration", "PT45M"),
    ("around an hour and a half", "RunTodayIntent", "duration", "PT1H30M"),
    ("it'll take half an hour", "RunTodayIntent", "duration", "PT30M"),
    ("ten minutes please", "RunTodayIntent", "duration", "PT10M"),
    ("green", "SetBandIntent", "band", "green"),
    ("the grey one", "SetBandIntent", "band", "grey"),
    ("gray", "SetBandIntent", "band", "grey"),
    ("black", "SetBandIntent", "band", "black"),
    ("green band", "SetBandIntent", "band", "green"),
    ("it's the heavy one", "SetBandIntent", "band", "black"),
    ("closest to grey", "SetBandIntent", "band", "grey"),
])
def test_bare_answers_to_the_coachs_questions(
    model: InteractionModel, utterance: str, intent: str, slot: str, expected: str
) -> None:
    """A count, a run length or a band said alone fills the intent that asked for it."""
    heard = understand(model, utterance)
    value = heard.slots[slot]
    assert (heard.intent, value.resolved_id or value.value) == (intent, expected)


@pytest.mark.parametrize(("utterance", "intent"), [
    ("next", "AMAZON.NextIntent"), ("ready", "AMAZON.NextIntent"), ("done", "AMAZON.NextIntent"),
    ("yes", "AMAZON.YesIntent"), ("no", "AMAZON.NoIntent"), ("stop", "AMAZON.StopIntent"),
    ("help", "AMAZON.HelpIntent"), ("pause", "AMAZON.PauseIntent"),
    ("one second", "AMAZON.PauseIntent"), ("just a minute", "AMAZON.PauseIntent"),
    ("one minute", "AMAZON.PauseIntent"), ("hang on a second", "AMAZON.PauseIntent"),
    ("start me at ten reps", "StartingRepsIntent"), ("start me at ten", "StartingRepsIntent"),
    ("I'm running twenty minutes today", "RunTodayIntent"),
    ("which band should I use", "WhichBandIntent"), ("when do I move up a band", "NextBandIntent"),
    ("count slower please", "ChangePaceIntent"),
])
def test_bare_answer_samples_take_nothing_from_other_intents(
    model: InteractionModel, utterance: str, intent: str
) -> None:
    """Words other intents own, numbers and durations inside them included, stay theirs."""
    assert understand(model, utterance).intent == intent


@pytest.mark.parametrize("utterance", ["purple", "banana split", "purple monkey dishwasher"])
def test_a_band_alone_must_be_a_known_band(model: InteractionModel, utterance: str) -> None:
    """The sample "{band}" takes only known bands and synonyms, never unknown words."""
    assert understand(model, utterance).intent == FALLBACK


def test_a_slot_value_alone_does_not_choose_the_intent(model: InteractionModel) -> None:
    """"skip the bridges" names an exercise but is no question about how to do it."""
    assert understand(model, "skip the bridges").intent != "HowToIntent"


def test_known_words_are_not_taken_as_unknown_values(model: InteractionModel) -> None:
    """"yes please" is a yes, not a pace the model has never heard of."""
    assert understand(model, "yes please").intent == "AMAZON.YesIntent"


@pytest.mark.parametrize(("utterance", "difficulty", "exercise"), [
    ("make the glute bridges tougher", "harder", "bridge"),
    ("make push-ups easier", "easier", "pushup"),
    ("make it a bit more challenging", "harder", None),
])
def test_difficulty_with_and_without_an_exercise(
    model: InteractionModel, utterance: str, difficulty: str, exercise: str | None
) -> None:
    """Both slots resolve when named; an unnamed exercise is simply absent."""
    slots = understand(model, utterance).slots
    assert slots["difficulty"].resolved_id == difficulty
    assert (slots["exercise"].resolved_id if "exercise" in slots else None) == exercise


@pytest.mark.parametrize(("utterance", "count"), [
    ("I did all twelve", "12"),
    ("i only did 9", "9"),
    ("I only managed eight reps", "8"),
    ("I did a hundred and five", "105"),
    ("I did five hundred", "500"),
    ("start me at eleven reps", "11"),
])
def test_numbers_as_words_and_digits(model: InteractionModel, utterance: str, count: str) -> None:
    """AMAZON.NUMBER slots carry digits, whether the number was spoken or typed."""
    assert understand(model, utterance).slots["count"].value == count


@pytest.mark.parametrize(("utterance", "duration"), [
    ("I'm running twenty five minutes today", "PT25M"),
    ("i'm going for a half hour run", "PT30M"),
    ("I'm running for an hour and a half today", "PT1H30M"),
    ("i ran 45 min", "PT45M"),
    ("I'm going running for two hours", "PT2H"),
])
def test_run_durations(model: InteractionModel, utterance: str, duration: str) -> None:
    """AMAZON.DURATION slots carry ISO 8601 durations."""
    heard = understand(model, utterance)
    assert (heard.intent, heard.slots["duration"].value) == ("RunTodayIntent", duration)


@pytest.mark.parametrize(("utterance", "distance", "unit"), [
    ("I'm running a 5k today", "5", "kilometers"),
    ("I'm doing a ten mile run", "10", "miles"),
    ("i ran eight kilometres", "8", "kilometers"),
])
def test_run_distances(model: InteractionModel, utterance: str, distance: str, unit: str) -> None:
    """A run given as a distance fills the number and the unit's id."""
    slots = understand(model, utterance).slots
    assert (slots["distance"].value, slots["distance_unit"].resolved_id) == (distance, unit)


@pytest.mark.parametrize(("words", "iso"), [
    ("half an hour", "PT30M"), ("an hour", "PT1H"), ("an hour and a half", "PT1H30M"),
    ("one and a half hours", "PT1H30M"), ("an hour and twenty minutes", "PT1H20M"),
    ("two hours thirty minutes", "PT2H30M"), ("ninety seconds", "PT1M30S"),
    ("a quarter of an hour", "PT15M"), ("twenty minute", "PT20M"),
])
def test_duration_phrases(words: str, iso: str) -> None:
    """Spoken durations, including idioms, become ISO 8601."""
    assert parse_duration(words.split()) == iso


@pytest.mark.parametrize("words", ["minutes", "twenty", "an hour and", "five five minutes",
                                   "hour twenty"])
def test_non_durations(words: str) -> None:
    """Spans that are not a whole duration are refused."""
    assert parse_duration(words.split()) is None


@given(st.integers(min_value=0, max_value=999_999))
def test_spoken_numbers_parse_back(number: int) -> None:
    """Every number from zero to 999,999, read aloud, parses to itself."""
    assert parse_number(spoken(number).split()) == number


@pytest.mark.parametrize("words", ["five five", "twenty thirty", "and", "hundred", "a",
                                   "twelve and", "nine reps"])
def test_non_numbers(words: str) -> None:
    """Word runs that are not one number are refused."""
    assert parse_number(words.split()) is None


@pytest.mark.parametrize("utterance", [
    "open band coach", "Alexa, open Band Coach", "launch band coach", "talk to band coach",
    "ask band coach", "band coach",
])
def test_launch_phrases(model: InteractionModel, utterance: str) -> None:
    """Naming the skill with nothing to do opens it."""
    assert understand(model, utterance).kind == "launch"


@pytest.mark.parametrize(("utterance", "intent"), [
    ("Alexa, ask band coach to start my band workout", "StartWorkoutIntent"),
    ("ask band coach how many sets this week", "SetsThisWeekIntent"),
    ("tell band coach I only did nine", "ReportRepsIntent"),
    ("tell band coach that I'm using the black band", "SetBandIntent"),
    ("open band coach and start my workout", "StartWorkoutIntent"),
    ("start my band workout with band coach", "StartWorkoutIntent"),
])
def test_one_shot_requests(model: InteractionModel, utterance: str, intent: str) -> None:
    """"Ask band coach to X" is the intent X, marked as naming the skill."""
    heard = understand(model, utterance)
    assert (heard.kind, heard.intent, heard.invoked) == ("intent", intent, True)


def test_silence_and_exit(model: InteractionModel) -> None:
    """Nothing said is silence, not an intent; "exit" ends the session."""
    assert [understand(model, u).kind for u in ("", "  ", "uh", "Alexa", "exit")] == [
        "silence", "silence", "silence", "silence", "end"]


def test_literal_matching_refuses_near_misses(model: InteractionModel) -> None:
    """With tolerant=False only a sample's own words match; the tolerant matcher goes further."""
    utterance = "how many sets am I meant to be getting through this week"
    assert understand(model, utterance, tolerant=False).intent == FALLBACK
    assert understand(model, utterance).intent == "SetsThisWeekIntent"


def test_exact_matches_are_marked(model: InteractionModel) -> None:
    """A literal sample match says so; a tolerant one does not."""
    assert understand(model, "What's my workout today?").exact
    assert not understand(model, "what is my workout going to be today").exact


def test_normalisation() -> None:
    """Case, punctuation, curly apostrophes, contractions and fillers are evened out."""
    assert normalise("Um, WHAT\u2019S today's 5k?") == ["what", "is", "todays", "5", "k"]
    assert normalise("whats") == normalise("what's") == normalise("what is")


@pytest.mark.parametrize(("utterance", "meant"), [
    ("okay so skip this one please", "skip this one"),
    ("alright can you count slower for me", "count slower"),
    ("hang on my knee hurts", "my knee hurts"),
    ("stop now", "stop"),
    ("no thank you", "no"),
    ("thank you coach", "thank you"),  # thanks is the request: nothing else remains
    ("okay", "okay"),
    ("not now", "not now"),  # "now" stays after "not"
    ("not right now", "not right now"),
    ("wait for me", "wait for me"),  # "for me" stays after "wait"
    ("count faster for me", "count faster"),
    ("how many sets today", "how many sets"),
    ("no not today", "no not today"),
    ("sorry quick question which band do i use", "which band do i use"),
    ("could you tell me which band i use", "which band i use"),  # a question follows
    ("tell me about the bridge", "tell me about the bridge"),  # no question: the words stay
    ("remind me at seven", "remind me at seven"),
    ("skip this one if that's alright", "skip this one"),
    ("should i train today or not", "should i train"),
    ("for now i only run on mondays", "i only run on mondays"),
    ("kindly tell me about the bridge yaar", "tell me about the bridge"),
    ("wait what week am i on", "what week am i on"),  # "wait" before a question
    ("which band is it again", "which band is it"),  # "again" after a question
    ("start again", "start again"),  # and after a request
    ("am i getting stronger or what", "am i getting stronger"),
    ("how many sets this week ah", "how many sets this week"),  # a particle of Singapore
    ("which band am i on at this point", "which band am i on"),
])
def test_carrier_words_are_left_out(utterance: str, meant: str) -> None:
    """Openers and closers around a request are left out, never the whole request."""
    words = normalise(utterance)
    start, end = request_span(words)
    assert words[start:end] == meant.split()


@pytest.mark.parametrize(("indirect", "direct"), [
    ("which week of the plan i have reached", "which week of the plan have i reached"),
    ("whether i should train today", "should i train today"),
    ("if i should train", "should i train"),
    ("which band i use today", "which band do i use today"),
    ("how many sets i did", "how many sets did i"),
    ("what week this is", "what week is this"),
    ("which band i have to use", "which band do i have to use"),
    ("which week we are in", "which week are we in"),
])
def test_indirect_questions_are_put_directly(indirect: str, direct: str) -> None:
    """A question asked inside "could you tell me" keeps the order of a statement; the
    matcher also tries it as asked directly."""
    assert asked_directly(indirect.split()) == direct.split()


@pytest.mark.parametrize("words", ["skip this one", "what is next", "which band", "how am i"])
def test_direct_questions_and_requests_stay_as_they_are(words: str) -> None:
    """Nothing to turn round: no question word, or no "i" with a verb after it."""
    assert asked_directly(words.split()) is None


def test_an_indirect_question_is_understood(model: InteractionModel) -> None:
    """ "Can you tell me which band I should use" is "which band should I use"."""
    assert understand(model, "which band should i use", tolerant=False).intent == "WhichBandIntent"
    heard = understand(model, "can you tell me which band i should use", tolerant=False)
    assert (heard.intent, heard.exact) == ("WhichBandIntent", True)


@pytest.mark.parametrize(("utterance", "intent"), [
    ("could you pause for a minute, my phone is ringing", "AMAZON.PauseIntent"),
    ("okay so my son's calling me, pause for a minute", "AMAZON.PauseIntent"),
    ("ask band coach to pause, the doorbell rang", "AMAZON.PauseIntent"),
    ("wait, pause, someone's at the door", "AMAZON.PauseIntent"),
    ("okay I'm ready, start the workout", "StartWorkoutIntent"),  # a go-on acknowledges
    ("skip it, no, not that one", FALLBACK),  # a remark that denies is no remark
    ("skip this one, my knee hurts", FALLBACK),  # two requests: neither is taken
    ("pause for a minute, i have lost my keys", "AMAZON.PauseIntent"),
    ("pause for a minute i have lost my keys", FALLBACK),  # nothing marks the clauses
])
def test_a_request_among_remarks(model: InteractionModel, utterance: str, intent: str) -> None:
    """A clause the text marks off that is a sample, beside remarks that match nothing, is
    that sample's intent."""
    assert understand(model, utterance, tolerant=False).intent == intent


@pytest.mark.parametrize(("utterance", "intent"), [
    ("loop on", "AMAZON.LoopOnIntent"), ("shuffle", "AMAZON.ShuffleOnIntent"),
    ("stop shuffling", "AMAZON.ShuffleOffIntent"), ("go home", "AMAZON.NavigateHomeIntent"),
    ("skip", "SkipExerciseIntent"),  # the skill's own sample keeps its words
])
def test_alexas_own_samples_for_built_in_intents(
        model: InteractionModel, utterance: str, intent: str) -> None:
    """Built-in intents the model declares without samples are understood as Alexa understands
    them, by the utterances Alexa gives them."""
    assert understand(model, utterance, tolerant=False).intent == intent


def test_carriers_are_left_out_of_samples_too(model: InteractionModel) -> None:
    """A sample ending in "please" matches the request without it, as the utterance does;
    British spellings read as the model's."""
    assert understand(model, "slower", tolerant=False).intent == "ChangePaceIntent"
    assert understand(model, "okay so could you count slower please",
                      tolerant=False).slots["pace"].resolved_id == "slower"
    assert understand(model, "what colour band should i use", tolerant=False).exact
    assert normalise("programme colours kilometres") == ["program", "colors", "kilometers"]


def test_an_s_is_also_read_as_is(model: InteractionModel) -> None:
    """"My knee's sore" is "my knee is sore" when "knees" fits no sample; "today's workout"
    keeps the possessive reading, typed with the apostrophe or without."""
    heard = understand(model, "my knee's sore", tolerant=False)
    assert (heard.intent, heard.slots["body_part"].resolved_id) == ("PainIntent", "knee")
    assert normalise("my knee's sore", clitic_is=True) == ["my", "knee", "is", "sore"]
    for typed in ("what's today's workout", "whats todays workout"):
        assert understand(model, typed, tolerant=False).intent == "TodaysWorkoutIntent"
    # the possessive reading fits too, with "calfs nipping" as an unknown body part: the
    # reading that names a known one wins
    heard = understand(model, "my calf's nipping", tolerant=False)
    assert (heard.intent, heard.slots["body_part"].resolved_id) == ("PainIntent", "calf")


def test_two_clauses_of_one_intent_are_that_intent(model: InteractionModel) -> None:
    """"This is too hard, can you make it easier": both clauses ask the same thing, so the
    utterance is that intent, with both clauses' slots; clauses asking two different things
    match nothing literally."""
    heard = understand(model, "the bridge is too hard can you make it easier", tolerant=False)
    assert (heard.intent, heard.exact) == ("ChangeDifficultyIntent", True)
    assert {name: value.resolved_id for name, value in heard.slots.items()} == {
        "exercise": "bridge", "difficulty": "easier"}
    assert understand(model, "skip this one which band should i use",
                      tolerant=False).intent == FALLBACK


def test_models_are_loaded_once_per_locale() -> None:
    """Loading a locale twice gives the same compiled model; locales differ."""
    assert InteractionModel.load("en-GB") is InteractionModel.load("en-GB")
    assert InteractionModel.load("en-GB").locale == "en-GB"


def test_every_locale_understands_its_own_spelling() -> None:
    """en-GB resolves "kilometres", its value name, to the shared id."""
    slots = understand(InteractionModel.load("en-GB"), "I'm running ten kilometres today").slots
    assert (slots["distance_unit"].resolved_id, slots["distance_unit"].resolved_name) == (
        "kilometers", "kilometres")


@pytest.mark.parametrize("locale", ["fr-FR", "../en-US", "en-us"])
def test_unknown_locales_are_refused(locale: str) -> None:
    """A locale without a model is an explicit error, never a silent fallback."""
    with pytest.raises(UnknownLocale):
        InteractionModel.load(locale)


def test_declared_slots_are_listed(model: InteractionModel) -> None:
    """The model lists each intent's declared slots, for building complete requests."""
    assert dict(model.intent_slots["RunTodayIntent"]) == {
        "duration": "AMAZON.DURATION", "distance": "AMAZON.NUMBER",
        "distance_unit": "DISTANCE_UNIT"}
    assert "AMAZON.FallbackIntent" in model.intent_slots


@pytest.mark.parametrize("utterance", [
    "i did " + "9" * 100_000, "next " * 22_000, "x" * (MAX_CHARS + 1),
    " ".join(["next"] * (MAX_WORDS + 1)),
])
def test_over_long_input_is_refused_before_any_work(
    model: InteractionModel, utterance: str
) -> None:
    """A 110 KB line, a huge number or too many words is the fallback, and no sample, slot
    span or alignment cell is spent on it."""
    work = Work()
    assert understand(model, utterance, work=work).intent == FALLBACK
    assert work.total == 0


def test_work_is_bounded_at_the_cap(model: InteractionModel) -> None:
    """At the cap, matching costs at most a few alignment cells per sample and word: the work
    grows with the words times the samples, never with every way of splitting the words."""
    utterance = " ".join(["monday"] * MAX_WORDS)
    work = Work()
    understand(model, utterance, work=work)
    longest = max(len(s.elements) for s in model.samples) + 1
    assert work.alignment_cells <= len(model.samples) * longest * (MAX_WORDS + 1)
    assert work.slot_spans <= (len(model.custom_types) + 3) * MAX_WORDS * 10


@pytest.mark.parametrize(("utterance", "slots"), [
    ("make the bridge harder", {"exercise": "bridge", "difficulty": "harder"}),
    ("make the glute bridges more challenging", {"exercise": "bridge", "difficulty": "harder"}),
    ("i run monday tuesday thursday friday and saturday",
     {"day_one": "MO", "day_two": "TU", "day_three": "TH", "day_four": "FR", "day_five": "SA"}),
])
def test_adjacent_slots_split_the_words_every_way(
    model: InteractionModel, utterance: str, slots: dict[str, str]
) -> None:
    """Adjacent slots ("make the {exercise} {difficulty}") get the split that fits."""
    heard = understand(model, utterance, tolerant=False)
    assert {name: value.resolved_id for name, value in heard.slots.items()} == slots


@pytest.mark.parametrize(("utterance", "time"), [
    ("remind me at seven a.m.", "07:00"), ("remind me at 6:30 pm", "18:30"),
    ("at half past six", "06:30"), ("remind me at noon", "12:00"),
])
def test_times_of_day(model: InteractionModel, utterance: str, time: str) -> None:
    """AMAZON.TIME slots carry HH:MM, from words or digits."""
    assert understand(model, utterance).slots["time"].value == time


def test_thanks_is_understood(model: InteractionModel) -> None:
    """"thank you" is ThanksIntent; "no thank you" stays a no."""
    assert understand(model, "thank you").intent == "ThanksIntent"
    assert understand(model, "no thank you").intent == "AMAZON.NoIntent"
