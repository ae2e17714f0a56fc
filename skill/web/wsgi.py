"""WSGI entry point for production servers: `gunicorn skill.web.wsgi:app`, configured by the
environment (BAND_COACH_STORE, BAND_COACH_SKILL_ID, ...). Without a skill id the import fails
with `UnsafeConfiguration`, so the server does not start."""

from __future__ import annotations

from skill.logs import configure_logging
from skill.settings import Settings
from skill.web.app import create_app

settings = Settings.load()
configure_logging(settings.log_level)
app = create_app(settings)
