"""skill.json, the manifest: locales, example phrases, events and compliance answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import MODELS, ROOT

MANIFEST: dict[str, Any] = json.loads((ROOT / "skill.json").read_text())["manifest"]
LOCALES: dict[str, Any] = MANIFEST["publishingInformation"]["locales"]
LAUNCH_PREFIX = re.compile(r"^Alexa, (open|ask) band coach( to)?\s*", re.IGNORECASE)


def model_samples(locale: str) -> set[str]:
    """Every sample utterance of a locale's model, lowercased."""
    model = json.loads((MODELS / f"{locale}.json").read_text())["interactionModel"]
    intents = model["languageModel"]["intents"]
    return {sample.lower() for intent in intents for sample in intent.get("samples", [])}


def test_the_skill_is_published_in_five_english_locales() -> None:
    """en-US, en-GB, en-CA, en-AU and en-IN, named Band Coach, in the fitness category."""
    assert set(LOCALES) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    assert {locale["name"] for locale in LOCALES.values()} == {"Band Coach"}
    assert MANIFEST["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_every_locale_has_an_interaction_model(locale: str) -> None:
    """A locale without a model cannot be built in the console."""
    model = json.loads((MODELS / f"{locale}.json").read_text())
    assert model["interactionModel"]["languageModel"]["invocationName"] == "band coach"


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_example_phrases_are_samples_of_the_model(locale: str) -> None:
    """Certification rejects example phrases the model does not understand."""
    phrases = LOCALES[locale]["examplePhrases"]
    assert phrases[0] == "Alexa, open band coach"
    requests = [LAUNCH_PREFIX.sub("", phrase) for phrase in phrases[1:]]
    assert requests and all(requests)
    assert {request.lower() for request in requests} <= model_samples(locale)


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_the_description_carries_the_safety_note(locale: str) -> None:
    """A fitness skill says it is not medical advice and to stop if anything hurts."""
    description = LOCALES[locale]["description"]
    assert "not medical advice" in description
    assert "stop if anything hurts" in description
    assert len(LOCALES[locale]["summary"]) <= 160


def test_skill_disabled_events_reach_the_endpoint() -> None:
    """The skill hears when a user disables it, so it can erase their data."""
    events = MANIFEST["events"]
    assert {"eventName": "SKILL_DISABLED"} in events["subscriptions"]
    assert events["endpoint"]["uri"].startswith("arn:aws:lambda:")
    assert MANIFEST["apis"]["custom"]["endpoint"]["uri"].startswith("arn:aws:lambda:")


def test_only_the_reminders_permission_is_requested() -> None:
    """Reminders on band days need the reminders permission; the device time zone needs none,
    and nothing else is read from the user."""
    assert MANIFEST["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]


def test_the_audio_player_interface_is_declared() -> None:
    """A workout played as one stream needs the AudioPlayer interface declared."""
    assert {"type": "AUDIO_PLAYER"} in MANIFEST["apis"]["custom"]["interfaces"]


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_audio_playback_intents_are_in_the_model(locale: str) -> None:
    """A skill that plays audio must take pause, resume, next, previous, start over, loop and
    shuffle while it owns playback: every locale's model declares them."""
    model = json.loads((MODELS / f"{locale}.json").read_text())["interactionModel"]
    names = {intent["name"] for intent in model["languageModel"]["intents"]}
    required = {f"AMAZON.{name}Intent" for name in (
        "Pause", "Resume", "Next", "Previous", "StartOver", "LoopOn", "LoopOff", "ShuffleOn",
        "ShuffleOff", "Cancel", "Stop", "Help")}
    assert required <= names


def test_privacy_and_compliance_answers() -> None:
    """No personal information, purchases or ads; not for children; with a privacy policy."""
    compliance = MANIFEST["privacyAndCompliance"]
    assert compliance["usesPersonalInfo"] is False
    assert compliance["isChildDirected"] is False
    assert compliance["allowsPurchases"] is False
    assert compliance["containsAds"] is False
    assert compliance["isExportCompliant"] is True
    assert set(compliance["locales"]) == set(LOCALES)
    urls = {entry["privacyPolicyUrl"] for entry in compliance["locales"].values()}
    assert all(url.startswith("https://") for url in urls)
