"""AWS Lambda entry point: one skill per container, built from the environment.

In Lambda the skill and its store client are built at import, during the init phase: that
phase runs with a full CPU (more than a 512 MB function gets while invoked), and provisioned or
pre-warmed environments then answer their first request without building anything. Elsewhere
(tests, tools) the skill is built on the first call. Logs are JSON through Lambda's own
log format (template.yaml, LoggingConfig).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from skill.bootstrap import build_skill, handle_event
from skill.settings import Settings


@cache
def container_skill() -> Any:
    """The skill this container serves, built once."""
    return build_skill(Settings.load())


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    return handle_event(container_skill(), event)


if "AWS_LAMBDA_FUNCTION_NAME" in os.environ:
    container_skill()
