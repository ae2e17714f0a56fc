"""`band-coach chat`: talk to the skill from a terminal, as if through an Echo.

Typed lines are utterances, matched against the locale's interaction model and sent as Alexa's
request envelopes to the skill (in process on the embedded store, or `--url` over HTTP); the
answers are played as heard, pauses included. Piped input makes a scripted conversation.
At a terminal the device plays audio, so a workout streams continuously from one "yes"
(`--turn-by-turn` for a device without AudioPlayer); piped input is turn by turn unless
`--continuous`, and then the stream plays through at once.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from skill.chat.envelopes import LOCAL_SKILL_ID, Device, account_id
from skill.chat.espeak_voice import espeak_voice
from skill.chat.loop import Chat
from skill.chat.playback import Output, Player
from skill.chat.reminders import RecordingReminders
from skill.chat.remote import SettingsApi, http_skill
from skill.chat.session import Clock, Conversation, Skill
from skill.chat.terminal import Terminal
from skill.commands.chat_options import (
    device_zone,
    endpoint_url,
    fresh_user_id,
    local_user_id,
    start_instant,
)
from skill.commands.history import describe_state, history_table
from skill.settings import Settings
from skill.storage import UserStore, open_store
from skill.understanding import InteractionModel, UnknownLocale, understand

FAST_FACTOR = 20.0
OPENING = "open band coach"
WELCOME = 'Talking to Band Coach: type what you would say to Alexa. ":help" lists the commands.'


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", default="en-US", help="en-US, en-GB, en-CA, en-AU or en-IN")
    parser.add_argument("--user", metavar="ID", help="who talks (default: this machine's own user)")
    parser.add_argument("--fresh", action="store_true", help="talk as a brand-new user")
    parser.add_argument("--store", metavar="URL", help="sqlite:///PATH or dynamodb://TABLE")
    parser.add_argument("--url", metavar="ENDPOINT", help="talk to a `band-coach serve` endpoint")
    parser.add_argument("--skill-id", help="the skill id to send (default: $BAND_COACH_SKILL_ID)")
    parser.add_argument("--now", metavar="ISO8601", help="start the clock there (default: now)")
    parser.add_argument(
        "--fast",
        nargs="?",
        type=time_factor,
        const=FAST_FACTOR,
        metavar="FACTOR",
        help=f"compress time (default factor {FAST_FACTOR:g})",
    )
    parser.add_argument("--voice", action="store_true", help="speak through espeak-ng")
    parser.add_argument("--pauses", action="store_true", help="play pauses for piped input too")
    parser.add_argument("--time-zone", metavar="ZONE", help="the device's zone (default: local)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--turn-by-turn", action="store_true",
                      help="a device without AudioPlayer: the coach waits for \"next\"")
    mode.add_argument("--continuous", action="store_true",
                      help="a device that plays audio (the default at a terminal, not piped)")


def time_factor(text: str) -> float:
    """`--fast`'s factor: how many simulated seconds pass per real second."""
    factor = float(text)
    if not factor > 0:
        raise argparse.ArgumentTypeError(f"the factor must be above zero, not {text}")
    return factor


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.load({"store_url": args.store, "skill_id": args.skill_id})
        zone = device_zone(args.time_zone)
        start = start_instant(args.now, zone)
        model = InteractionModel.load(args.locale)
        url = endpoint_url(args.url) if args.url else None
        store = open_store(settings.store_url)
    except (ValueError, UnknownLocale) as error:
        print(f"band-coach chat: {error}", file=sys.stderr)
        return 2
    user_id = fresh_user_id() if args.fresh else account_id(args.user) if args.user else None
    device = Device(user_id or local_user_id(), application_id=settings.skill_id or LOCAL_SKILL_ID,
                    plays_audio=plays_audio(args, sys.stdin.isatty()))
    try:
        with SettingsApi(device.api_access_token, device.device_id, zone) as api:
            device = replace(device, api_endpoint=api.endpoint)
            reminders = None if url else RecordingReminders(granted=False)
            skill = http_skill(url) if url else in_process(settings, store, reminders)
            state, history = progress_views(store, device.user_id, url)
            if not sys.stdin.isatty():
                talk = _conversation(args, model, skill, device, start, sys.stdout, None)
                chat = Chat(talk, sys.stdout, state, zone, history, reminders)
                return chat.run(iter(sys.stdin), interactive=False)
            with Terminal(sys.stdin.fileno(), sys.stdout) as terminal:
                talk = _conversation(args, model, skill, device, start, terminal, terminal)
                chat = Chat(talk, terminal, state, zone, history, reminders)
                first_use = args.fresh or (url is None and store.load(device.user_id) is None)
                return _talk(chat, terminal, first_use)
    finally:
        store.close()


def _conversation(args: argparse.Namespace, model: InteractionModel, skill: Skill,
                  device: Device, start: datetime, out: Output,
                  terminal: Terminal | None) -> Conversation:
    """The device: piped input plays no pauses unless asked; a terminal plays them all, and
    listens while it does."""
    factor = float(args.fast or 1.0)
    clock, wait = _timing(start, terminal is not None or args.pauses or args.voice, factor)
    if terminal is not None:
        listening = terminal

        def wait(seconds: float) -> None:
            listening.wait(seconds / factor)

    speak = espeak_voice(args.locale, factor) if args.voice else None
    return Conversation(
        skill=skill,
        understand=lambda utterance: understand(model, utterance),
        device=device,
        locale=args.locale,
        clock=clock,
        player=Player(out, wait, speak, terminal.status if terminal else None),
        notes=out,
        slot_types=model.intent_slots,
    )


def _talk(chat: Chat, terminal: Terminal, first_use: bool) -> int:
    """At a terminal: one line of how it works, and for a new user the skill opened at once."""
    terminal.write(WELCOME + "\n")
    opening = [OPENING] if first_use else []
    return chat.run(itertools.chain(opening, _typed(terminal)), interactive=True)


def _typed(terminal: Terminal) -> Iterator[str]:
    while True:
        try:
            yield terminal.read_line()
        except EOFError:
            return


def plays_audio(args: argparse.Namespace, at_terminal: bool) -> bool:
    """Whether the chat's device advertises AudioPlayer: at a terminal unless `--turn-by-turn`,
    piped only with `--continuous` (scripts written for "next" stay as they are)."""
    return bool(args.continuous or (at_terminal and not args.turn_by_turn))




def in_process(settings: Settings, store: UserStore,
               reminders: RecordingReminders | None = None) -> Skill:
    """The skill built here, on `store`, handling envelopes exactly as Lambda does; reminders
    are recorded here instead of set on a device, and audio is not rendered (the chat speaks
    each segment's SSML itself)."""
    from skill.audio.library import AudioLibrary
    from skill.bootstrap import build_skill, handle_event
    from skill.chat.audio import HeardHere

    skill = build_skill(settings, store, reminders=reminders, audio=AudioLibrary(HeardHere()))
    return lambda envelope: handle_event(skill, envelope)


def progress_views(store: UserStore, user_id: str,
                   url: str | None) -> tuple[Callable[[], str], Callable[[], str]]:
    """`:state` and `:history`: read from the local store, or a note that the server has them."""
    if url is not None:
        remote = (f"This chat talks to {url}: the state lives in that server's store. "
                  "Run `band-coach history --store URL` on the server to see it.")
        return (lambda: remote), (lambda: remote)

    def state() -> str:
        snapshot = store.load(user_id)
        return describe_state(snapshot.state if snapshot else None, store.history(user_id))

    return state, lambda: history_table(store.history(user_id))












def _timing(start: datetime, paced: bool, factor: float) -> tuple[Clock, Callable[[float], None]]:
    """Paced: the clock follows real time, scaled; otherwise playback only moves the clock."""
    if paced:
        began = time.monotonic()
        return (
            Clock(start, lambda: (time.monotonic() - began) * factor),
            lambda seconds: time.sleep(seconds / factor),
        )
    clock = Clock(start)
    return clock, lambda seconds: clock.advance(timedelta(seconds=seconds))

