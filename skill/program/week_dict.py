"""The runner's week as a JSON-compatible dict, stored inside the training state's dict.

Old records have no week (the key is absent); a week written by a later version may carry keys
this one does not know, and one written by an earlier version may lack some: both load.
"""

from __future__ import annotations

from skill.program.errors import InvalidState
from skill.program.week import (
    BAND_DAYS,
    DAYS_IN_WEEK,
    MOST_BAND_DAYS,
    WEEKDAY_CODES,
    Alert,
    Reminders,
    Run,
    RunWeek,
)

MAX_RUN_MINUTES = 24 * 60
RUN_WEEK_KEY = "run_week"  # the key in the state's dict; absent means no week was given


def week_to_dict(week: RunWeek) -> dict[str, object]:
    """The JSON-compatible form: weekdays as their codes ("TU"), everything else plain."""
    reminders = week.reminders
    return {
        "runs": [
            {"day": WEEKDAY_CODES[r.day], "minutes": r.minutes, "long": r.long} for r in week.runs
        ],
        "asked_lengths": [WEEKDAY_CODES[day] for day in week.asked_lengths],
        "band_days": week.band_days,
        "reminders": None if reminders is None else {
            "hour": reminders.hour,
            "minute": reminders.minute,
            "alerts": [
                {"day": WEEKDAY_CODES[a.day], "hour": a.hour, "minute": a.minute, "token": a.token}
                for a in reminders.alerts
            ],
        },
        "reminders_refused": week.reminders_refused,
    }  # fmt: skip


def week_from_dict(data: object, where: str = "state.run_week") -> RunWeek:
    """The inverse of `week_to_dict`. Tolerant of keys a later version adds or an earlier one
    lacked (they take their defaults); `InvalidState` for a value of the wrong kind."""
    fields = _object(data, where)
    runs = [
        Run(_day(run, f"{where}.runs"), _number(run, "minutes", 1, MAX_RUN_MINUTES, None),
            _flag(run, "long"))
        for run in map(lambda r: _object(r, f"{where}.runs"), _list(fields, "runs", where))
    ]  # fmt: skip
    if len({run.day for run in runs}) != len(runs):
        raise InvalidState(f"{where}.runs: two runs on one day")
    asked = [
        _code(code, f"{where}.asked_lengths") for code in _list(fields, "asked_lengths", where)
    ]
    reminders = fields.get("reminders")
    return RunWeek(
        runs=tuple(sorted(runs, key=lambda run: run.day)),
        asked_lengths=tuple(sorted(set(asked))),
        band_days=_number(fields, "band_days", 1, MOST_BAND_DAYS, BAND_DAYS) or BAND_DAYS,
        reminders=None if reminders is None else _reminders(reminders, f"{where}.reminders"),
        reminders_refused=_flag(fields, "reminders_refused"),
    )


def run_week_entry(week: RunWeek | None) -> dict[str, object]:
    """What `state_to_dict` adds: nothing without a week, so old readers see what they know."""
    return {} if week is None else {RUN_WEEK_KEY: week_to_dict(week)}


def split_run_week(data: object) -> tuple[object, RunWeek | None]:
    """A state dict without its week, and the week (None when absent, as in older records)."""
    if not isinstance(data, dict) or RUN_WEEK_KEY not in data:
        return data, None
    rest = {key: value for key, value in data.items() if key != RUN_WEEK_KEY}
    week = data[RUN_WEEK_KEY]
    return rest, None if week is None else week_from_dict(week)


def _reminders(data: object, where: str) -> Reminders:
    fields = _object(data, where)
    alerts = []
    for alert in map(lambda a: _object(a, f"{where}.alerts"), _list(fields, "alerts", where)):
        token = alert.get("token")
        if not isinstance(token, str) or not token:
            raise InvalidState(f"{where}.alerts: a token must be a non-empty string")
        alert_at = _number(alert, "hour", 0, 23, 0) or 0, _number(alert, "minute", 0, 59, 0) or 0
        alerts.append(Alert(_day(alert, f"{where}.alerts"), *alert_at, token))
    hour = _number(fields, "hour", 0, 23, None)
    if hour is None:
        raise InvalidState(f"{where}.hour: expected an hour from 0 to 23")
    return Reminders(hour, _number(fields, "minute", 0, 59, 0) or 0, tuple(alerts))


def _object(data: object, where: str) -> dict[str, object]:
    if not isinstance(data, dict):
        raise InvalidState(f"{where}: expected an object, got {type(data).__name__}")
    return data


def _list(fields: dict[str, object], key: str, where: str) -> list[object]:
    value = fields.get(key, [])
    if not isinstance(value, list) or len(value) > 2 * DAYS_IN_WEEK:
        raise InvalidState(f"{where}.{key}: expected a short list")
    return value


def _code(value: object, where: str) -> int:
    if value not in WEEKDAY_CODES:
        raise InvalidState(f"{where}: expected a weekday code MO..SU, got {value!r}")
    return WEEKDAY_CODES.index(str(value))


def _day(fields: dict[str, object], where: str) -> int:
    return _code(fields.get("day"), f"{where}.day")


def _number(
    fields: dict[str, object], key: str, low: int, high: int, default: int | None
) -> int | None:
    value = fields.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidState(f"{key}: expected an integer from {low} to {high}, got {value!r}")
    return value


def _flag(fields: dict[str, object], key: str) -> bool:
    value = fields.get(key, False)
    if not isinstance(value, bool):
        raise InvalidState(f"{key}: expected true or false, got {value!r}")
    return value
