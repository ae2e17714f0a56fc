"""The Reminders API client over real HTTPS against a local stand-in that checks each request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.adapters.reminders import (
    AlexaReminders,
    Failure,
    ReminderAccess,
    RemindersError,
    WeeklyReminder,
)
from skill.bootstrap import build_skill, handle_event
from skill.settings import Settings
from tests.functional.alexa import Device, FixedZone, Heard, check_response, envelope, slot
from tests.integration.reminders_standin import StandIn, reminders_standin, schema_problems

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.example-token-not-a-real-jwt.signature"
REMINDER = WeeklyReminder(
    "TU", 7, 0, "America/New_York", "en-US", "Time for your band workout: say, Alexa, open band "
    "coach.", datetime(2027, 1, 4, 13, 30, tzinfo=UTC), date(2027, 1, 5),
)  # fmt: skip


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[StandIn]:
    with reminders_standin(tmp_path, TOKEN) as server:
        yield server


def access(standin: StandIn, token: str = TOKEN) -> ReminderAccess:
    return ReminderAccess(standin.url, token)


def test_create_update_delete_over_https(standin: StandIn) -> None:
    """POST gives a token, PUT moves the reminder, DELETE removes it; every request passes the
    stand-in's checks of headers and body."""
    api = AlexaReminders(ca_bundle=standin.ca_bundle)
    token = api.create(access(standin), REMINDER, 5)
    assert token in standin.reminders
    moved = WeeklyReminder(**{**REMINDER.__dict__, "weekday": "SU", "first_day": date(2027, 1, 10)})
    api.update(access(standin), token, moved, 5)
    rules = standin.reminders[token]["trigger"]["recurrence"]["recurrenceRules"]
    assert rules == ["FREQ=WEEKLY;BYDAY=SU;BYHOUR=7;BYMINUTE=0;BYSECOND=0"]
    api.delete(access(standin), token, 5)
    assert standin.reminders == {} and standin.problems == []
    assert [r.method for r in standin.received] == ["POST", "PUT", "DELETE"]
    assert standin.received[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert standin.received[0].path == "/v1/alerts/reminders"


@pytest.mark.parametrize(("status", "failure"), [
    (401, Failure.NO_PERMISSION), (403, Failure.FORBIDDEN), (429, Failure.THROTTLED),
    (500, Failure.UNAVAILABLE),
])  # fmt: skip
def test_each_error_status_is_its_own_failure(
    standin: StandIn, status: int, failure: Failure
) -> None:
    """401, 403, 429 and 500 each come back as the failure the coach has words for."""
    standin.answer = status
    with pytest.raises(RemindersError) as raised:
        AlexaReminders(ca_bundle=standin.ca_bundle).create(access(standin), REMINDER, 5)
    assert raised.value.failure is failure


def test_a_wrong_token_is_refused_as_no_permission(standin: StandIn) -> None:
    """The stand-in checks the bearer token: another one gets 401."""
    with pytest.raises(RemindersError) as raised:
        AlexaReminders(ca_bundle=standin.ca_bundle).create(access(standin, "other"), REMINDER, 5)
    assert raised.value.failure is Failure.NO_PERMISSION


def test_deleting_an_unknown_reminder_is_gone(standin: StandIn) -> None:
    """A reminder the user deleted meanwhile answers 404: GONE, which deleting accepts."""
    with pytest.raises(RemindersError) as raised:
        AlexaReminders(ca_bundle=standin.ca_bundle).delete(access(standin), "alert-404", 5)
    assert raised.value.failure is Failure.GONE


def test_an_untrusted_certificate_is_refused(standin: StandIn) -> None:
    """Without the stand-in's CA the TLS handshake fails: the client checks certificates."""
    with pytest.raises(RemindersError) as raised:
        AlexaReminders().create(access(standin), REMINDER, 5)
    assert raised.value.failure is Failure.UNAVAILABLE
    assert standin.received == []


def test_no_time_left_makes_no_call(standin: StandIn) -> None:
    """A request whose deadline has passed does not call the API at all."""
    with pytest.raises(RemindersError):
        AlexaReminders(ca_bundle=standin.ca_bundle).create(access(standin), REMINDER, 0)
    assert standin.received == []


def test_the_standin_rejects_a_body_off_the_schema() -> None:
    """The stand-in's checks can fail: a daily rule, a zone on the time, no locale."""
    body: dict[str, Any] = REMINDER.body()
    body["trigger"]["recurrence"]["recurrenceRules"] = ["FREQ=DAILY;BYHOUR=7"]
    body["trigger"]["scheduledTime"] = "2027-01-05T07:00:00Z"
    body["alertInfo"]["spokenInfo"]["content"] = [{"text": "hi"}]
    assert len(schema_problems(body)) == 3
    assert schema_problems(REMINDER.body()) == []


# --- through the whole skill --------------------------------------------------------------------


class StandInDevice(Device):
    """A device whose requests name the stand-in as their `apiEndpoint`."""

    def __init__(self, standin: StandIn, tmp_path: Path) -> None:
        settings = Settings.load({"store_url": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                                  "skill_id": None})
        skill = build_skill(settings, time_zones=FixedZone("Europe/London"),
                            reminders=AlexaReminders(ca_bundle=standin.ca_bundle))
        super().__init__(skill, locale="en-GB")
        self.endpoint = standin.url

    def send(self, request_type: str, intent: str | None = None,
             slots: Any = (), **extra: Any) -> Heard:
        event = envelope(request_type, intent=intent, slots=slots, at=self.now,
                         new=self.attributes is None, attributes=self.attributes,
                         user_id=self.user_id, locale=self.locale, **extra)
        event["context"]["System"]["apiEndpoint"] = self.endpoint
        heard = Heard(handle_event(self.skill, event))
        check_response(heard)
        self.attributes = None if heard.ends_session else heard.attributes
        self.now += timedelta(seconds=5)
        return heard


def tell_week(device: Device) -> None:
    device.say("RunLengthIntent", slot("day", "tuesday", er_id="tu"), slot("duration", "PT30M"))
    device.say("RunLengthIntent", slot("day", "thursday", er_id="th"), slot("duration", "PT20M"))
    device.say("LongRunIntent", slot("day", "saturday", er_id="sa"))


def test_the_skill_creates_band_day_reminders_over_https(standin: StandIn, tmp_path: Path) -> None:
    """ "Remind me at seven": three weekly reminders in the device's zone and locale."""
    device = StandInDevice(standin, tmp_path)
    tell_week(device)
    heard = device.say("RemindersIntent", slot("time", "07:00"))
    said = "I'll remind you at seven in the morning every Tuesday, Thursday and Sunday."
    assert said in heard.text
    assert standin.problems == []
    bodies = list(standin.reminders.values())
    rules = sorted(b["trigger"]["recurrence"]["recurrenceRules"][0] for b in bodies)
    assert rules == [f"FREQ=WEEKLY;BYDAY={d};BYHOUR=7;BYMINUTE=0;BYSECOND=0"
                     for d in ("SU", "TH", "TU")]
    assert {b["trigger"]["timeZoneId"] for b in bodies} == {"Europe/London"}
    assert {b["alertInfo"]["spokenInfo"]["content"][0]["locale"] for b in bodies} == {"en-GB"}


def test_a_server_error_keeps_the_plan(standin: StandIn, tmp_path: Path) -> None:
    """A 500 from the API is said plainly and the plan stays."""
    device = StandInDevice(standin, tmp_path)
    tell_week(device)
    standin.answer = 500
    heard = device.say("RemindersIntent", slot("time", "07:00"))
    assert "isn't answering" in heard.text and "Your plan is saved" in heard.text
    assert "Sunday, a rest from running" in device.say("WeekPlanIntent").text
