"""Runtime settings: from a mapping first, then the environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_STORE = "BAND_COACH_STORE"  # sqlite:///PATH or dynamodb://TABLE
ENV_SKILL_ID = "BAND_COACH_SKILL_ID"
ENV_VERIFY = "BAND_COACH_VERIFY_SIGNATURES"  # "0" only for local testing
ENV_LOG_LEVEL = "BAND_COACH_LOG_LEVEL"
ENV_ANY_SKILL = "BAND_COACH_ANY_SKILL"  # "1": serve without a skill id (never in production)
ENV_PUBLIC_URL = "BAND_COACH_PUBLIC_URL"  # the HTTPS base Alexa reaches this service at
ENV_AUDIO_BUCKET = "BAND_COACH_AUDIO_BUCKET"  # S3 bucket for Polly's audio (AWS)
ENV_AUDIO_DIR = "BAND_COACH_AUDIO_DIR"  # where the local renderer keeps its MP3 files

REQUEST_DEADLINE_SECONDS = 6.0  # Alexa gives up at 8 s; everything a request waits on shares this


def default_store_url() -> str:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(data_home) / 'band-coach' / 'band-coach.sqlite3'}"


def default_audio_dir() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "band-coach" / "audio"


@dataclass(frozen=True)
class Settings:
    store_url: str
    skill_id: str | None = None
    verify_signatures: bool = True
    deadline_seconds: float = REQUEST_DEADLINE_SECONDS
    log_level: str = "INFO"
    any_skill: bool = False  # the explicit opt-out from requiring a skill id on the web
    public_url: str | None = None
    audio_bucket: str | None = None
    audio_dir: Path | None = None

    @classmethod
    def load(cls, overrides: Mapping[str, object] | None = None) -> Settings:
        """Explicit overrides win over the environment, which wins over defaults."""
        given = {k: v for k, v in (overrides or {}).items() if v is not None}
        env = os.environ
        return cls(
            store_url=str(given.get("store_url") or env.get(ENV_STORE) or default_store_url()),
            skill_id=_optional_str(given.get("skill_id", env.get(ENV_SKILL_ID))),
            verify_signatures=bool(given.get("verify_signatures", env.get(ENV_VERIFY, "1") != "0")),
            deadline_seconds=float(str(given.get("deadline_seconds", REQUEST_DEADLINE_SECONDS))),
            log_level=str(given.get("log_level") or env.get(ENV_LOG_LEVEL) or "INFO"),
            any_skill=bool(given.get("any_skill", env.get(ENV_ANY_SKILL, "0") == "1")),
            public_url=_optional_str(given.get("public_url", env.get(ENV_PUBLIC_URL))),
            audio_bucket=_optional_str(given.get("audio_bucket", env.get(ENV_AUDIO_BUCKET))),
            audio_dir=Path(str(given.get("audio_dir") or env.get(ENV_AUDIO_DIR)
                               or default_audio_dir())),
        )


def _optional_str(value: object) -> str | None:
    return str(value) if value else None
