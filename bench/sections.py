"""A benchmark's own dated section in bench/RESULTS.md: put just above the issue 13 section (so that branches
adding sections merge cleanly), in place of an earlier section of the same title."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from common import BENCH_DIR, machine

__all__ = ["record_section"]

RESULTS = BENCH_DIR / "RESULTS.md"
ANCHOR = "## Suggestions (issue 13)"
MARKER = "<!-- runs below are written by bench/run.py, newest first -->"


def record_section(title: str, command: str, body: str, path: Path = RESULTS) -> None:
    """Write `## TITLE, run DATE` (the command, the machine, then `body`) into RESULTS.md."""
    info = machine(BENCH_DIR)
    lines = "\n".join(f"- {k}: {v}" for k, v in info.items() if k in ("cpu", "python", "libraries", "commit"))
    when = datetime.now(UTC)
    text = f"## {title}, run {when:%Y-%m-%d %H:%M} UTC\n\n`{command}`\n\n{lines}\n\n{body.strip()}\n\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    parts = [p for p in re.split(r"(?m)^(?=## )", old) if not p.startswith(f"## {title}, run ")]
    at = next((i for i, p in enumerate(parts) if p.startswith(ANCHOR)), None)
    if at is None:
        at = next((i for i, p in enumerate(parts) if i and MARKER in parts[i - 1]), len(parts))
    if at and not parts[at - 1].endswith("\n\n"):
        parts[at - 1] = parts[at - 1].rstrip("\n") + "\n\n"
    parts.insert(at, text)
    path.write_text("".join(parts).rstrip("\n") + "\n", encoding="utf-8")
