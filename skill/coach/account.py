"""Housekeeping: reset the program, delete the user's data (both after a yes), skill disabled."""

from __future__ import annotations

import logging

from skill.coach.follow_up import follow_up
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.program.choices import reset_program
from skill.storage import UserStore, user_tag

log = logging.getLogger(__name__)


def ask_reset(turn: Turn, voice: Voice) -> Reply:
    turn.memory.awaiting = Awaiting.CONFIRM_RESET
    return Reply(voice.say("account.confirm_reset"), voice.reprompt("account.reprompt_reset"))


def ask_delete(turn: Turn, voice: Voice) -> Reply:
    turn.memory.awaiting = Awaiting.CONFIRM_DELETE
    return Reply(voice.say("account.confirm_delete"), voice.reprompt("account.reprompt_delete"))


def reset(turn: Turn, voice: Voice) -> Reply:
    """Start the program over (only ever after the user's yes to `ask_reset`)."""
    turn.change(lambda state: Outcome(reset_program(state), None))
    turn.memory.next_position = None
    return follow_up(turn, voice, voice.say("account.reset_done"), "answer.start_next_step")


def delete(turn: Turn, voice: Voice) -> Reply:
    """Remove every item of the user (only ever after the user's yes to `ask_delete`)."""
    turn.forget()
    return Reply(voice.say("account.deleted"))


def forget_disabled_user(store: UserStore, user_id: str, persistence: object) -> None:
    """The user disabled the skill: their data goes, whatever the persistence status says."""
    store.delete(user_id)
    log.info(
        "skill disabled, data deleted (user %s, persistence %s)", user_tag(user_id), persistence
    )
