"""The interaction models, checked the way the Alexa developer console checks them on a build,
plus the contract the voice handlers code against (intents, slots, slot ids)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.understanding import InteractionModel, normalise, understand
from tests.conftest import EVENTS, MODELS

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
CONTRACT: dict[str, dict[str, str]] = {
    "StartWorkoutIntent": {},
    "SkipExerciseIntent": {},
    "ChangePaceIntent": {"pace": "PACE"},
    "SetsThisWeekIntent": {},
    "WhatWeekIntent": {},
    "WhichBandIntent": {},
    "ProgressIntent": {},
    "TodaysWorkoutIntent": {},
    "NextBandIntent": {},
    "HowToIntent": {"exercise": "EXERCISE"},
    "SetBandIntent": {"band": "BAND"},
    "ChangeDifficultyIntent": {"difficulty": "DIFFICULTY", "exercise": "EXERCISE"},
    "ReportRepsIntent": {"count": "AMAZON.NUMBER"},
    "StartingRepsIntent": {"count": "AMAZON.NUMBER"},
    "RunTodayIntent": {"duration": "AMAZON.DURATION", "distance": "AMAZON.NUMBER",
                       "distance_unit": "DISTANCE_UNIT"},
    "ShouldITrainIntent": {},
    "ResetProgramIntent": {},
    "DeleteDataIntent": {},
    **{f"AMAZON.{name}Intent": {} for name in (
        "Help", "Stop", "Cancel", "Fallback", "NavigateHome", "Pause", "Resume", "Next",
        "Repeat", "StartOver", "Yes", "No")},
}
FIRST_RELEASE = frozenset(CONTRACT)  # intents whose handlers exist since the first release
CONTRACT |= {
    "PainIntent": {"body_part": "BODY_PART"},
    "EndWorkoutIntent": {},
    "AMAZON.PreviousIntent": {},
    "HowManyLeftIntent": {},
    "RestLengthIntent": {},
    "ThanksIntent": {},
    "TurnByTurnIntent": {},
    "ContinuousIntent": {},
    "TransitionTimeIntent": {"change": "TRANSITION_CHANGE"},
    "RunDaysIntent": {f"day_{n}": "WEEKDAY" for n in ("one", "two", "three", "four", "five")},
    "RunDaysExceptIntent": {"day": "WEEKDAY"},
    "LongRunIntent": {"day": "WEEKDAY"},
    "RunLengthIntent": {"day": "WEEKDAY", "duration": "AMAZON.DURATION"},
    "NoRunDayIntent": {"day": "WEEKDAY"},
    "WeekPlanIntent": {"band_days": "AMAZON.NUMBER"},
    "RemindersIntent": {"time": "AMAZON.TIME"},
    "StopRemindersIntent": {},
    "ProgressCardIntent": {},
    **{f"AMAZON.{name}Intent": {} for name in ("LoopOn", "LoopOff", "ShuffleOn", "ShuffleOff")},
}
SLOT_IDS = {
    "BAND": {"green", "grey", "black"},
    "EXERCISE": {"squat_leg_lift", "lateral_steps", "bridge", "bicycle", "pushup"},
    "DIFFICULTY": {"easier", "harder"},
    "PACE": {"slower", "faster"},
    "DISTANCE_UNIT": {"kilometers", "miles"},
    "WEEKDAY": {"MO", "TU", "WE", "TH", "FR", "SA", "SU"},
    "BODY_PART": {"knee", "hip", "back", "ankle", "shoulder", "wrist", "neck", "hamstring",
                  "calf", "groin", "glute", "foot", "elbow", "quad", "chest", "stomach"},
    "TRANSITION_CHANGE": {"MORE", "LESS"},
}
MAIN_INTENTS = ("StartWorkoutIntent", "SetsThisWeekIntent", "WhichBandIntent", "ProgressIntent",
                "TodaysWorkoutIntent", "HowToIntent", "SetBandIntent", "ChangeDifficultyIntent",
                "ReportRepsIntent", "RunTodayIntent")
MANIFEST_PHRASES = ("start my band workout", "how many sets this week")
# Intents whose slot may be a whole sample: they answer the coach's own questions ("How many was
# that?" "Nine."; "How long will the run take?" "An hour."; "Green, grey or black?" "Green.").
ANSWER_SLOTS = {"ReportRepsIntent": "count", "RunTodayIntent": "duration", "SetBandIntent": "band"}
# What a user must be able to say: (utterance, intent, {slot: id/value}).
MUST_UNDERSTAND: list[tuple[str, str, dict[str, str]]] = [
    ("start my band workout", "StartWorkoutIntent", {}),
    ("let's work out", "StartWorkoutIntent", {}),
    ("begin today's workout", "StartWorkoutIntent", {}),
    ("start", "StartWorkoutIntent", {}),
    ("next", "AMAZON.NextIntent", {}),
    ("ready", "AMAZON.NextIntent", {}),
    ("continue", "AMAZON.NextIntent", {}),
    ("done", "AMAZON.NextIntent", {}),
    ("go", "AMAZON.NextIntent", {}),
    ("pause", "AMAZON.PauseIntent", {}),
    ("resume", "AMAZON.ResumeIntent", {}),
    ("repeat that", "AMAZON.RepeatIntent", {}),
    ("skip this exercise", "SkipExerciseIntent", {}),
    ("stop", "AMAZON.StopIntent", {}),
    ("cancel", "AMAZON.CancelIntent", {}),
    ("start over", "AMAZON.StartOverIntent", {}),
    ("count slower", "ChangePaceIntent", {"pace": "slower"}),
    ("count faster", "ChangePaceIntent", {"pace": "faster"}),
    ("how many sets this week", "SetsThisWeekIntent", {}),
    ("how many sets do I do this week", "SetsThisWeekIntent", {}),
    ("what week am I on", "WhatWeekIntent", {}),
    ("which band should I use", "WhichBandIntent", {}),
    ("how am I doing", "ProgressIntent", {}),
    ("what's my workout today", "TodaysWorkoutIntent", {}),
    ("when do I move up a band", "NextBandIntent", {}),
    ("how do I do a bridge", "HowToIntent", {"exercise": "bridge"}),
    ("I'm using the grey band", "SetBandIntent", {"band": "grey"}),
    ("make it easier", "ChangeDifficultyIntent", {"difficulty": "easier"}),
    ("make the bridge harder", "ChangeDifficultyIntent",
     {"difficulty": "harder", "exercise": "bridge"}),
    ("I only did nine", "ReportRepsIntent", {"count": "9"}),
    ("I did all twelve", "ReportRepsIntent", {"count": "12"}),
    ("I'm running twenty five minutes today", "RunTodayIntent", {"duration": "PT25M"}),
    ("should I do my band workout today", "ShouldITrainIntent", {}),
    ("start me at ten reps", "StartingRepsIntent", {"count": "10"}),
    ("help", "AMAZON.HelpIntent", {}),
    ("reset my program", "ResetProgramIntent", {}),
    ("delete my data", "DeleteDataIntent", {}),
    ("yes", "AMAZON.YesIntent", {}),
    ("no", "AMAZON.NoIntent", {}),
    ("nine", "ReportRepsIntent", {"count": "9"}),
    ("nine reps", "ReportRepsIntent", {"count": "9"}),
    ("just nine", "ReportRepsIntent", {"count": "9"}),
    ("about nine", "ReportRepsIntent", {"count": "9"}),
    ("an hour", "RunTodayIntent", {"duration": "PT1H"}),
    ("about forty minutes", "RunTodayIntent", {"duration": "PT40M"}),
    ("forty five minutes", "RunTodayIntent", {"duration": "PT45M"}),
    ("it'll take forty five minutes", "RunTodayIntent", {"duration": "PT45M"}),
    ("green", "SetBandIntent", {"band": "green"}),
    ("the grey one", "SetBandIntent", {"band": "grey"}),
    ("gray", "SetBandIntent", {"band": "grey"}),
    ("black", "SetBandIntent", {"band": "black"}),
    ("closest to black", "SetBandIntent", {"band": "black"}),
    ("one minute", "AMAZON.PauseIntent", {}),
    # what the first release missed
    ("do my workout", "StartWorkoutIntent", {}),
    ("start the band workout", "StartWorkoutIntent", {}),
    ("start my resistance band workout", "StartWorkoutIntent", {}),
    ("how many rounds do I do this week", "SetsThisWeekIntent", {}),
    ("what week of the program am I in", "WhatWeekIntent", {}),
    ("what is my workout today", "TodaysWorkoutIntent", {}),
    ("easier please", "ChangeDifficultyIntent", {"difficulty": "easier"}),
    ("harder please", "ChangeDifficultyIntent", {"difficulty": "harder"}),
    ("this is too easy", "ChangeDifficultyIntent", {"difficulty": "harder"}),
    ("that was too hard", "ChangeDifficultyIntent", {"difficulty": "easier"}),
    ("slow down", "ChangePaceIntent", {"pace": "slower"}),
    ("speed up", "ChangePaceIntent", {"pace": "faster"}),
    ("skip the bridge", "SkipExerciseIntent", {}),
    ("delete my progress", "DeleteDataIntent", {}),
    ("is today a workout day", "ShouldITrainIntent", {}),
    ("I only managed nine reps", "ReportRepsIntent", {"count": "9"}),
    # how people name things
    ("how do I do the bridge", "HowToIntent", {"exercise": "bridge"}),
    ("how do I do bridges", "HowToIntent", {"exercise": "bridge"}),
    ("how do I do a glute bridge", "HowToIntent", {"exercise": "bridge"}),
    ("how do I do the band walk", "HowToIntent", {"exercise": "lateral_steps"}),
    ("I'm running a 5k today", "RunTodayIntent", {"distance": "5", "distance_unit": "kilometers"}),
    ("I'm running five k today", "RunTodayIntent",
     {"distance": "5", "distance_unit": "kilometers"}),
    # the new intents
    ("my knee hurts", "PainIntent", {"body_part": "knee"}),
    ("that hurts", "PainIntent", {}),
    ("I'm done", "EndWorkoutIntent", {}),
    ("that's enough for today", "EndWorkoutIntent", {}),
    ("end the workout", "EndWorkoutIntent", {}),
    ("go back", "AMAZON.PreviousIntent", {}),
    ("how many left", "HowManyLeftIntent", {}),
    ("how much longer", "HowManyLeftIntent", {}),
    ("how long is the rest", "RestLengthIntent", {}),
    ("thanks coach", "ThanksIntent", {}),
    ("wait for me between exercises", "TurnByTurnIntent", {}),
    ("I'll say next", "TurnByTurnIntent", {}),
    ("keep going without me", "ContinuousIntent", {}),
    ("don't wait for me", "ContinuousIntent", {}),
    ("give me more time between exercises", "TransitionTimeIntent", {"change": "MORE"}),
    ("less time between exercises", "TransitionTimeIntent", {"change": "LESS"}),
    ("I run on Tuesdays Thursdays and Saturdays", "RunDaysIntent",
     {"day_one": "TU", "day_two": "TH", "day_three": "SA"}),
    ("I run every day except Friday", "RunDaysExceptIntent", {"day": "FR"}),
    ("Sunday is my long run", "LongRunIntent", {"day": "SU"}),
    ("Tuesday is a thirty minute run", "RunLengthIntent", {"day": "TU", "duration": "PT30M"}),
    ("my Saturday run is an hour", "RunLengthIntent", {"day": "SA", "duration": "PT1H"}),
    ("I don't run on Wednesdays any more", "NoRunDayIntent", {"day": "WE"}),
    ("I've stopped running on Sundays", "NoRunDayIntent", {"day": "SU"}),
    ("what's my plan this week", "WeekPlanIntent", {}),
    ("when should I do my bands", "WeekPlanIntent", {}),
    ("remind me on band days", "RemindersIntent", {}),
    ("remind me at seven a.m.", "RemindersIntent", {"time": "07:00"}),
    ("at 7 am", "RemindersIntent", {"time": "07:00"}),
    ("stop my reminders", "StopRemindersIntent", {}),
    ("cancel my reminders", "StopRemindersIntent", {}),
    ("send my progress to my phone", "ProgressCardIntent", {}),
    ("send it to my phone", "ProgressCardIntent", {}),
]
SAMPLE_CHARS = re.compile(r"[a-z' .]+")
SLOT_REF = re.compile(r"\{(\w+)\}")
FORBIDDEN_IN_INVOCATION = {"open", "ask", "start", "launch", "begin", "tell", "load", "run",
                           "play", "use", "alexa", "echo", "computer", "amazon", "skill", "app"}


def _document(locale: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))
    return document


def _language(locale: str) -> dict[str, Any]:
    language: dict[str, Any] = _document(locale)["interactionModel"]["languageModel"]
    return language


def _intents(locale: str) -> dict[str, dict[str, Any]]:
    return {intent["name"]: intent for intent in _language(locale)["intents"]}


def _frame(sample: str, slots: dict[str, str]) -> tuple[str, ...]:
    """A sample as Alexa compares them: normalised words, each slot reference as its type (no
    two slot types here take the same words, so "{count}" and "{band}" never both fit)."""
    return tuple(word for part in re.split(r"(\{\w+\})", sample)
                 for word in ([slots[part[1:-1]]] if part.startswith("{") else normalise(part)))


def _broken_sample_rule(intent: str, sample: str) -> str | None:
    """The first sample rule the sample breaks in that intent, or None."""
    refs = SLOT_REF.findall(sample)
    checks = [
        (set(refs) <= set(CONTRACT[intent]), "undeclared slot"),
        (len(refs) == len(set(refs)), "slot used twice"),
        (SAMPLE_CHARS.fullmatch(SLOT_REF.sub("x", sample)) is not None, "character not allowed"),
        (not re.search(r"\S\{|\}\S", sample), "slot not spaced"),
        (sample == sample.strip() and "  " not in sample and len(sample) <= 200, "spacing"),
        (SLOT_REF.sub("", sample).strip() != "" or refs == [ANSWER_SLOTS.get(intent)],
         "slot alone outside an answer intent"),
    ]
    return next((rule for ok, rule in checks if not ok), None)


def test_every_locale_has_a_model() -> None:
    """The five English locales each have a model file, and there are no others."""
    assert sorted(path.stem for path in MODELS.glob("*.json")) == sorted(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_structure_is_valid(locale: str) -> None:
    """Required keys and value types are present at every level."""
    language = _language(locale)
    assert isinstance(language["invocationName"], str)
    for intent in language["intents"]:
        assert isinstance(intent["name"], str)
        assert all(isinstance(s, str) for s in intent.get("samples", []))
        for slot in intent.get("slots", []):
            assert set(slot) == {"name", "type"}
            assert isinstance(slot["name"], str) and isinstance(slot["type"], str)
    for slot_type in language["types"]:
        assert isinstance(slot_type["name"], str) and slot_type["values"]
        for value in slot_type["values"]:
            assert isinstance(value["name"]["value"], str)
            assert all(isinstance(s, str) for s in value["name"].get("synonyms", []))


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_follows_the_rules(locale: str) -> None:
    """Two or more words; lowercase letters, spaces, periods, apostrophes; no launch words."""
    name = _language(locale)["invocationName"]
    assert name == "band coach"
    assert re.fullmatch(r"[a-z][a-z .']*[a-z.]", name)
    assert len(name.split()) >= 2
    assert not set(name.split()) & FORBIDDEN_IN_INVOCATION


@pytest.mark.parametrize("locale", LOCALES)
def test_intents_and_slots_match_the_contract(locale: str) -> None:
    """Exactly the intents the handlers are written for, each with its declared slots."""
    declared = {name: {s["name"]: s["type"] for s in intent.get("slots", [])}
                for name, intent in _intents(locale).items()}
    assert declared == CONTRACT


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_types_exist_and_values_have_the_agreed_ids(locale: str) -> None:
    """Every slot type is built in or defined; custom values carry the agreed ids."""
    types = {t["name"]: t for t in _language(locale)["types"]}
    used = {slot_type for slots in CONTRACT.values() for slot_type in slots.values()}
    assert all(t.startswith("AMAZON.") or t in types for t in used)
    assert {name: {v["id"] for v in t["values"]} for name, t in types.items()} == SLOT_IDS


@pytest.mark.parametrize("locale", LOCALES)
def test_no_phrase_resolves_to_two_values(locale: str) -> None:
    """Within a slot type, a value or synonym belongs to one id only."""
    for slot_type in _language(locale)["types"]:
        owners: dict[tuple[str, ...], set[str]] = {}
        for value in slot_type["values"]:
            for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                owners.setdefault(tuple(normalise(phrase)), set()).add(value["id"])
        assert {p: ids for p, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_follow_the_sample_rules(locale: str) -> None:
    """Allowed characters only, declared slots once each, spaced; a slot alone only where it
    answers the coach's question."""
    broken = {(name, sample): _broken_sample_rule(name, sample)
              for name, intent in _intents(locale).items() for sample in intent.get("samples", [])}
    assert {key: rule for key, rule in broken.items() if rule} == {}


@pytest.mark.parametrize(("intent", "sample", "rule"), [
    ("ChangePaceIntent", "{pace}", "slot alone outside an answer intent"),
    ("RunTodayIntent", "{distance}", "slot alone outside an answer intent"),
    ("StartingRepsIntent", "{count}", "slot alone outside an answer intent"),
    ("SetBandIntent", "{band}", None),
    ("ReportRepsIntent", "{count}", None),
    ("RunTodayIntent", "{duration}", None),
    ("SetBandIntent", "{band} {band}", "slot used twice"),
    ("SetBandIntent", "the {colour} band", "undeclared slot"),
    ("SetBandIntent", "the {band}band", "slot not spaced"),
    ("SetBandIntent", "the {band} band!", "character not allowed"),
])
def test_the_sample_rules_refuse_what_a_build_would(
    intent: str, sample: str, rule: str | None
) -> None:
    """A slot alone passes only for an answer intent's own slot; other breaches are named."""
    assert _broken_sample_rule(intent, sample) == rule


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_is_repeated_or_shared(locale: str) -> None:
    """No sample appears twice in an intent, nor (after normalisation) in two intents; "what's"
    beside "what is" within one intent is the contraction written out, as Alexa is given it."""
    texts = Counter(s for i in _intents(locale).values() for s in i.get("samples", []))
    owners: dict[tuple[str, ...], set[str]] = {}
    for name, intent in _intents(locale).items():
        for sample in intent.get("samples", []):
            owners.setdefault(_frame(sample, CONTRACT[name]), set()).add(name)
    assert [s for s, n in texts.items() if n > 1] == []
    assert {" ".join(f): names for f, names in owners.items() if len(names) > 1} == {}


def test_frames_tell_slot_types_apart() -> None:
    """Samples differing only in the type of their slot are distinct; the same type is not."""
    assert _frame("about {count}", CONTRACT["ReportRepsIntent"]) != _frame(
        "about {duration}", CONTRACT["RunTodayIntent"])
    assert _frame("{count} reps", CONTRACT["ReportRepsIntent"]) == _frame(
        "{count} reps", CONTRACT["StartingRepsIntent"])


@pytest.mark.parametrize("locale", LOCALES)
def test_main_intents_have_many_samples(locale: str) -> None:
    """The intents runners use most have at least 15 ways to be said."""
    intents = _intents(locale)
    assert {name: len(intents[name]["samples"]) >= 15 for name in MAIN_INTENTS} == dict.fromkeys(
        MAIN_INTENTS, True)


@pytest.mark.parametrize("locale", LOCALES)
def test_manifest_example_phrases_are_samples(locale: str) -> None:
    """The manifest's example phrases are literal samples, as certification requires."""
    samples = {s for i in _intents(locale).values() for s in i.get("samples", [])}
    assert set(MANIFEST_PHRASES) <= samples


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_locales_keep_the_master_samples(locale: str) -> None:
    """Other locales say everything en-US says (they may add their own spellings)."""
    master, local = _intents("en-US"), _intents(locale)
    missing = {name: set(i.get("samples", [])) - set(local[name].get("samples", []))
               for name, i in master.items()}
    assert {name: gone for name, gone in missing.items() if gone} == {}


def test_metric_locales_spell_units_their_way() -> None:
    """Outside the US, kilometres are spelled with -re and colour with -our."""
    for locale in ("en-GB", "en-AU", "en-IN", "en-CA"):
        units = next(t for t in _language(locale)["types"] if t["name"] == "DISTANCE_UNIT")
        names = {v["id"]: v["name"]["value"] for v in units["values"]}
        assert names["kilometers"] == "kilometres"
        assert any("colour" in s for s in _intents(locale)["WhichBandIntent"]["samples"])


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("utterance", "intent", "slots"), MUST_UNDERSTAND)
def test_what_users_must_be_able_to_say_is_a_sample(
    locale: str, utterance: str, intent: str, slots: dict[str, str]
) -> None:
    """Every phrase the product promises matches a sample literally, with the right slots."""
    heard = understand(InteractionModel.load(locale), utterance, tolerant=False)
    assert (heard.kind, heard.intent, heard.exact) == ("intent", intent, True)
    assert {name: heard.slots[name].resolved_id or heard.slots[name].value
            for name in slots} == slots


def _handlers(tmp_path: Path) -> list[Any]:
    bootstrap = pytest.importorskip("skill.bootstrap")
    from skill.settings import Settings

    skill = bootstrap.build_skill(Settings(store_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"))
    return [chain.request_handler for mapper in skill.request_dispatcher.request_mappers
            for chain in mapper.request_handler_chains]


def _intent_input(name: str) -> HandlerInput:
    event = json.loads((EVENTS / "intent-sets-this-week.json").read_text(encoding="utf-8"))
    event["request"]["intent"] = {"name": name, "confirmationStatus": "NONE", "slots": {}}
    envelope = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    return HandlerInput(request_envelope=envelope)


def test_every_intent_has_a_handler(tmp_path: Path) -> None:
    """Each first-release intent is taken by a handler that does not take any intent at all;
    every other intent of the model is answered, if only by the generic answer."""
    handlers = _handlers(tmp_path)
    stranger = _intent_input("NoSuchIntent")
    specific = [h for h in handlers if not h.can_handle(stranger)]
    unhandled = [name for name in _intents("en-US") if name in FIRST_RELEASE
                 and not any(h.can_handle(_intent_input(name)) for h in specific)]
    unanswered = [name for name in _intents("en-US")
                  if not any(h.can_handle(_intent_input(name)) for h in handlers)]
    assert (unhandled, unanswered) == ([], [])
