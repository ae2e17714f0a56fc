"""Resident memory from /proc: a process's current (VmRSS) and peak (VmHWM) sizes in KiB."""

from __future__ import annotations

from pathlib import Path


def status_kib(pid: int | str, field: str) -> int:
    """`field` (e.g. "VmHWM", "VmRSS") of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(f"{field} not in /proc/{pid}/status")
