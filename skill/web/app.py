"""The Alexa web-service endpoint: a thin Flask view around the skill, as flask-ask-sdk's.

A request is bounded (size, nesting) and parsed once, verified (the checks that need no network
first), and handed to `handle_event`; anything that is not a well-formed, signed request for
this skill gets HTTP 400. `create_app` returns an ordinary Flask app, so other blueprints can
be registered on it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from skill.bootstrap import ForeignSkillRequest, MalformedEvent, build_skill, handle_event
from skill.entry import parse_body
from skill.logs import log_safe
from skill.settings import Settings, default_audio_dir
from skill.storage import UserStore, open_store
from skill.web.audio import audio_blueprint
from skill.web.verifier import CERT_URL_HEADER, SIGNATURE_HEADER, RequestRefused, RequestVerifier

MAX_BODY_BYTES = 128 * 1024  # real requests are a few KB; APL visual context can add tens

logger = logging.getLogger(__name__)


class UnsafeConfiguration(RuntimeError):
    """Settings that would serve requests Amazon's rules say to refuse."""


def create_app(
    settings: Settings,
    skill: Any = None,
    *,
    store: UserStore | None = None,
    verifier: RequestVerifier | None = None,
) -> Flask:
    """The app for `settings`; the store and skill are built from settings unless given.

    Raises UnsafeConfiguration when signatures are checked but no skill id is set: a correctly
    signed request for any other skill would be served (`insecure_any_skill` opts out)."""
    check_safe(settings)
    store = store if store is not None else open_store(settings.store_url)
    skill = skill if skill is not None else build_skill(settings, store)
    verifier = verifier or RequestVerifier.from_settings(settings)
    if not verifier.checks_signatures:
        logger.warning("INSECURE: request signatures and timestamps are NOT verified")
    if settings.skill_id is None:
        logger.warning("INSECURE: no skill id set; requests for any skill are served")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.register_blueprint(audio_blueprint(settings.audio_dir or default_audio_dir()))

    @app.post("/")
    def alexa() -> Response | tuple[Response, int]:
        body = request.get_data(cache=False)
        try:
            event = parse_body(body)
            verifier.verify(
                event,
                body,
                cert_url=request.headers.get(CERT_URL_HEADER),
                signature=request.headers.get(SIGNATURE_HEADER),
            )
            return jsonify(handle_event(skill, event))
        except (MalformedEvent, RequestRefused, ForeignSkillRequest) as refusal:
            return _refuse(refusal)

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        store_ok = store.ping()
        status = {"status": "ok", "store": "ok" if store_ok else "unavailable"}
        return jsonify(status), 200 if store_ok else 503

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> tuple[Response, int]:
        return _refuse(MalformedEvent(f"body larger than {MAX_BODY_BYTES} bytes"))

    return app


def check_safe(settings: Settings) -> None:
    """Refuse to serve with signatures checked but no skill id, unless explicitly told to."""
    if settings.verify_signatures and settings.skill_id is None and not settings.any_skill:
        raise UnsafeConfiguration(
            "no skill id: set BAND_COACH_SKILL_ID (or --skill-id), or opt out explicitly with "
            "BAND_COACH_ANY_SKILL=1 (--insecure-any-skill)"
        )


def _refuse(refusal: Exception) -> tuple[Response, int]:
    """A 400 for Alexa; the reason, escaped (it may quote the sender's input), for the log."""
    kind = "malformed request" if isinstance(refusal, MalformedEvent) else "refused request"
    logger.warning("%s: %s", kind, log_safe(refusal))
    return jsonify({"error": "request refused"}), 400
