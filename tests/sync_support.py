"""Helpers for the sync tests: a bare git repository in a temp dir and annotators, each with a data dir and a
config of their own, running `wiredesk` commands (nothing is started but git)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result

from annotations.store import Store
from tests.cli_support import run

ANADOLU = """Central bank raises key rate to 50%

ANKARA (AA) - Türkiye's Central Bank on Thursday raised its key interest rate to 50%, citing persistent inflation.

"Tight monetary policy will be maintained until a significant decline in inflation is observed," the bank said.

Governor Fatih Karahan will present the inflation report on May 9, the bank said on its website.

"We will do whatever it takes," Karahan told reporters in Ankara.
"""


def bare_repo(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


@dataclass
class Annotator:
    """One analyst: their data dir and config (`annotator = name`), and the team's remote."""

    name: str
    root: Path
    remote: Path

    def __post_init__(self) -> None:
        folder = self.config / "wiredesk"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.toml").write_text(f'annotator = "{self.name}"\n', encoding="utf-8")

    @property
    def data(self) -> Path:
        return self.root / f"data-{self.name}"

    @property
    def config(self) -> Path:
        return self.root / f"config-{self.name}"

    def run(self, *args: str) -> Result:
        return run(self.data, *args, env={"XDG_CONFIG_HOME": str(self.config)})

    def ok(self, *args: str) -> list[str]:
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    def sync(self) -> list[str]:
        return self.ok("sync", "--remote", str(self.remote))

    def store(self) -> Store:
        return Store(self.data, read_only=True)
