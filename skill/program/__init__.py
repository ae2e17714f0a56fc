"""The progression engine: PROGRAM.md as pure functions over frozen dataclasses.

Standard library only: no clock (pass `now`, an aware datetime, or `today`, a local date),
no I/O, no Alexa, AWS or web imports. Every function returns new values.

State (`state.py`): `TrainingState`, `WorkoutInProgress`, `WorkoutRecord`, `RunRecord`;
`state_to_dict(state)` / `state_from_dict(data)` (JSON-compatible, "schema_version");
`record_to_dict(record)` / `record_from_dict(data)` for history entries ("kind", "at").

The workout (`progression.py`):
    new_user(start_reps=8) -> TrainingState
    plan_for(state, today) -> WorkoutPlan              what a workout started that day would be
    current_plan(state) -> WorkoutPlan | None          the workout in progress
    start_workout(state, now, time_zone) -> (state, plan, settled records)
    move_to(state, round, exercise_index) -> state     where the last response started
    skip_exercise(state) -> state
    restart_workout(state) -> state                    "start over": round one, no skip
    finish_workout(state, now) -> (state, record, Progress)
    stop_workout(state, now) -> (state, record | None)
    settle(state, today) -> (state, records)           a workout left from an earlier day
    report_reps(state, count, today) -> (state, RepReport)
    mention_run(state, now, local_date, minutes) -> (state, RunRecord)
Choices (`choices.py`): change_level(state, direction, exercise_id) -> (state, LevelChange);
    parse_band(word) -> Band; choose_band(state, band); change_pace(state, delta) ->
    (state, PaceChange); choose_start_reps(state, reps); reset_program(state, start_reps=8).
Answers (`answers.py`): week_summary, band_outlook, training_advice, progress_summary.
Time (`timekeeping.py`): local_date(now, time_zone).
Errors (`errors.py`): all subclasses of `ProgramError(ValueError)`.
"""

from skill.program.answers import (
    Advice,
    AdviceKind,
    BandOutlook,
    ProgressSummary,
    WeekSummary,
    band_outlook,
    progress_summary,
    trained_days,
    training_advice,
    week_summary,
)
from skill.program.catalogue import (
    CIRCUIT,
    EXERCISES,
    MAX_REPS,
    MIN_REPS,
    PACE_FACTORS,
    PACE_STEPS,
    REPORT_MAX,
    REPORT_MIN,
    Band,
    CountUnit,
    Exercise,
    Variation,
    tempo_seconds,
)
from skill.program.choices import (
    Alternative,
    LevelChange,
    PaceChange,
    change_level,
    change_pace,
    choose_band,
    choose_start_reps,
    parse_band,
    reset_program,
)
from skill.program.errors import (
    InvalidChoice,
    InvalidInstant,
    InvalidState,
    NoWorkoutInProgress,
    ProgramError,
    ProgramStarted,
    RepsOutOfRange,
    UnknownBand,
    UnknownExercise,
    UnknownTimeZone,
)
from skill.program.plan import Notice, PlannedExercise, WorkoutPlan
from skill.program.progression import (
    Hold,
    Progress,
    ReportOutcome,
    RepReport,
    current_plan,
    finish_workout,
    mention_run,
    move_to,
    new_user,
    plan_for,
    report_reps,
    restart_workout,
    settle,
    skip_exercise,
    start_workout,
    stop_workout,
)
from skill.program.state import (
    SCHEMA_VERSION,
    RunRecord,
    TrainingState,
    WorkoutInProgress,
    WorkoutRecord,
    record_from_dict,
    record_to_dict,
    state_from_dict,
    state_to_dict,
)
from skill.program.timekeeping import local_date

__all__ = [
    "CIRCUIT", "EXERCISES", "MAX_REPS", "MIN_REPS", "PACE_FACTORS", "PACE_STEPS", "REPORT_MAX",
    "REPORT_MIN", "SCHEMA_VERSION", "Advice", "AdviceKind", "Alternative", "Band", "BandOutlook",
    "CountUnit", "Exercise", "Hold", "InvalidChoice", "InvalidInstant", "InvalidState",
    "LevelChange", "NoWorkoutInProgress", "Notice", "PaceChange", "PlannedExercise",
    "ProgramError", "ProgramStarted", "Progress", "ProgressSummary", "RepReport", "ReportOutcome",
    "RepsOutOfRange", "RunRecord", "TrainingState", "UnknownBand", "UnknownExercise",
    "UnknownTimeZone", "Variation", "WeekSummary", "WorkoutInProgress", "WorkoutPlan",
    "WorkoutRecord", "band_outlook", "change_level", "change_pace", "choose_band",
    "choose_start_reps", "current_plan", "finish_workout", "local_date", "mention_run", "move_to",
    "new_user", "parse_band", "plan_for", "progress_summary", "record_from_dict", "record_to_dict",
    "report_reps", "reset_program", "restart_workout", "settle", "skip_exercise",
    "start_workout", "state_from_dict", "state_to_dict", "stop_workout", "tempo_seconds",
    "trained_days", "training_advice", "week_summary",
]  # fmt: skip
