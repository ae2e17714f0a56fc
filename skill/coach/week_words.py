"""The runner's week in words: day names, lists, times of day, the week and its plan."""

from __future__ import annotations

from skill.coach.voice import Voice
from skill.program.week import Reason, Room, RunWeek, plan_week
from skill.speech.ssml import Speech

NOON = 12
EVENING = 18


def day_name(voice: Voice, day: int) -> str:
    return voice.words.alternatives("week.days")[day]


def listed(voice: Voice, items: list[str], key: str = "week.and", separator: str = ", ") -> str:
    """ "Tuesday", "Tuesday and Thursday", "Tuesday, Thursday and Sunday"."""
    if len(items) <= 1:
        return "".join(items)
    return voice.text(key, first=separator.join(items[:-1]), last=items[-1])


def day_list(voice: Voice, days: list[int]) -> str:
    return listed(voice, [day_name(voice, day) for day in days])


def spoken_time(voice: Voice, hour: int, minute: int) -> str:
    """ "seven a.m.", "six thirty p.m." (or the locale's way: "seven in the morning")."""
    if (hour, minute) == (NOON, 0):
        return voice.text("week.time.noon")
    part = "am" if hour < NOON else "afternoon" if hour < EVENING else "pm"
    clock_hour = voice.number(hour % 12 or 12)
    if minute == 0:
        return voice.text(f"week.time.{part}", hour=clock_hour)
    minutes = (
        voice.number(minute) if minute >= 10 else voice.text("week.time.oh", n=voice.number(minute))
    )
    return voice.text(f"week.time.{part}_minutes", hour=clock_hour, minute=minutes)


def confirmation(voice: Voice, week: RunWeek) -> Speech:
    """ "So: short runs Tuesday and Thursday, a long run Saturday." """
    groups = (
        ("week.short_runs", [run.day for run in week.runs if run.short]),
        (
            "week.long_runs",
            [r.day for r in week.runs if not r.short and (r.long or r.minutes is not None)],
        ),
        ("week.unknown_runs", [r.day for r in week.runs if r.minutes is None and not r.long]),
    )
    parts = [
        voice.text(f"{key}.{'one' if len(days) == 1 else 'many'}", days=day_list(voice, days))
        for key, days in groups
        if days
    ]
    return voice.say("week.confirm", parts=", ".join(parts)) if parts else voice.say("week.no_runs")


def plan_speech(voice: Voice, week: RunWeek) -> Speech:
    """The band days, each with its reason; what the week's room allows; the rest days."""
    plan = plan_week(week)
    speech = Speech()
    if plan.band_days:
        reasons = [
            voice.text(
                "week.plan.before_short_run" if band.reason is Reason.BEFORE_SHORT_RUN
                else "week.plan.rest_from_running",
                day=day_name(voice, band.day),
            )
            for band in plan.band_days
        ]  # fmt: skip
        days = listed(voice, reasons, "week.and_clauses", "; ")
        speech += voice.say("week.plan.band_days", days=days)
    if plan.room is Room.NO_REST_DAY:
        speech += voice.say("week.plan.no_rest_day")
    elif plan.room is Room.LITTLE and plan.band_days:
        count = voice.counted(len(plan.band_days), "band_day")
        speech += voice.say("week.plan.little_room", count=count)
    elif plan.room is Room.LITTLE:
        speech += voice.say("week.plan.no_band_days")
    if plan.rest_days:
        key = "week.plan.one_rest_day" if len(plan.rest_days) == 1 else "week.plan.rest_days"
        speech += voice.say(key, days=day_list(voice, list(plan.rest_days)))
    unknown = [run.day for run in week.runs if run.minutes is None and not run.long]
    if unknown:
        speech += voice.say("week.plan.unknown_counted_long", days=day_list(voice, unknown))
    return speech
