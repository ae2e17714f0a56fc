"""`band-coach serve`: the skill as a web service on Flask's own server, for local use.

Production runs the same app under a WSGI server: `gunicorn skill.web.wsgi:app`.
"""

from __future__ import annotations

import argparse
import logging
import sys

from flask import Flask

from skill.settings import Settings
from skill.web.app import create_app

INSECURE_BANNER = """\
!!! INSECURE: request signatures and timestamps are NOT verified.
!!! Anyone who can reach this port can pose as Alexa. Use this for local testing only."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.add_argument("--store", help="sqlite:///PATH or dynamodb://TABLE")
    parser.add_argument("--skill-id", help="refuse requests for any other skill id")
    parser.add_argument("--public-url", help="the HTTPS base Alexa reaches this service at "
                        "(audio URLs start with it)")
    parser.add_argument(
        "--insecure-skip-verification",
        action="store_true",
        help="do not check signatures or timestamps (local testing only)",
    )


def app_from_args(args: argparse.Namespace) -> Flask:
    """The app `args` describe; skipped verification is announced on stderr and in the log."""
    insecure = bool(args.insecure_skip_verification)
    settings = Settings.load(
        {
            "store_url": args.store,
            "skill_id": args.skill_id,
            "public_url": args.public_url,
            "verify_signatures": False if insecure else None,
        }
    )
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not settings.verify_signatures:
        print(INSECURE_BANNER, file=sys.stderr)
    return create_app(settings)


def run(args: argparse.Namespace) -> int:
    app_from_args(args).run(host=args.host, port=args.port)
    return 0
