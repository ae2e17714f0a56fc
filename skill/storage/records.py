"""How both stores check and encode what they hold: compact JSON, never a float."""

from __future__ import annotations

import json
from collections.abc import Sequence

from skill.storage import InvalidRecord, JsonDict

MAX_ENTRIES_PER_SAVE = 99  # a save's writes stay few and quick: at most 4 batches in DynamoDB


_PLAIN = frozenset({str, int, bool, type(None)})


def encode(document: JsonDict) -> str:
    """Compact JSON for a state or history entry; InvalidRecord for anything not plain JSON."""
    if not _plain(document):
        _check(document, "$")  # names what is wrong, or accepts what the quick walk did not know
    return encode_plain(document)


def encode_plain(document: JsonDict) -> str:
    """`encode` for a document plain by construction (the engine's `state_to_dict`, whose
    tests check it holds only JSON types), unchecked."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode(text: str) -> JsonDict:
    document = json.loads(text)
    if not isinstance(document, dict):
        raise InvalidRecord("a stored document is not a JSON object")
    return document


def schema_version(state: JsonDict) -> int:
    """The engine's schema version of a state: stored beside it so data can be migrated."""
    version = state.get("schema_version")
    if type(version) is not int:
        raise InvalidRecord("a state needs an integer 'schema_version'")
    return version


EntryKey = tuple[str, str, str]


def entry_key(entry: JsonDict) -> EntryKey:
    """(at, kind, id) of a history entry: together they identify it. `id` is optional ("" when
    absent: entries stored before records had one keep their key)."""
    if not isinstance(entry, dict):
        raise InvalidRecord("a history entry is a JSON object")
    at, kind, identity = entry.get("at"), entry.get("kind"), entry.get("id", "")
    if not isinstance(at, str) or not at or "#" in at:
        raise InvalidRecord("a history entry needs an 'at' instant (a string without '#')")
    if not isinstance(kind, str) or not kind or "#" in kind:
        raise InvalidRecord("a history entry needs a 'kind' (a string without '#')")
    if not isinstance(identity, str) or "#" in identity:
        raise InvalidRecord("a history entry's 'id' is a string without '#'")
    return at, kind, identity


def encoded_save(state: JsonDict, history: Sequence[JsonDict], encoded: str | None = None
                 ) -> tuple[str, int, dict[EntryKey, str]]:
    """A save as it is stored: the state's JSON (`encoded` when the caller has it already), its
    schema version, and each history entry's JSON by key (a later one replacing an earlier with
    the same key). InvalidRecord for anything a store cannot hold, before anything is written."""
    document, schema = encoded or encode(state), schema_version(state)
    return document, schema, {key: encode(entry) for key, entry in unique_entries(history).items()}


def unique_entries(history: Sequence[JsonDict]) -> dict[EntryKey, JsonDict]:
    """History entries by key; a later entry with the same key replaces an earlier one."""
    if len(history) > MAX_ENTRIES_PER_SAVE:
        raise InvalidRecord(f"at most {MAX_ENTRIES_PER_SAVE} history entries per save")
    return {entry_key(entry): entry for entry in history}


def _plain(document: object) -> bool:
    """Whether `document` holds only dicts with string keys, lists, strings, integers, booleans
    and None, of exactly those types: one walk without recursion, the common case of `_check`."""
    pending: list[object] = [document]
    while pending:
        value = pending.pop()
        if type(value) is dict:
            if not all(type(key) is str for key in value):
                return False
            pending.extend(value.values())
        elif type(value) is list:
            pending.extend(value)
        elif type(value) not in _PLAIN:
            return False
    return True


def _check(value: object, path: str) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidRecord(f"{path} has a non-string key {key!r}")
            _check(item, f"{path}.{key}")
        return
    raise InvalidRecord(f"{path} is a {type(value).__name__}, not plain JSON")
