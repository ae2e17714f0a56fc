"""WSGI entry point for production servers: `gunicorn skill.web.wsgi:app`, configured by the
environment (BAND_COACH_STORE, BAND_COACH_SKILL_ID, ...)."""

from __future__ import annotations

import logging

from skill.settings import Settings
from skill.web.app import create_app

settings = Settings.load()
logging.basicConfig(
    level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
)
app = create_app(settings)
