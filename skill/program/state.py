"""A user's training state and history records, and their JSON-compatible dict forms.

The state is bounded: besides the block position it keeps only a window of recent records
(enough for every rule: the rest-day rule, today's last workout) and counters for the
current program week. Storage keeps the full history as appended `record_to_dict` entries.

A workout's identity is `workout_id`: its start instant and the user's count of workouts begun
(two workouts begun in one second differ); a run mentioned in the same second as another gets a
`run_id`. Keys added since schema 1 (`workout_id`, `id`,
`workouts_begun`) may be absent: states and records stored before them load as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from skill.program.catalogue import (
    CIRCUIT,
    DEFAULT_LEVEL,
    LEVELS,
    MAX_REPS,
    MIN_REPS,
    PACE_STEPS,
    REPORT_MAX,
    REPORT_MIN,
    ROUNDS_PER_BLOCK,
    Band,
)
from skill.program.errors import InvalidState, ProgramError
from skill.program.fields import Fields
from skill.program.frozen import replace
from skill.program.timekeeping import format_instant, zone
from skill.program.timeline import Playing, playing_from_dict, playing_to_dict
from skill.program.week import RunWeek
from skill.program.week_dict import run_week_entry, split_run_week

SCHEMA_VERSION = 1
WINDOW_DAYS = 9  # the rest-day rule looks 7 local days back; 2 more absorb time zone moves
WINDOW_RECORDS = 48  # of each kind, newest kept: far more than anyone trains in 9 days
MAX_RUN_MINUTES = 24 * 60
MAX_COUNT = 10**6

Levels = Mapping[str, int]


def default_levels() -> dict[str, int]:
    return {exercise.id: DEFAULT_LEVEL for exercise in CIRCUIT}


@dataclass(frozen=True)
class WorkoutRecord:
    """One workout in the history. It belongs to the local date on which it started."""

    started_at: datetime  # UTC instant
    local_date: date
    time_zone: str  # the zone known when it started
    band: Band
    program_week: int  # 1..4, also the rounds planned
    rep_target: int
    rounds_done: int
    complete: bool  # every exercise of every round done, none skipped
    ended_at: datetime | None = None  # None when settled after being left unfinished
    reported_reps: int | None = None  # the lowest count the user reported, if any
    raised_target: bool = False  # this workout raised the rep target
    workout_id: str | None = None  # None for records made before workouts had one

    @property
    def rounds(self) -> int:
        return self.program_week

    @property
    def counting(self) -> bool:
        """At least one full round: only counting workouts begin weeks and count in them."""
        return self.rounds_done >= 1

    @property
    def short(self) -> bool:
        return self.reported_reps is not None and self.reported_reps < self.rep_target


@dataclass(frozen=True)
class RunRecord:
    """A run the user mentioned; `minutes` is None for a run given only as a distance."""

    at: datetime
    local_date: date
    minutes: int | None
    run_id: str | None = None  # set only for a second run mentioned in the same second


def new_run(state: TrainingState, at: datetime, local_date: date, minutes: int | None) -> RunRecord:
    """A run mentioned now; one mentioned in the same second as another gets an id of its own
    (both are in the recent window, which holds every run of the last days)."""
    same_instant = sum(run.at == at for run in state.recent_runs)
    identity = f"{format_instant(at)}-{same_instant + 1}" if same_instant else None
    return RunRecord(at, local_date, minutes, identity)


@dataclass(frozen=True)
class WorkoutInProgress:
    """The guided workout under way: what was planned and where the last response started."""

    started_at: datetime
    local_date: date
    time_zone: str
    band: Band
    program_week: int
    rep_target: int
    levels: Levels
    begins_week: bool  # if it counts, it begins this program week
    round: int = 1  # 1-based
    exercise_index: int = 0  # 0-based, circuit order
    reported_reps: int | None = None
    skipped: bool = False  # an exercise was skipped: it cannot be complete
    playing: Playing | None = None  # the stretch last sent from `round`/`exercise_index`
    workout_id: str | None = None  # see `new_workout_id`; None if begun before workouts had one

    @property
    def rounds(self) -> int:
        return self.program_week


MIN_TRANSITION_STEP, MAX_TRANSITION_STEP = -1, 3  # "less/more time between exercises"


@dataclass(frozen=True)
class Coaching:
    """How the user wants to be coached: continuous play (the default where the device can)
    or turn by turn, the time between sets, and the workout whose stream failed."""

    turn_by_turn: bool = False
    transition_step: int = 0
    failed_workout: str | None = None  # that workout carries on turn by turn


@dataclass(frozen=True)
class TrainingState:
    band: Band = Band.GREEN
    program_week: int = 0  # 0 before the first week of a block
    week_start: date | None = None  # local date the program week began
    rep_target: int = MIN_REPS
    levels: Levels = field(default_factory=default_levels)
    pace_step: int = 0
    time_zone: str | None = None
    safety_note_heard: bool = False
    in_progress: WorkoutInProgress | None = None
    recent_workouts: tuple[WorkoutRecord, ...] = ()  # recording order, bounded window
    recent_runs: tuple[RunRecord, ...] = ()  # bounded window
    block_ready: bool = False  # a complete 12-rep workout was done in week 4 of this block
    week_workouts: int = 0  # counting workouts in the current program week
    week_rounds: int = 0  # rounds done in them: the sets of each exercise this week
    last_rise_date: date | None = None
    last_counting_date: date | None = None
    total_workouts: int = 0  # counting workouts ever
    # The state from before a workout was recorded on sending its last part: restored if the
    # evidence shows that part was not heard to the end (PROGRAM.md 4, "complete workout").
    provisional: TrainingState | None = None
    workouts_begun: int = 0  # the sequence part of each new workout's id
    run_week: RunWeek | None = None  # the runner's week (PROGRAM.md 9); None: never given
    coaching: Coaching = Coaching()


def new_workout_id(state: TrainingState, started_at: datetime) -> tuple[TrainingState, str]:
    """An id for a workout beginning now, unique for the user: the instant and a sequence."""
    begun = state.workouts_begun + 1
    return replace(state, workouts_begun=begun), f"{format_instant(started_at)}-{begun}"


_Dated = TypeVar("_Dated", WorkoutRecord, RunRecord)


def keep_recent(records: tuple[_Dated, ...]) -> tuple[_Dated, ...]:
    """The records within `WINDOW_DAYS` local days of the newest, at most `WINDOW_RECORDS`."""
    if not records:
        return records
    newest = max(record.local_date for record in records)
    recent = tuple(r for r in records if (newest - r.local_date).days < WINDOW_DAYS)
    return recent[-WINDOW_RECORDS:]


def _optional_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _entry(kind: str, at: datetime, local_date: date, identity: str | None) -> dict[str, Any]:
    """What every history entry holds, and its `id` when it has one."""
    entry = {} if identity is None else {"id": identity}
    return entry | {"kind": kind, "at": format_instant(at), "local_date": local_date.isoformat()}


def record_to_dict(record: WorkoutRecord | RunRecord) -> dict[str, Any]:
    """A history entry: `kind` ("workout" | "run"), `at` (UTC instant) and the fields."""
    if isinstance(record, RunRecord):
        return _entry("run", record.at, record.local_date, record.run_id) | {
            "minutes": record.minutes,
        }
    return _entry("workout", record.started_at, record.local_date, record.workout_id) | {
        "time_zone": record.time_zone,
        "band": record.band.value,
        "program_week": record.program_week,
        "rep_target": record.rep_target,
        "rounds_done": record.rounds_done,
        "complete": record.complete,
        "ended_at": None if record.ended_at is None else format_instant(record.ended_at),
        "reported_reps": record.reported_reps,
        "raised_target": record.raised_target,
    }


def record_from_dict(data: object, where: str = "record") -> WorkoutRecord | RunRecord:
    """The inverse of `record_to_dict`; `InvalidState` names whatever is wrong."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "run":
        run = Fields(data, where, ("kind", "at", "local_date", "minutes"), optional=("id",))
        return RunRecord(
            run.instant("at"),
            run.local_date("local_date"),
            run.optional_integer("minutes", 1, MAX_RUN_MINUTES),
            _identity(run, "id"),
        )
    if kind != "workout":
        raise InvalidState(f"{where}.kind: expected 'workout' or 'run', got {kind!r}")
    entry = Fields(data, where, _WORKOUT_KEYS, optional=("id",))
    week = entry.integer("program_week", 1, ROUNDS_PER_BLOCK)
    return WorkoutRecord(
        *_planned(entry, "at", week),
        rounds_done=entry.integer("rounds_done", 0, week),
        complete=entry.boolean("complete"),
        ended_at=entry.optional_instant("ended_at"),
        reported_reps=entry.optional_integer("reported_reps", REPORT_MIN, REPORT_MAX),
        raised_target=entry.boolean("raised_target"),
        workout_id=_identity(entry, "id"),
    )


def _planned(fields: Fields, started: str,
             week: int) -> tuple[datetime, date, str, Band, int, int]:
    """What a workout record and a workout in progress both begin with, in their order: when
    and in which zone it started, its band, its week (`week`, read first) and rep target."""
    return (fields.instant(started), fields.local_date("local_date"), fields.text("time_zone"),
            fields.band("band"), week, fields.integer("rep_target", MIN_REPS, MAX_REPS))


def _identity(fields: Fields, key: str) -> str | None:
    """An optional id: absent or None for what was stored before ids existed."""
    try:
        identity = fields.optional_text(key)
    except KeyError:
        return None
    if identity is not None and "#" in identity:
        raise InvalidState(f"{fields.path(key)}: an id holds no '#'")
    return identity


_WORKOUT_KEYS = (
    "kind", "at", "local_date", "time_zone", "band", "program_week", "rep_target",
    "rounds_done", "complete", "ended_at", "reported_reps", "raised_target",
)  # fmt: skip
_IN_PROGRESS_KEYS = (
    "started_at", "local_date", "time_zone", "band", "program_week", "rep_target", "levels",
    "begins_week", "round", "exercise_index", "reported_reps", "skipped",
)  # fmt: skip
_STATE_KEYS = (
    "schema_version", "band", "program_week", "week_start", "rep_target", "levels",
    "pace_step", "time_zone", "safety_note_heard", "in_progress", "recent_workouts",
    "recent_runs", "block_ready", "week_workouts", "week_rounds", "last_rise_date",
    "last_counting_date", "total_workouts",
)  # fmt: skip
_OPTIONAL_STATE_KEYS = ("provisional", "coaching", "workouts_begun")


def _in_progress_to_dict(workout: WorkoutInProgress) -> dict[str, Any]:
    return {
        "started_at": format_instant(workout.started_at),
        "local_date": workout.local_date.isoformat(),
        "time_zone": workout.time_zone,
        "band": workout.band.value,
        "program_week": workout.program_week,
        "rep_target": workout.rep_target,
        "levels": dict(workout.levels),
        "begins_week": workout.begins_week,
        "round": workout.round,
        "exercise_index": workout.exercise_index,
        "reported_reps": workout.reported_reps,
        "skipped": workout.skipped,
        "playing": None if workout.playing is None else playing_to_dict(workout.playing),
    } | ({} if workout.workout_id is None else {"workout_id": workout.workout_id})


def state_to_dict(state: TrainingState) -> dict[str, Any]:
    """The JSON-compatible form (str, int, bool, None, list, dict only) with `schema_version`."""
    in_progress = state.in_progress
    return {
        "schema_version": SCHEMA_VERSION,
        "band": state.band.value,
        "program_week": state.program_week,
        "week_start": _optional_date(state.week_start),
        "rep_target": state.rep_target,
        "levels": dict(state.levels),
        "pace_step": state.pace_step,
        "time_zone": state.time_zone,
        "safety_note_heard": state.safety_note_heard,
        "in_progress": None if in_progress is None else _in_progress_to_dict(in_progress),
        "recent_workouts": [record_to_dict(record) for record in state.recent_workouts],
        "recent_runs": [record_to_dict(record) for record in state.recent_runs],
        "block_ready": state.block_ready,
        "week_workouts": state.week_workouts,
        "week_rounds": state.week_rounds,
        "last_rise_date": _optional_date(state.last_rise_date),
        "last_counting_date": _optional_date(state.last_counting_date),
        "total_workouts": state.total_workouts,
        "provisional": None if state.provisional is None else state_to_dict(state.provisional),
        "workouts_begun": state.workouts_begun,
        **run_week_entry(state.run_week),
    } | ({} if state.coaching == Coaching() else {"coaching": _coaching_to_dict(state.coaching)})


def _coaching_to_dict(coaching: Coaching) -> dict[str, Any]:
    return {"turn_by_turn": coaching.turn_by_turn, "transition_step": coaching.transition_step,
            "failed_workout": coaching.failed_workout}


def _coaching(fields: Fields) -> Coaching:
    if fields.is_none("coaching"):
        return Coaching()  # stored before the key existed, or the defaults
    coaching = Fields(fields.raw("coaching"), fields.path("coaching"),
                      ("turn_by_turn", "transition_step", "failed_workout"))
    return Coaching(coaching.boolean("turn_by_turn"),
                    coaching.integer("transition_step", MIN_TRANSITION_STEP, MAX_TRANSITION_STEP),
                    _identity(coaching, "failed_workout"))


_EXERCISE_IDS = tuple(exercise.id for exercise in CIRCUIT)


def _levels(fields: Fields, key: str) -> dict[str, int]:
    levels = Fields(fields.raw(key), fields.path(key), _EXERCISE_IDS)
    return {name: levels.integer(name, LEVELS[0], LEVELS[-1]) for name in _EXERCISE_IDS}


def _in_progress_from_dict(data: object) -> WorkoutInProgress:
    workout = Fields(data, "state.in_progress", _IN_PROGRESS_KEYS,
                     optional=("playing", "workout_id"))
    week = workout.integer("program_week", 1, ROUNDS_PER_BLOCK)
    return WorkoutInProgress(
        *_planned(workout, "started_at", week),
        levels=_levels(workout, "levels"),
        begins_week=workout.boolean("begins_week"),
        round=workout.integer("round", 1, week),
        exercise_index=workout.integer("exercise_index", 0, len(CIRCUIT) - 1),
        reported_reps=workout.optional_integer("reported_reps", REPORT_MIN, REPORT_MAX),
        skipped=workout.boolean("skipped"),
        playing=None if workout.is_none("playing") else playing_from_dict(
            workout.raw("playing"), "state.in_progress.playing"),
        workout_id=_identity(workout, "workout_id"),
    )


def _records(fields: Fields, key: str, kind: type[_Dated]) -> tuple[_Dated, ...]:
    records = []
    for index, data in enumerate(fields.items(key, WINDOW_RECORDS)):
        record = record_from_dict(data, f"{fields.path(key)}[{index}]")
        if not isinstance(record, kind):
            raise InvalidState(f"{fields.path(key)}[{index}]: expected a {kind.__name__}")
        records.append(record)
    return tuple(records)


def _time_zone(fields: Fields) -> str | None:
    name = fields.optional_text("time_zone")
    if name is not None:
        try:
            zone(name)
        except ProgramError as error:
            raise InvalidState(f"state.time_zone: {error}") from None
    return name


def state_from_dict(data: object) -> TrainingState:
    """The inverse of `state_to_dict`; `InvalidState` says what is malformed or out of range."""
    data, run_week = split_run_week(data)
    state = Fields(data, "state", _STATE_KEYS, optional=_OPTIONAL_STATE_KEYS)
    state.integer("schema_version", SCHEMA_VERSION, SCHEMA_VERSION)
    program_week = state.integer("program_week", 0, ROUNDS_PER_BLOCK)
    week_start = state.optional_local_date("week_start")
    if (program_week == 0) != (week_start is None):
        raise InvalidState("state.week_start: set exactly when program_week is 1 to 4")
    in_progress = None if state.is_none("in_progress") else _in_progress_from_dict(
        state.raw("in_progress")
    )
    return TrainingState(
        band=state.band("band"),
        program_week=program_week,
        week_start=week_start,
        rep_target=state.integer("rep_target", MIN_REPS, MAX_REPS),
        levels=_levels(state, "levels"),
        pace_step=state.integer("pace_step", PACE_STEPS[0], PACE_STEPS[-1]),
        time_zone=_time_zone(state),
        safety_note_heard=state.boolean("safety_note_heard"),
        in_progress=in_progress,
        recent_workouts=_records(state, "recent_workouts", WorkoutRecord),
        recent_runs=_records(state, "recent_runs", RunRecord),
        block_ready=state.boolean("block_ready"),
        week_workouts=state.integer("week_workouts", 0, MAX_COUNT),
        week_rounds=state.integer("week_rounds", 0, MAX_COUNT),
        last_rise_date=state.optional_local_date("last_rise_date"),
        last_counting_date=state.optional_local_date("last_counting_date"),
        total_workouts=state.integer("total_workouts", 0, MAX_COUNT),
        provisional=_provisional(state),
        workouts_begun=_count(state, "workouts_begun"),
        run_week=run_week,
        coaching=_coaching(state),
    )


def _provisional(fields: Fields) -> TrainingState | None:
    if fields.is_none("provisional"):
        return None
    before = state_from_dict(fields.raw("provisional"))
    if before.provisional is not None or before.in_progress is None:
        raise InvalidState("state.provisional: expected the state of a workout in progress")
    return before


def _count(fields: Fields, key: str) -> int:
    try:
        return fields.integer(key, 0, MAX_COUNT)
    except KeyError:
        return 0  # a state stored before the key existed
