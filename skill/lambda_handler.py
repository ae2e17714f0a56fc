"""AWS Lambda entry point: one skill per container, built from the environment.

In Lambda the skill and its store client are built at import, during the init phase: that
phase runs with a full CPU (more than a 512 MB function gets while invoked), and provisioned or
pre-warmed environments then answer their first request without building anything. Elsewhere
(tests, tools) the skill is built on the first call. Logs are JSON through Lambda's own
log format (template.yaml, LoggingConfig).
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

from skill.bootstrap import CoachSkill, MalformedEvent, build_skill, handle_event
from skill.handlers.errors import malformed_event_answer
from skill.logs import log_safe
from skill.settings import Settings

log = logging.getLogger(__name__)


@cache
def container_skill() -> CoachSkill:
    """The skill this container serves, built once."""
    return build_skill(Settings.load())


def handler(event: Any, context: object) -> dict[str, Any]:
    """The response to `event`; an event the skill cannot read gets a spoken apology. A request
    for another skill raises `ForeignSkillRequest`: the invocation fails, nothing is answered."""
    try:
        return handle_event(container_skill(), event)
    except MalformedEvent as error:
        log.warning("malformed event: %s", log_safe(error))
        return malformed_event_answer(event)


if "AWS_LAMBDA_FUNCTION_NAME" in os.environ:
    container_skill()
