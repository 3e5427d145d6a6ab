"""The README stays true: its two set-up commands, CI running the test one, and the keys it documents."""

from __future__ import annotations

import re

from textual.keys import key_to_character

from tests.conftest import ROOT
from tui.app import WiredeskApp
from tui.keymap import registry_of

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)\n```", section, flags=re.S)


def test_exactly_two_setup_commands_one_runs_the_demo_one_runs_the_tests() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("wiredesk demo")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _setup_commands()[1] in ci


def test_every_single_key_binding_is_documented() -> None:
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    documented = set(re.findall(r"`([^`]+)`", prose))
    missing = []
    registry = registry_of(WiredeskApp)
    for owner in registry.owners:
        title = owner.__name__
        for binding in registry.bindings(owner):
            for key in binding.key.split(","):
                char = key_to_character(key)  # "quotation_mark" -> '"', "full_stop" -> "."
                shown = char if char and char.isprintable() and not char.isspace() else {"slash": "/"}.get(key, key)
                if (len(shown) == 1 or shown.startswith("ctrl+")) and shown not in documented:
                    missing.append(f"{title}: {shown} ({binding.description})")
    assert not missing, missing
