"""Alerts on arriving copy (`annotations/alerts.py`) and `[alerts]` in the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import config
from annotations.actors import Actor
from annotations.alerts import Watch
from annotations.config import AlertSettings, SavedSearch
from annotations.registry import Registry
from annotations.store import Store
from tests.store_support import add_story, make_story

FERRY = make_story("Dr. Ellen Voss said the vote was close.", headline="Ferry timetable approved", agency="Reuters")
SNOW = make_story("Crews cleared the road. Voss was not there.", headline="Snow closes \x1b[31mpass", agency="AP")
OTHER = make_story("Nothing to see here; ellen voss in lower case is no name.", headline="Quiet day")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data")
    for story in (FERRY, SNOW, OTHER):
        add_story(store, story)
    return store


def test_saved_searches_and_actors_match_new_stories(store: Store) -> None:
    voss = Actor.new("Ellen Voss", "person", aliases=["Dr. Voss"])
    registry = Registry([voss])
    searches = [SavedSearch("snow", "snow agency:AP"), SavedSearch("ferries", "ferry")]
    watch = Watch(AlertSettings(("Snow", "missing"), ("Voss", "Crews")), searches, registry)
    assert watch.problems == ["[alerts] searches: no saved search 'missing' in [searches]"]
    alerts = watch.check(store, [FERRY.id, SNOW.id, OTHER.id, "f" * 64])
    by_id = {a.story_id: a for a in alerts}
    assert set(by_id) == {FERRY.id, SNOW.id}  # OTHER names no one (lower case) and is no snow story
    assert by_id[FERRY.id].reasons == ("actor Ellen Voss",)  # the registry's name, found by its full name
    assert by_id[SNOW.id].reasons == ("search snow", "actor Crews")  # "Voss" alone is no name of the entry
    assert "\x1b" not in by_id[SNOW.id].line() and by_id[SNOW.id].line().startswith("Snow closes")


def test_nothing_watched_watches_nothing(store: Store) -> None:
    watch = Watch(AlertSettings(bell=True), [], Registry([]))
    assert not watch and watch.check(store, [FERRY.id]) == []


def test_alerts_config_is_read_and_checked() -> None:
    table = {"searches": ["ukraine", "ukraine"], "actors": [" Ellen  Voss "], "bell": True}
    settings = config.alerts({"alerts": table})
    assert settings == AlertSettings(("ukraine",), ("Ellen Voss",), True)
    assert config.alerts({}) == AlertSettings() and not AlertSettings()
    for bad, fragment in [
        ({"alerts": "yes"}, "must be a table"),
        ({"alerts": {"bell": "yes"}}, "bell must be true or false"),
        ({"alerts": {"actors": "Voss"}}, "must be a list of names"),
        ({"alerts": {"actors": [""]}}, "1 to 200 characters"),
        ({"alerts": {"sound": True}}, "has no key 'sound'"),
    ]:
        with pytest.raises(config.ConfigError, match=fragment):
            config.alerts(bad)
