"""`GET /audio/<segment id>.mp3`: the local renderer's files, as Alexa's players fetch them.

A segment's file never changes (its name is the hash of its content), so it is cached forever
by anyone. Players fetch streams in ranges: werkzeug answers `Range` with 206 and
`Content-Range`, and a range past the end with 416. Anything but a well-formed id is a 404.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_file

from skill.audio.local import audio_path

IMMUTABLE = "public, max-age=31536000, immutable"


def audio_blueprint(directory: Path) -> Blueprint:
    """The audio route over the MP3 files in `directory` (where LocalRenderer writes)."""
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/<segment_id>.mp3")
    def segment_audio(segment_id: str) -> Response:
        path = audio_path(directory, segment_id)
        if path is None or not path.is_file():
            abort(404)
        response = send_file(path, mimetype="audio/mpeg", conditional=True, etag=segment_id,
                             max_age=31536000)
        response.headers["Cache-Control"] = IMMUTABLE
        return response

    return blueprint
