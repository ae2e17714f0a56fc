"""The runner's week through the whole skill: telling the runs, the plan, reminders and consent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.adapters.reminders import Failure
from skill.bootstrap import build_skill, handle_event
from skill.chat.reminders import RecordingReminders, asks_for_consent, consent_request, describe
from skill.coach import week
from skill.coach.clock import Deadline
from skill.coach.session import SessionMemory
from skill.coach.turn import RequestFacts, Turn
from skill.coach.voice import Voice
from skill.settings import Settings
from tests.fakes import CountingStore
from tests.functional.alexa import (
    MONDAY,
    USER_ID,
    Device,
    FixedZone,
    Heard,
    check_response,
    envelope,
    slot,
)

# MONDAY (2027-01-04 13:30 UTC) is 08:30 on a Monday in New York, the fake device's zone.


@pytest.fixture
def reminders() -> RecordingReminders:
    return RecordingReminders()


@pytest.fixture
def week_skill(store: CountingStore, zone: FixedZone, reminders: RecordingReminders) -> CustomSkill:
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    return build_skill(settings, store, time_zones=zone, reminders=reminders)


@pytest.fixture
def runner(week_skill: CustomSkill) -> Device:
    return Device(week_skill)


def day(name: str, code: str, slot_name: str = "day") -> dict[str, Any]:
    return slot(slot_name, name, er_id=code.lower())


def run_days(device: Device, *days: tuple[str, str]) -> Heard:
    names = ("day_one", "day_two", "day_three", "day_four", "day_five")
    slots = [day(n, c, s) for (n, c), s in zip(days, names, strict=False)]
    return device.say("RunDaysIntent", *slots)


def answer_consent(device: Device, granted: bool) -> Heard:
    """The device answers the AskFor permission request, as Alexa does after asking the user."""
    event = envelope("IntentRequest", at=device.now, new=device.attributes is None,
                     attributes=device.attributes)
    event["request"] = consent_request(granted, device.now, device.locale)
    heard = Heard(handle_event(device.skill, event))
    check_response(heard)
    device.attributes = None if heard.ends_session else heard.attributes
    return heard


def directives(heard: Heard) -> list[dict[str, Any]]:
    return list(heard.response.get("directives") or [])


def asks_consent(heard: Heard) -> bool:
    return any(d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor"
               and d["payload"]["permissionScope"] == "alexa::alerts:reminders:skill:readwrite"
               for d in directives(heard))


def tell_usual_week(device: Device) -> None:
    """Short runs Tuesday and Thursday, a long run Saturday; no reminders yet."""
    run_days(device, ("tuesdays", "TU"), ("thursdays", "TH"), ("saturdays", "SA"))
    device.say("RunLengthIntent", day("tuesday", "TU"), slot("duration", "PT30M"))
    device.say("RunLengthIntent", day("thursday", "TH"), slot("duration", "PT25M"))
    device.say("LongRunIntent", day("saturday", "SA"))


def test_run_days_are_confirmed_and_an_unknown_length_is_asked_once(runner: Device) -> None:
    """The days are confirmed in one sentence; a run of unknown length is asked about once."""
    heard = run_days(runner, ("tuesdays", "TU"), ("saturdays", "SA"))
    assert "So: runs Tuesday and Saturday." in heard.text
    assert heard.text.endswith("How long is your Tuesday run?")
    heard = runner.say("RunTodayIntent", slot("duration", "PT25M"))  # "twenty five minutes"
    assert "So: a short run Tuesday, a run Saturday." in heard.text
    assert heard.text.endswith("How long is your Saturday run?")
    heard = runner.say("ReportRepsIntent", slot("count", "90"))  # "ninety"
    assert "So: a short run Tuesday, a long run Saturday." in heard.text
    assert "Tuesday, before your short run" in heard.text
    assert "Shall I remind you on band days?" in heard.text


def test_the_usual_week_told_several_ways_gives_its_plan(runner: Device) -> None:
    """The issue's example week: short runs Tuesday and Thursday, a long run Saturday."""
    tell_usual_week(runner)
    heard = runner.say("WeekPlanIntent")
    assert "Tuesday, before your short run; Thursday, before your short run; and Sunday, a rest " \
           "from running." in heard.text
    assert "Full rest days: Monday, Wednesday and Friday." in heard.text
    assert "Saturday" not in heard.text.split("Full rest days")[0].split("band days")[1]


def test_every_day_except_and_stopping_a_day(runner: Device) -> None:
    """"Every day except Friday", then "I don't run on Wednesdays any more"."""
    heard = runner.say("RunDaysExceptIntent", day("friday", "FR"))
    assert "So: runs Monday, Tuesday, Wednesday, Thursday, Saturday and Sunday." in heard.text
    for _ in range(6):  # each unknown length asked once, answered "over an hour"
        if "How long is your" not in heard.text:
            break
        heard = runner.say("RunTodayIntent", slot("duration", "PT1H10M"))
    assert "no room for band days" in heard.text
    heard = runner.say("NoRunDayIntent", day("wednesday", "WE"))
    assert "So: long runs Monday, Tuesday, Thursday, Saturday and Sunday." in heard.text
    assert "Full rest day" in heard.text


def test_a_week_with_runs_every_day_gets_the_rest_advice(runner: Device) -> None:
    """No full rest day at all: the coach says recovery is where strength grows."""
    heard = run_days(runner, ("monday", "MO"), ("tuesday", "TU"), ("wednesday", "WE"),
                     ("thursday", "TH"), ("friday", "FR"))
    runner.time_out()
    runner.say("LongRunIntent", day("saturday", "SA"))
    runner.time_out()
    runner.say("LongRunIntent", day("sunday", "SU"))
    heard = runner.say("WeekPlanIntent")
    assert "you get stronger during recovery" in heard.text


def test_reminders_with_consent_granted_one_per_band_day(
    runner: Device, reminders: RecordingReminders
) -> None:
    """Consent granted the Alexa way: one weekly reminder per band day, in the device's zone."""
    tell_usual_week(runner)
    reminders.granted = False  # the user has not allowed reminders yet
    heard = runner.say("RemindersIntent", slot("time", "07:00"))
    assert asks_consent(heard) and heard.ends_session
    reminders.granted = True
    heard = answer_consent(runner, granted=True)
    assert "I'll remind you at seven a.m. every Tuesday, Thursday and Sunday." in heard.text
    rules = sorted(r.rule for r in reminders.reminders.values())
    assert rules == [f"FREQ=WEEKLY;BYDAY={d};BYHOUR=7;BYMINUTE=0;BYSECOND=0"
                     for d in ("SU", "TH", "TU")]
    assert {r.time_zone for r in reminders.reminders.values()} == {"America/New_York"}
    assert {r.text for r in reminders.reminders.values()} == {
        "Time for your band workout: say, Alexa, open band coach."}


def test_consent_denied_is_remembered(runner: Device, reminders: RecordingReminders) -> None:
    """A refusal keeps the plan and is not offered again when the week changes."""
    tell_usual_week(runner)
    reminders.granted = False
    runner.say("RemindersIntent", slot("time", "07:00"))
    heard = answer_consent(runner, granted=False)
    assert "no reminders" in heard.text
    heard = runner.say("NoRunDayIntent", day("thursday", "TH"))
    assert "Shall I remind you" not in heard.text
    assert reminders.reminders == {}
    assert "Tuesday, before your short run" in runner.say("WeekPlanIntent").text


def test_offer_answered_yes_then_a_time(runner: Device, reminders: RecordingReminders) -> None:
    """"Shall I remind you on band days? What time?" - yes - "at six thirty p.m."."""
    tell_usual_week(runner)
    runner.say("NoRunDayIntent", day("thursday", "TH"))  # offers again: no answer was given
    heard = runner.say("AMAZON.YesIntent")
    assert heard.text == "What time shall I remind you on band days?"
    heard = runner.say("RemindersIntent", slot("time", "18:30"))
    assert "at six thirty p.m. every" in heard.text
    assert len(reminders.reminders) == 3


def test_a_change_of_plan_replaces_the_reminders(
    runner: Device, reminders: RecordingReminders
) -> None:
    """The plan moves; so do the reminders: moved with PUT, the rest created or deleted."""
    tell_usual_week(runner)
    runner.say("RemindersIntent", slot("time", "07:00"))
    before = dict(reminders.reminders)
    heard = runner.say("RunLengthIntent", day("thursday", "TH"), slot("duration", "PT50M"))
    days = sorted(r.weekday for r in reminders.reminders.values())
    assert days == ["FR", "SU", "TU"]  # Thursday is a long run now: Friday takes its place
    assert any(method == "PUT" for method, _ in reminders.calls)
    assert set(reminders.reminders) == set(before)  # the same reminders, moved
    assert "I'll remind you at seven a.m. every Tuesday, Friday and Sunday." in heard.text


def test_revoked_permission_keeps_the_plan(runner: Device, reminders: RecordingReminders) -> None:
    """Permission revoked in the app: a 401 gets a clear answer and a card; the plan stays."""
    tell_usual_week(runner)
    runner.say("RemindersIntent", slot("time", "07:00"))
    reminders.granted = False
    heard = runner.say("NoRunDayIntent", day("tuesday", "TU"))
    assert "no longer allowed to set reminders" in heard.text
    assert heard.response["card"]["type"] == "AskForPermissionsConsent"
    assert "So: a short run Thursday, a long run Saturday." in heard.text


@pytest.mark.parametrize(("failure", "words"), [
    (Failure.FORBIDDEN, "won't let me set reminders"),
    (Failure.THROTTLED, "asked me to slow down"),
    (Failure.UNAVAILABLE, "isn't answering"),
])
def test_api_errors_get_a_clear_answer_and_never_lose_the_plan(
    runner: Device, reminders: RecordingReminders, failure: Failure, words: str
) -> None:
    """403, 429 and 5xx: each said plainly; the week told is kept."""
    tell_usual_week(runner)
    reminders.failure = failure
    heard = runner.say("RemindersIntent", slot("time", "07:00"))
    assert words in heard.text and "Your plan is saved" in heard.text
    reminders.failure = None
    assert "Sunday, a rest from running" in runner.say("WeekPlanIntent").text


def test_stop_my_reminders_deletes_them(runner: Device, reminders: RecordingReminders) -> None:
    """"Stop my reminders": every reminder deleted, and the plan kept."""
    tell_usual_week(runner)
    runner.say("RemindersIntent", slot("time", "07:00"))
    assert len(reminders.reminders) == 3
    heard = runner.say("StopRemindersIntent")
    assert "no more band-day reminders" in heard.text
    assert reminders.reminders == {}
    heard = runner.say("NoRunDayIntent", day("thursday", "TH"))
    assert reminders.reminders == {}  # a plan change creates none


def test_deleting_data_removes_reminders_first(
    runner: Device, reminders: RecordingReminders, store: CountingStore
) -> None:
    """"Delete my data": the reminders go before the data that holds their tokens."""
    tell_usual_week(runner)
    runner.say("RemindersIntent", slot("time", "07:00"))
    tokens = set(reminders.reminders)
    runner.say("DeleteDataIntent")
    store.reset()
    heard = runner.say("AMAZON.YesIntent")
    assert reminders.reminders == {}
    assert {token for method, token in reminders.calls if method == "DELETE"} == tokens
    assert store.counts.deletes == 1
    assert store.inner.load(runner.user_id) is None
    assert heard.ends_session


def test_the_week_survives_a_new_session_and_a_reset(runner: Device) -> None:
    """The week is stored with the state: a later session and "reset my program" keep it."""
    tell_usual_week(runner)
    runner.time_out()
    runner.wait(days=1)
    runner.say("ResetProgramIntent")
    runner.say("AMAZON.YesIntent")
    runner.time_out()
    assert "Thursday, before your short run" in runner.say("WeekPlanIntent").text


def test_no_week_yet_says_how_to_tell_it(runner: Device) -> None:
    """Asking for the plan before any run is told explains what to say."""
    heard = runner.say("WeekPlanIntent")
    assert "I run on Tuesdays, Thursdays and Saturdays" in heard.text
    heard = runner.say("RemindersIntent", slot("time", "07:00"))
    assert "First tell me which days you run" in heard.text


def test_a_missing_day_is_asked_for(runner: Device) -> None:
    """A day the model did not catch is asked for, and nothing is stored."""
    heard = runner.say("LongRunIntent", slot("day", "someday", no_match=True))
    assert heard.text.startswith("Which day do you mean?")
    assert "haven't told me your runs" in runner.say("WeekPlanIntent").text


def test_first_reminder_day_is_in_the_future(runner: Device, reminders: RecordingReminders) -> None:
    """A reminder starts on its weekday's next date at that time, never in the past."""
    tell_usual_week(runner)
    runner.wait(hours=0)
    runner.say("RemindersIntent", slot("time", "07:00"))
    local_now = (runner.now - timedelta(hours=5)).date()
    for reminder in reminders.reminders.values():
        assert 0 < (reminder.first_day - local_now).days <= 7
        assert reminder.body()["trigger"]["recurrence"]["recurrenceRules"] == [reminder.rule]


def test_should_i_train_uses_the_plan(runner: Device) -> None:
    """With no run mentioned today, the plan answers: rest day, band day, long-run day."""
    tell_usual_week(runner)
    runner.time_out()
    heard = runner.say("ShouldITrainIntent")  # Monday
    assert "Today is a full rest day in your plan; your next band day is Tuesday." in heard.text
    runner.time_out()
    runner.wait(days=1)
    heard = runner.say("ShouldITrainIntent")  # Tuesday
    assert "Yes: today is a band day. Do it right before your run" in heard.text
    runner.time_out()
    runner.wait(days=4)
    heard = runner.say("ShouldITrainIntent")  # Saturday, the long run
    assert "Not before today's longer run: do your bands on Sunday instead." in heard.text


def test_a_run_mentioned_today_and_the_rest_day_rule_come_first(runner: Device) -> None:
    """A run mentioned today leaves the answer to section 6; six trained days mean rest."""
    tell_usual_week(runner)
    runner.time_out()
    runner.say("RunTodayIntent", slot("duration", "PT20M"))  # Monday, a rest day in the plan
    heard = runner.say("ShouldITrainIntent")
    assert "in your plan" not in heard.text and "today is a good day" in heard.text
    for _ in range(5):
        runner.time_out()
        runner.wait(days=1)
        runner.say("RunTodayIntent", slot("duration", "PT20M"))
    runner.time_out()
    runner.wait(days=1)  # Sunday: a band day in the plan, after six days with runs
    heard = runner.say("ShouldITrainIntent")
    assert "make today a rest day" in heard.text and "band day" not in heard.text


@pytest.mark.parametrize(("days", "line"), [
    (0, "Today is a rest day in your plan, but you can still train if you want."),
    (1, "It's a band day: do it as the warm-up for today's run."),
    (5, "You have a longer run today, so your plan has the bands on Sunday, but you can still "
        "train if you want."),
    (6, "It's a band day, and a rest from running."),
])  # fmt: skip
def test_the_launch_line_says_what_today_is(
    runner: Device, store: CountingStore, zone: FixedZone, days: int, line: str
) -> None:
    """The line the launch speaks on a rest day, a band day, a long-run day."""
    tell_usual_week(runner)
    facts = RequestFacts(USER_ID, MONDAY + timedelta(days=days), "en-US", None, True)
    turn = Turn(facts, SessionMemory(zone="America/New_York"), store, zone, Deadline(5))
    assert week.launch_line(turn, Voice.for_locale("en-US")).plain == line
    assert week.launch_line(
        Turn(replace(facts, user_id="someone-else"), SessionMemory(), store, zone, Deadline(5)),
        Voice.for_locale("en-US"),
    ).plain == ""  # no week told: nothing to say


def resume_with(device: Device, request: dict[str, Any]) -> Heard:
    """Send a consent answer shaped as `request` (the newer SessionResumedRequest flow)."""
    event = envelope("IntentRequest", at=device.now, new=True)
    event["request"] = request
    heard = Heard(handle_event(device.skill, event))
    check_response(heard)
    return heard


def test_the_newer_consent_flow_and_an_unanswered_request(
    runner: Device, reminders: RecordingReminders
) -> None:
    """A SessionResumedRequest carrying the consent creates the reminders; an unanswered
    request gets the consent card instead."""
    tell_usual_week(runner)
    reminders.granted = False
    runner.say("RemindersIntent", slot("time", "07:00"))
    unanswered = consent_request(True, runner.now, "en-US")
    unanswered["payload"]["status"] = "NOT_ANSWERED"
    heard = resume_with(runner, unanswered)
    assert heard.response["card"]["type"] == "AskForPermissionsConsent"
    assert heard.response["card"]["permissions"] == ["alexa::alerts:reminders:skill:readwrite"]
    reminders.granted = True
    resumed = {
        "type": "SessionResumedRequest", "requestId": "amzn1.echo-api.request.resumed",
        "timestamp": unanswered["timestamp"], "locale": "en-US",
        "cause": {"type": "ConnectionCompleted", "token": "band_coach.reminders",
                  "status": {"code": "200", "message": "OK"},
                  "result": {"permissionScopes": [{
                      "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                      "consentStatus": "ACCEPTED"}]}},
    }  # fmt: skip
    heard = resume_with(runner, resumed)
    assert "I'll remind you at seven a.m. every Tuesday, Thursday and Sunday." in heard.text
    assert len(reminders.reminders) == 3


def test_what_the_terminal_coach_shows(runner: Device, reminders: RecordingReminders) -> None:
    """`:reminders` lists what was created; the consent request is spotted in a response."""
    assert describe(reminders) == ["(no reminders)"]
    tell_usual_week(runner)
    reminders.granted = False
    heard = runner.say("RemindersIntent", slot("time", "07:00"))
    assert asks_for_consent(heard.raw)
    reminders.granted = True
    answer_consent(runner, granted=True)
    assert describe(reminders)[0] == (
        "Tuesday 07:00 (America/New_York), weekly [FREQ=WEEKLY;BYDAY=TU;BYHOUR=7;BYMINUTE=0;"
        "BYSECOND=0]: Time for your band workout: say, Alexa, open band coach."
    )


def test_consent_granted_before_a_time_was_chosen_asks_the_time(runner: Device) -> None:
    """Permission granted with no reminder pending: the coach asks what time."""
    tell_usual_week(runner)
    runner.time_out()
    heard = answer_consent(runner, granted=True)
    assert heard.text == "What time shall I remind you on band days?"


def _planned_band_days(text: str) -> int:
    listed = text.split("Your band days: ")[1].split(".")[0]
    return listed.count("before your short run") + listed.count("a rest from running")


def test_four_band_days_are_planned_when_asked(runner: Device) -> None:
    """"Plan four band days": the plan holds four from then on; five is refused with the
    range and changes nothing."""
    tell_usual_week(runner)
    assert _planned_band_days(runner.say("WeekPlanIntent").text) == 3
    heard = runner.say("WeekPlanIntent", slot("band_days", "4"))
    assert "Your plan now holds four band days a week." in heard.text
    assert _planned_band_days(heard.text) == 4
    runner.time_out()
    assert _planned_band_days(runner.say("WeekPlanIntent").text) == 4
    heard = runner.say("WeekPlanIntent", slot("band_days", "5"))
    assert "one to four band days a week" in heard.text
    assert _planned_band_days(runner.say("WeekPlanIntent").text) == 4
