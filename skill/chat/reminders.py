"""Reminders for the terminal coach (and the tests): an in-memory Reminders API that records
what the skill creates, a device's answer to the permission request, and their display.

`:reminders` prints `describe(api)`; `:grant` and `:deny` answer a pending permission request
with `consent_request(granted)`, the `request` of a `Connections.Response` envelope.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skill.adapters.reminders import (
    SCOPE,
    Failure,
    ReminderAccess,
    RemindersError,
    WeeklyReminder,
)

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}  # fmt: skip


@dataclass
class RecordingReminders:
    """A Reminders API in memory. Without `granted` every call answers 401, as the real API does
    before the user allows reminders (or after they revoke them); `failure` makes every call
    fail that way (a 403, 429 or 5xx)."""

    granted: bool = True
    failure: Failure | None = None
    reminders: dict[str, WeeklyReminder] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, token or weekday)
    _tokens: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _check(self, method: str, what: str) -> None:
        self.calls.append((method, what))
        if not self.granted:
            raise RemindersError(Failure.NO_PERMISSION, f"{method} answered 401")
        if self.failure is not None:
            raise RemindersError(self.failure, f"{method} failed ({self.failure.value})")

    def create(self, access: ReminderAccess, reminder: WeeklyReminder, timeout: float) -> str:
        self._check("POST", reminder.weekday)
        token = f"alert-{next(self._tokens)}"
        self.reminders[token] = reminder
        return token

    def update(
        self, access: ReminderAccess, token: str, reminder: WeeklyReminder, timeout: float
    ) -> None:
        self._check("PUT", token)
        if token not in self.reminders:
            raise RemindersError(Failure.GONE, "PUT answered 404")
        self.reminders[token] = reminder

    def delete(self, access: ReminderAccess, token: str, timeout: float) -> None:
        self._check("DELETE", token)
        if self.reminders.pop(token, None) is None:
            raise RemindersError(Failure.GONE, "DELETE answered 404")


def describe(api: RecordingReminders) -> list[str]:
    """One line per reminder: "Tuesday 07:00 (America/New_York), weekly: Time for ..."."""
    if not api.reminders:
        return ["(no reminders)"]
    ordered = sorted(api.reminders.items(), key=lambda item: list(DAY_NAMES).index(item[1].weekday))
    return [
        f"{DAY_NAMES[r.weekday]} {r.hour:02d}:{r.minute:02d} ({r.time_zone}), weekly "
        f"[{r.rule}]: {r.text}"
        for _, r in ordered
    ]


def asks_for_consent(response: dict[str, Any]) -> bool:
    """Whether a response envelope carries the AskFor permission request for reminders."""
    directives = (response.get("response") or {}).get("directives") or []
    return any(
        d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor"
        for d in directives
        if isinstance(d, dict)
    )


def consent_request(granted: bool, at: datetime, locale: str) -> dict[str, Any]:
    """The `request` Alexa sends once the user answers the permission request."""
    return {
        "type": "Connections.Response",
        "requestId": "amzn1.echo-api.request.consent",
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": locale,
        "status": {"code": "200", "message": "OK"},
        "name": "AskFor",
        "payload": {"permissionScope": SCOPE, "status": "ACCEPTED" if granted else "DENIED"},
        "token": "band_coach.reminders",
    }
