"""The run's figures as a printed table and as JSON."""

from __future__ import annotations

import json
import math
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.stats import Target, ratio


@dataclass(frozen=True)
class Row:
    section: str
    figure: str
    value: float
    baseline: float | None = None
    unit: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.baseline is None else ratio(self.value, self.baseline)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, section: str, figure: str, value: float, baseline: float | None = None,
            unit: str = "") -> Row:
        row = Row(section, figure, value, baseline, unit)
        self.rows.append(row)
        return row

    def target(self, name: str, value: float, bound: float, *, at_most: bool = True,
               strict: bool = False) -> None:
        self.targets.append(Target(name, value, bound, at_most, strict))

    def table(self) -> str:
        lines = [f"{'figure':54} {'band coach':>12} {'baseline':>12} {'ratio':>7}  unit"]
        section = ""
        for row in self.rows:
            if row.section != section:
                section = row.section
                lines.append(f"-- {section} " + "-" * max(0, 90 - len(section)))
            base = "" if row.baseline is None else _number(row.baseline)
            rate = "" if row.ratio is None else f"{row.ratio:.2f}x"
            lines.append(f"{row.figure:54} {_number(row.value):>12} {base:>12} {rate:>7}  "
                         f"{row.unit}")
        lines.append("-- targets " + "-" * 82)
        lines += [f"{target.verdict}  {target.describe()}" for target in self.targets]
        if self.notes:
            lines.append("-- notes " + "-" * 84)
            lines += self.notes
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "machine": machine(),
            "rows": [asdict(row) | {"ratio": _finite(row.ratio)} for row in self.rows],
            "targets": [asdict(t) | {"met": t.met} for t in self.targets],
            "notes": self.notes,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    import os

    return {"cpus": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version(),
            "platform": platform.platform()}


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf"
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value
