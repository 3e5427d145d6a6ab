"""Type checking is kept honest: every `# type: ignore` in the project's code names its error code and says why."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("stories", "annotations", "tui")

#: `# type: ignore`, its codes if any, and what follows on the comment.
_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]*\])?(?P<rest>.*)")
#: A reason: another comment after the ignore, with words in it.
_REASON = re.compile(r"^\s*#\s*\w")


def unexplained_ignores(source: str) -> Iterator[str]:
    """`line: comment` for each `# type: ignore` comment in `source` that lacks an error code or a reason
    (`# type: ignore[code]  # why`). Only comments count: the words in a string are not an ignore."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        m = _IGNORE.search(token.string)
        if m and (not m["codes"] or not _REASON.match(m["rest"])):
            yield f"{token.start[0]}: {token.string}"


def test_every_type_ignore_says_why() -> None:
    files = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert files
    found = [
        f"{path.relative_to(ROOT)}:{bad}" for path in files for bad in unexplained_ignores(path.read_text("utf-8"))
    ]
    assert found == [], "a `# type: ignore[code]` needs a reason beside it: `# type: ignore[code]  # why`"


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("x = f()  # type: ignore\n", True),
        ("x = f()  # type: ignore[arg-type]\n", True),
        ("x = f()  # type: ignore[arg-type]  #\n", True),
        ("x = f()  # type: ignore[arg-type]  # TinyDB leaves it untyped\n", False),
        ("x = f()  #type:ignore[misc]# a reason\n", False),
        ("x = f()  # noqa: E501  # type: ignore[misc]\n", True),
        ('x = "# type: ignore"\n', False),
        ("x = f()  # a plain comment\n", False),
    ],
)
def test_the_check_catches_what_it_is_meant_to(source: str, bad: bool) -> None:
    assert bool(list(unexplained_ignores(source))) is bad


def test_ci_runs_the_type_check() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ".venv/bin/mypy" in ci  # a command of its own, after the tests


def test_the_before_you_stop_routine_runs_the_type_check() -> None:
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    routine = text.partition("## Before you stop")[2].partition("\n## ")[0]
    assert "mypy" in routine and "ruff" in routine and "pytest" in routine
