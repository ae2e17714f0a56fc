"""The rule every store applies to a save, whatever it is stored in: the version the save
expects against the version stored (see `UserStore.save`)."""

from __future__ import annotations

from skill.storage import UserGone, VersionConflict, user_tag


def check_version(user_id: str, stored: int | None, deleted: bool,
                  expected: int | None) -> None:
    """Refuse a save expecting version `expected` of a user stored at `stored` (None: never
    stored; `deleted`: a deletion's tombstone): UserGone or VersionConflict. A tombstone at
    exactly the expected version lets the user be created afresh."""
    whom = f"user {user_tag(user_id)}"
    if deleted and stored != expected:
        raise UserGone(f"{whom} was deleted", version=stored)
    if expected is None and stored is not None:
        raise VersionConflict(f"{whom} already exists")
    if expected is not None and stored is None:
        raise UserGone(f"{whom} no longer exists")
    if stored != expected:
        raise VersionConflict(f"{whom} is at version {stored}, not {expected}")
