"""Property tests run the same way on every run and machine (the profile tests/conftest.py loads)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEN: list[list[int]] = []


def test_the_profile_is_loaded_for_every_run() -> None:
    assert settings.default.deadline is None  # slowness on a loaded machine fails no test
    assert HealthCheck.too_slow in settings.default.suppress_health_check
    assert settings.default.derandomize and settings.default.database is None  # the same examples every run


@settings(max_examples=5)  # a test's own settings keep the profile's for the rest
@given(st.lists(st.integers()))
def _draw(values: list[int]) -> None:
    SEEN.append(values)


def test_two_runs_try_the_same_examples() -> None:
    _draw()
    first = list(SEEN)
    SEEN.clear()
    _draw()
    assert SEEN == first != []
