"""open_store(): one setting picks the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill.settings import default_store_url
from skill.storage import InvalidStoreUrl, open_store
from skill.storage.dynamodb import DynamoDBStore
from skill.storage.sqlite import SqliteStore
from tests.conftest import ROOT


def test_sqlite_url_opens_a_file_creating_its_directory(tmp_path: Path) -> None:
    """sqlite:////abs/path makes the missing directories and a working store there."""
    path = tmp_path / "data" / "band-coach" / "store.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        assert isinstance(store, SqliteStore)
        store.save("u", {"schema_version": 1}, None)
        assert path.is_file()
    finally:
        store.close()


def test_the_default_url_is_an_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings' default store is a file under the user's data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    store = open_store(default_store_url())
    try:
        assert isinstance(store, SqliteStore)
        assert store.path.is_relative_to(tmp_path)
    finally:
        store.close()


def test_dynamodb_url_names_the_table_and_bounds_the_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dynamodb://TABLE builds a client from boto3's chain with short timeouts, few attempts."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    store = open_store("dynamodb://band-coach-Table-1A2B")
    try:
        assert isinstance(store, DynamoDBStore)
        assert store.table == "band-coach-Table-1A2B"
        config = store.client.meta.config
        assert config.connect_timeout + config.read_timeout <= 3
        assert config.retries["total_max_attempts"] <= 3
        assert config.retries["mode"] == "standard"
    finally:
        store.close()


@pytest.mark.parametrize(
    "url",
    ["", "sqlite:///", "sqlite://relative.db", "postgres://db/x", "dynamodb://", "dynamodb://a b"],
)
def test_anything_else_is_refused_clearly(url: str) -> None:
    """An unknown scheme, an empty path or a malformed table name is an InvalidStoreUrl."""
    with pytest.raises(InvalidStoreUrl, match="sqlite:///PATH or dynamodb://TABLE"):
        open_store(url)


def test_the_sqlite_path_never_imports_boto3(tmp_path: Path) -> None:
    """Local use pays nothing for AWS: opening and using SQLite leaves boto3 unimported."""
    program = (
        "import sys; from skill.storage import open_store\n"
        f"s = open_store('sqlite:///{tmp_path / 'x.sqlite3'}'); s.load('u'); s.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
