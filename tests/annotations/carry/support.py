"""Small texts and spans for the re-anchoring tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT

P1 = "The regional court ruled on Monday that the port authority had broken the law when it sold the northern quay."
P2 = '"We will appeal, and we expect to win," said Petra Lind, who leads the dockworkers union in the city.'
P3 = "Shares in the operator fell 12% after the ruling, their steepest drop since the company listed in 2019."
P4 = "The authority said it would study the judgment before deciding its next step, a spokesman told reporters."
P5 = "Talks between the union and the operator are due to resume next week, according to people close to them."
BASE = "\n\n".join([P1, P2, P3, P4, P5])


def span(text: str, exact: str, nth: int = 1, ident: str = "a") -> Span:
    """The `nth` appearance of `exact` in `text`, with its stored context."""
    at = -1
    for _ in range(nth):
        at = text.index(exact, at + 1)
    return versions().span_of(text, at, at + len(exact), ident)


def paragraphs(*parts: str) -> str:
    return "\n\n".join(parts)


def bench(name: str) -> ModuleType:
    """bench/NAME.py as a module (bench/ is no package; its scripts import their siblings)."""
    if name not in sys.modules:
        sys.path.insert(0, str(ROOT / "bench"))
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def versions() -> ModuleType:
    return bench("make_versions")


Span = versions().Span  # an old annotation as `place` reads it (the benchmark's own)
