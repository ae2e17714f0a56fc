"""The Alexa Reminders API: weekly recurring reminders, created, moved and deleted over HTTPS.

`POST`, `PUT` and `DELETE {apiEndpoint}/v1/alerts/reminders[/{alertToken}]` with the request's
`apiAccessToken` as a bearer token. Each call runs on a daemon thread joined with a timeout
bounded by the request's deadline (urllib's own timeout does not bound the name lookup).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol
from urllib.parse import quote

log = logging.getLogger(__name__)

SCOPE = "alexa::alerts:reminders:skill:readwrite"
PATH = "/v1/alerts/reminders"
CALL_TIMEOUT_SECONDS = 2.0  # one call; the request's deadline may allow less


class Failure(Enum):
    NO_PERMISSION = "no_permission"  # 401: never granted, or revoked in the Alexa app
    FORBIDDEN = "forbidden"  # 403: not allowed here (device, account, or too many reminders)
    THROTTLED = "throttled"  # 429
    GONE = "gone"  # 404: the reminder no longer exists (the user deleted it)
    UNAVAILABLE = "unavailable"  # 5xx, a timeout, the network, or an answer we cannot read


_STATUS_FAILURES = {401: Failure.NO_PERMISSION, 403: Failure.FORBIDDEN,
                    404: Failure.GONE, 429: Failure.THROTTLED}  # fmt: skip


class RemindersError(Exception):
    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure


@dataclass(frozen=True)
class ReminderAccess:
    """What the API needs from the request: `context.System.apiEndpoint` and its token."""

    api_endpoint: str
    api_access_token: str


@dataclass(frozen=True)
class WeeklyReminder:
    """One reminder every week on `weekday` ("TU") at `hour`:`minute` in `time_zone`."""

    weekday: str
    hour: int
    minute: int
    time_zone: str
    locale: str
    text: str
    requested_at: datetime  # the request's instant, UTC
    first_day: date  # the first local date it goes off

    @property
    def rule(self) -> str:
        """The RFC 5545 recurrence rule."""
        return (
            f"FREQ=WEEKLY;BYDAY={self.weekday};BYHOUR={self.hour};BYMINUTE={self.minute};BYSECOND=0"
        )

    def body(self) -> dict[str, Any]:
        """The request body the Reminders API documents for a recurring absolute reminder."""
        first = f"{self.first_day.isoformat()}T{self.hour:02d}:{self.minute:02d}:00.000"
        return {
            "requestTime": self.requested_at.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "trigger": {
                "type": "SCHEDULED_ABSOLUTE",
                "scheduledTime": first,
                "timeZoneId": self.time_zone,
                "recurrence": {"startDateTime": first, "recurrenceRules": [self.rule]},
            },
            "alertInfo": {"spokenInfo": {"content": [{"locale": self.locale, "text": self.text}]}},
            "pushNotification": {"status": "ENABLED"},
        }


class RemindersApi(Protocol):
    """The port: every method raises `RemindersError` when the API refuses or cannot answer."""

    def create(self, access: ReminderAccess, reminder: WeeklyReminder, timeout: float) -> str:
        """A new reminder; its alert token."""

    def update(
        self, access: ReminderAccess, token: str, reminder: WeeklyReminder, timeout: float
    ) -> None: ...

    def delete(self, access: ReminderAccess, token: str, timeout: float) -> None: ...


class AlexaReminders:
    """The real API. `ca_bundle` names the certificates to trust (the system's by default)."""

    def __init__(self, ca_bundle: str | None = None) -> None:
        self.ca_bundle = ca_bundle

    def create(self, access: ReminderAccess, reminder: WeeklyReminder, timeout: float) -> str:
        answer = self._call("POST", access, "", reminder.body(), timeout)
        token = answer.get("alertToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise RemindersError(Failure.UNAVAILABLE, "created, but no alertToken came back")
        return token

    def update(
        self, access: ReminderAccess, token: str, reminder: WeeklyReminder, timeout: float
    ) -> None:
        self._call("PUT", access, token, reminder.body(), timeout)

    def delete(self, access: ReminderAccess, token: str, timeout: float) -> None:
        self._call("DELETE", access, token, None, timeout)

    def _call(
        self, method: str, access: ReminderAccess, token: str, body: object, timeout: float
    ) -> object:
        timeout = min(timeout, CALL_TIMEOUT_SECONDS)
        if timeout <= 0:
            raise RemindersError(Failure.UNAVAILABLE, "no time left in this request")
        answer: list[object] = []
        worker = threading.Thread(
            target=lambda: answer.append(self._send(method, access, token, body, timeout)),
            daemon=True,
        )
        worker.start()
        worker.join(timeout)
        if not answer:
            raise RemindersError(Failure.UNAVAILABLE, f"{method} timed out")
        if isinstance(answer[0], RemindersError):
            raise answer[0]
        return answer[0]

    def _send(
        self, method: str, access: ReminderAccess, token: str, body: object, timeout: float
    ) -> object:
        """The answer's JSON (None when empty), or the `RemindersError` to raise."""
        import ssl  # here, not above: ssl and urllib load slowly (cold start)
        import urllib.error
        import urllib.request

        url = (
            access.api_endpoint.rstrip("/") + PATH + (f"/{quote(token, safe='')}" if token else "")
        )
        data = None if body is None else json.dumps(body).encode()
        headers = {
            "Authorization": f"Bearer {access.api_access_token}",
            "Accept": "application/json",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        context = ssl.create_default_context(cafile=self.ca_bundle)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                raw = response.read(64 * 1024)
        except urllib.error.HTTPError as error:
            failure = _STATUS_FAILURES.get(error.code, Failure.UNAVAILABLE)
            log.info("reminders %s answered %s", method, error.code)
            return RemindersError(failure, f"{method} answered {error.code}")
        except OSError as error:  # URLError, TLS failures and timeouts are OSErrors
            log.info("reminders %s failed: %s", method, type(error).__name__)
            return RemindersError(Failure.UNAVAILABLE, f"{method} failed: {type(error).__name__}")
        try:
            return json.loads(raw) if raw.strip() else None
        except ValueError:
            return RemindersError(Failure.UNAVAILABLE, f"{method} answered something not JSON")
