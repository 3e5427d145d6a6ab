"""Loading the bench/suggest/ scripts as modules (bench/ is no package)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT

SUGGEST_BENCH = ROOT / "bench" / "suggest"


def bench_module(name: str) -> ModuleType:
    """bench/suggest/NAME.py, imported once as `bench_suggest_NAME`."""
    key = f"bench_suggest_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, SUGGEST_BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
