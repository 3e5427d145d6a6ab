"""Demo stories bundled with wiredesk: made-up events written in real wire layouts. Imports nothing of ours."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["demo_files"]


def demo_files() -> list[Path]:
    """Paths of the bundled demo story files, in a stable order."""
    folder = resources.files(__name__)
    return sorted(Path(str(folder / name.name)) for name in folder.iterdir() if name.name.endswith(".txt"))
