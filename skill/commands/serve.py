"""`band-coach serve`: the skill as a web service on Flask's own server, for local use.

Production runs the same app under a WSGI server: `gunicorn skill.web.wsgi:app`.
"""

from __future__ import annotations

import argparse
import sys

from flask import Flask

from skill.logs import configure_logging
from skill.settings import Settings
from skill.web.app import UnsafeConfiguration, create_app

INSECURE_BANNER = """\
!!! INSECURE: request signatures and timestamps are NOT verified.
!!! Anyone who can reach this port can pose as Alexa. Use this for local testing only."""
ANY_SKILL_BANNER = """\
!!! INSECURE: no skill id; correctly signed requests for ANY skill are served."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.add_argument("--store", help="sqlite:////ABSOLUTE/PATH or dynamodb://TABLE")
    parser.add_argument(
        "--skill-id", help="the skill id to answer (required unless an --insecure-... flag)"
    )
    parser.add_argument("--public-url", help="the HTTPS base Alexa reaches this service at "
                        "(audio URLs start with it)")
    parser.add_argument(
        "--insecure-skip-verification",
        action="store_true",
        help="do not check signatures or timestamps (local testing only)",
    )
    parser.add_argument(
        "--insecure-any-skill",
        action="store_true",
        help="check signatures but serve requests for any skill id (testing only)",
    )


def app_from_args(args: argparse.Namespace) -> Flask:
    """The app `args` describe; anything insecure is announced on stderr and in the log.
    Raises UnsafeConfiguration when verification is on and no skill id is given."""
    insecure = bool(args.insecure_skip_verification)
    settings = Settings.load(
        {
            "store_url": args.store,
            "skill_id": args.skill_id,
            "public_url": args.public_url,
            "verify_signatures": False if insecure else None,
            "any_skill": True if args.insecure_any_skill else None,
        }
    )
    configure_logging(settings.log_level)
    if not settings.verify_signatures:
        print(INSECURE_BANNER, file=sys.stderr)
    elif settings.skill_id is None and settings.any_skill:
        print(ANY_SKILL_BANNER, file=sys.stderr)
    return create_app(settings)


def run(args: argparse.Namespace) -> int:
    try:
        app = app_from_args(args)
    except UnsafeConfiguration as refusal:
        print(f"band-coach serve: {refusal}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port)
    return 0
