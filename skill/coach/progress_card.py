""" "Send my progress to my phone": the last four weeks on a card in the Alexa app."""

from __future__ import annotations

from datetime import timedelta

from skill.coach.follow_up import follow_up
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.speech.cards import PROGRESS_WEEKS, progress_card


def send_progress(turn: Turn, voice: Voice) -> Reply:
    """The last four weeks from the history (one read of it), on a card; said briefly."""
    since = turn.today() - timedelta(weeks=PROGRESS_WEEKS)
    entries = turn.store.history(turn.facts.user_id, since.isoformat())
    state = turn.state()
    card = progress_card(entries, turn.today(), state.band.value, state.rep_target, voice.words)
    reply = follow_up(turn, voice, voice.say("answer.progress_sent"), "answer.start_next_step")
    return Reply(reply.speech, reply.reprompt, card)
