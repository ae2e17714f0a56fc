"""`band-coach chat`: talk to the skill from a terminal, as if through an Echo.

Typed lines are utterances, matched against the locale's interaction model and sent as Alexa's
request envelopes to the skill (in process on the embedded store, or `--url` over HTTP); the
answers are played as heard, pauses included. Piped input makes a scripted conversation.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.chat.envelopes import LOCAL_SKILL_ID, Device, account_id
from skill.chat.playback import Player, VoiceFailed
from skill.chat.session import Chat, Clock, Conversation, SettingsApi, Skill, http_skill
from skill.coach.clock import valid_zone
from skill.settings import Settings
from skill.storage import UserStore, open_store
from skill.understanding import InteractionModel, UnknownLocale, understand

FAST_FACTOR = 20.0
PROMPT = "> "
OPENING = "open band coach"
WELCOME = 'Talking to Band Coach: type what you would say to Alexa. ":help" lists the commands.'
ESPEAK_WORDS_PER_MINUTE = 160
ESPEAK_VOICES = {"en-US": "en-us", "en-GB": "en-gb", "en-CA": "en-us"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", default="en-US", help="en-US, en-GB, en-CA, en-AU or en-IN")
    parser.add_argument("--user", metavar="ID", help="who talks (default: this machine's own user)")
    parser.add_argument("--store", metavar="URL", help="sqlite:///PATH or dynamodb://TABLE")
    parser.add_argument("--url", metavar="ENDPOINT", help="talk to a `band-coach serve` endpoint")
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


def time_factor(text: str) -> float:
    """`--fast`'s factor: how many simulated seconds pass per real second."""
    factor = float(text)
    if not factor > 0:
        raise argparse.ArgumentTypeError(f"the factor must be above zero, not {text}")
    return factor


def run(args: argparse.Namespace) -> int:
    settings = Settings.load({"store_url": args.store})
    try:
        zone = device_zone(args.time_zone)
        start = start_instant(args.now, zone)
        model = InteractionModel.load(args.locale)
    except (ValueError, UnknownLocale) as error:
        print(error, file=sys.stderr)
        return 2
    device = Device(
        account_id(args.user) if args.user else local_user_id(),
        application_id=settings.skill_id or LOCAL_SKILL_ID,
    )
    store = open_store(settings.store_url)
    try:
        with SettingsApi(device.api_access_token, device.device_id, zone) as api:
            device = replace(device, api_endpoint=api.endpoint)
            skill = http_skill(args.url) if args.url else in_process(settings, store)
            chat = Chat(
                _conversation(args, model, skill, device, start),
                sys.stdout,
                lambda: stored_state(store, device.user_id),
                zone,
            )
            if not sys.stdin.isatty():
                return chat.run(iter(sys.stdin), interactive=False)
            return _talk(chat, first_use=store.load(device.user_id) is None)
    finally:
        store.close()


def _conversation(
    args: argparse.Namespace, model: InteractionModel, skill: Skill, device: Device, start: datetime
) -> Conversation:
    """The device: piped input plays no pauses unless asked; a terminal plays them all."""
    factor = float(args.fast or 1.0)
    clock, wait = _timing(start, sys.stdin.isatty() or args.pauses or args.voice, factor)
    speak = espeak_voice(args.locale, factor) if args.voice else None
    return Conversation(
        skill=skill,
        understand=lambda utterance: understand(model, utterance),
        device=device,
        locale=args.locale,
        clock=clock,
        player=Player(sys.stdout, wait, sys.stdout.isatty(), speak),
        notes=sys.stdout,
        slot_types=model.intent_slots,
    )


def _talk(chat: Chat, first_use: bool) -> int:
    """At a terminal: one line of how it works, and for a new user the skill opened at once."""
    print(WELCOME)
    opening = [OPENING] if first_use else []
    for line in opening:
        print(PROMPT + line)
    lines = typed_lines(PROMPT)
    try:
        return chat.run(itertools.chain(opening, lines), interactive=True)
    finally:
        lines.close()


def in_process(settings: Settings, store: UserStore) -> Skill:
    """The skill built here, on `store`, handling envelopes exactly as Lambda does."""
    from skill.bootstrap import build_skill, handle_event

    skill = build_skill(settings, store)
    return lambda envelope: handle_event(skill, envelope)


def stored_state(store: UserStore, user_id: str) -> str:
    """What the store holds for the user: the state and a count of history entries (a read)."""
    snapshot = store.load(user_id)
    if snapshot is None:
        return "nothing stored yet for this user"
    entries = store.history(user_id)
    return (
        f"{json.dumps(snapshot.state, indent=2, sort_keys=True)}\n"
        f"version {snapshot.version}, {len(entries)} history entries"
    )


def device_zone(name: str | None) -> str:
    """The zone named by `--time-zone` (ValueError if unknown), else this machine's."""
    if name is None:
        return machine_zone()
    if valid_zone(name) is None:
        raise ValueError(f"unknown time zone {name!r} (an IANA name, e.g. Europe/London)")
    return name


def start_instant(now: str | None, zone: str) -> datetime:
    """`--now` as an aware instant; a time without an offset is local to the device's zone."""
    if not now:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        instant = datetime.fromisoformat(now)
    except ValueError:
        raise ValueError(
            f"--now wants an ISO 8601 time, e.g. 2027-01-04T08:30, not {now!r}"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo(zone))


def machine_zone() -> str:
    """This machine's IANA zone: $TZ, then /etc/localtime's link, then /etc/timezone, then UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text().strip())
    return next((zone for zone in candidates if valid_zone(zone)), "UTC")


def local_user_id() -> str:
    """This machine's chat user, created once and kept so progress carries over between chats."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    path = Path(data_home) / "band-coach" / "chat-user"
    if path.is_file():
        return path.read_text().strip()
    user_id = account_id("LOCAL" + os.urandom(16).hex().upper())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(user_id + "\n")
    return user_id


def typed_lines(prompt: str) -> Generator[str, None, None]:
    """Lines typed at the prompt until Ctrl-D. Like a device, the terminal listens only at the
    prompt: keys pressed while the coach speaks are neither echoed nor kept."""
    import readline  # noqa: F401  (line editing and history for input())
    import termios

    terminal = sys.stdin.fileno()
    listening = termios.tcgetattr(terminal)
    deaf = [*listening[:3], listening[3] & ~termios.ECHO, *listening[4:]]
    try:
        while True:
            termios.tcsetattr(terminal, termios.TCSAFLUSH, listening)
            try:
                line = input(prompt)
            except EOFError:
                print()
                return
            termios.tcsetattr(terminal, termios.TCSANOW, deaf)
            yield line
    finally:
        termios.tcsetattr(terminal, termios.TCSANOW, listening)


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


def espeak_voice(locale: str, factor: float) -> Callable[[str], None] | None:
    """Speech through espeak-ng at the chat's word rate (times `factor`), None without it."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        print("--voice needs espeak-ng (apt install espeak-ng); showing the speech as text.",
              file=sys.stderr)
        return None
    command = [
        espeak,
        "-v",
        ESPEAK_VOICES.get(locale, "en"),
        "-s",
        str(min(450, round(ESPEAK_WORDS_PER_MINUTE * factor))),
    ]

    def speak(text: str) -> None:
        spoken = subprocess.run([*command, "--", text], capture_output=True, text=True)
        errors = [line for line in spoken.stderr.splitlines() if line.startswith("error:")]
        if spoken.returncode != 0 or errors:  # it exits 0 when no sound device opens
            reason = (errors or ["no sound device?"])[-1]
            print(f"\nespeak-ng could not speak ({reason}); showing the speech as text.",
                  file=sys.stderr)
            raise VoiceFailed(reason)

    return speak
