"""The progression engine: PROGRAM.md as pure functions over frozen dataclasses.

Standard library only: no clock (pass `now`, an aware datetime, or `today`, a local date),
no I/O, no Alexa, AWS or web imports, no words (what the coach says is locale data). Every
function returns new values. Import each name from the module that defines it:

- `catalogue`: the circuit, its variations, bands, tempos and the program's constants.
- `plan`: `WorkoutPlan`, what one workout asks, and the notices before it.
- `state`: `TrainingState` and the history records, to and from JSON-compatible dicts.
- `schedule`: program weeks and blocks; `progression`: starting, settling, finishing, reports.
- `timeline` and `lifecycle`: where a user is in a workout, and its steps.
- `choices`: levels, band, pace, starting reps, reset; `answers`: what a user asks.
- `timekeeping`: local dates; `errors`: `ProgramError` and its kinds.
"""
