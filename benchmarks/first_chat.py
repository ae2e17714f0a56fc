"""A newcomer's first `make chat`: a fresh clone, timed to the coach's first words and prompt.

Clones this repository's committed HEAD into a temporary directory, runs `make chat` there in a
pseudo-terminal with an empty data directory (so it is a first chat), and prints how long the
set-up took until the coach spoke and until the prompt was there, the virtual environment's size
and how many packages it holds. The pip cache is used as found (warm after one run). A figure,
not a pass/fail test. Standard library only: it runs before any virtual environment exists.
"""

from __future__ import annotations

import argparse
import os
import pty
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_WORDS = b"Hi, I'm your band coach."
PROMPT = b"[speaking] > "
GIVE_UP_SECONDS = 600.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the clone (prints its path)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="band-coach-first-chat-"))
    try:
        clone = work / "band-coach"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        load = os.getloadavg()[0]
        spoke, prompted = timed_chat(clone, work / "data")
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        venv = clone / ".venv"
        print(f"make chat on a fresh clone ({sys.platform}, Python "
              f"{sys.version_info.major}.{sys.version_info.minor}, {os.cpu_count()} CPUs, "
              f"load {load:.1f} before):")
        print(f"  first words after {spoke:.1f} s, first prompt after {prompted:.1f} s")
        print(f"  CPU time of the whole run (clone, install, chat): "
              f"{used.ru_utime + used.ru_stime:.1f} s")
        print(f"  .venv: {size_mb(venv):.0f} MB, {packages(venv)} packages")
        if args.keep:
            print(f"  kept: {clone}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def timed_chat(clone: Path, data: Path) -> tuple[float, float]:
    """Seconds from `make chat` to the coach's first words and to the prompt below them."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("BAND_COACH_STORE", None)
    began = time.monotonic()
    chat = subprocess.Popen(["make", "chat"], cwd=clone, env=env, stdin=terminal,
                            stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown, spoke = b"", None
    try:
        while time.monotonic() - began < GIVE_UP_SECONDS:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if not ready:
                continue
            try:
                shown += os.read(controller, 65536)
            except OSError:
                break
            if spoke is None and FIRST_WORDS in shown:
                spoke = time.monotonic() - began
            if spoke is not None and PROMPT in shown[shown.index(FIRST_WORDS):]:
                prompted = time.monotonic() - began
                os.write(controller, b":quit\r")
                chat.wait(timeout=60)
                return spoke, prompted
        raise SystemExit(f"no prompt within {GIVE_UP_SECONDS:.0f} s:\n{shown[-2000:].decode()}")
    finally:
        if chat.poll() is None:
            chat.kill()
            chat.wait()
        os.close(controller)


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def packages(venv: Path) -> int:
    return sum(1 for _ in venv.glob("lib/python*/site-packages/*.dist-info"))


if __name__ == "__main__":
    raise SystemExit(main())
