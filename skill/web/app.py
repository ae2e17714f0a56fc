"""The Alexa web-service endpoint: a thin Flask view around the skill, as flask-ask-sdk's."""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from skill.bootstrap import build_skill, handle_envelope
from skill.settings import Settings, default_audio_dir
from skill.storage import UserStore, open_store
from skill.web.audio import audio_blueprint
from skill.web.verifier import CERT_URL_HEADER, SIGNATURE_HEADER, RequestRefused, RequestVerifier

MAX_BODY_BYTES = 128 * 1024  # real requests are a few KB; APL visual context can add tens

logger = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    skill: Any = None,
    *,
    store: UserStore | None = None,
    verifier: RequestVerifier | None = None,
) -> Flask:
    """The app for `settings`; the store and skill are built from settings unless given."""
    store = store if store is not None else open_store(settings.store_url)
    skill = skill if skill is not None else build_skill(settings, store)
    verifier = verifier or RequestVerifier.from_settings(settings)
    if not verifier.checks_signatures:
        logger.warning("INSECURE: request signatures and timestamps are NOT verified")
    serializer = DefaultSerializer()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.register_blueprint(audio_blueprint(settings.audio_dir or default_audio_dir()))

    @app.post("/")
    def alexa() -> Response | tuple[Response, int]:
        body = request.get_data(cache=False)
        try:
            event, envelope = _read_request(serializer, body)
            verifier.verify(
                envelope,
                body,
                cert_url=request.headers.get(CERT_URL_HEADER),
                signature=request.headers.get(SIGNATURE_HEADER),
            )
        except RequestRefused as refusal:
            return _refuse(str(refusal))
        return jsonify(handle_envelope(skill, envelope, event))

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        store_ok = store.ping()
        status = {"status": "ok", "store": "ok" if store_ok else "unavailable"}
        return jsonify(status), 200 if store_ok else 503

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> tuple[Response, int]:
        return _refuse(f"body larger than {MAX_BODY_BYTES} bytes")

    return app


def _read_request(serializer: DefaultSerializer, body: bytes) -> tuple[dict[str, Any], Any]:
    """The request as JSON and as the SDK's envelope, or RequestRefused if it is neither."""
    try:
        event = json.loads(body)
        envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
    except (ValueError, SerializationException) as error:  # UnicodeDecodeError is a ValueError
        raise RequestRefused(f"unreadable request: {error}") from error
    if not (isinstance(event, dict) and _is_alexa_request(envelope)):
        raise RequestRefused("not an Alexa request envelope")
    return event, envelope


def _is_alexa_request(envelope: Any) -> bool:
    """Alexa always sends the request and the system context naming the skill and the user."""
    system = envelope.context.system if envelope.context else None
    return bool(
        envelope.request
        and system
        and system.application
        and system.application.application_id
        and system.user
        and system.user.user_id
    )


def _refuse(reason: str) -> tuple[Response, int]:
    """A 400 for Alexa; the reason, cut short (it may quote the sender's input), for the log."""
    logger.warning("refused request: %s", reason[:200])
    return jsonify({"error": "request refused"}), 400
