"""The optional spaCy back end (annotations/suggest/nlp.py), tested with a pipeline the test builds (a blank English
pipeline and an entity ruler): its entities join the actor candidates, the rules keep theirs, and every way of not
having a pipeline gives None and one line saying why. Skipped when spaCy is not installed."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from annotations.registry import Registry
from annotations.suggest import nlp as nlp_module
from annotations.suggest import suggest
from annotations.suggest.actors import find_actors
from annotations.suggest.context import Context
from annotations.suggest.nlp import NlpBackend, load_backend
from stories.model import Story, StoryBuilder, StoryMeta

spacy = pytest.importorskip("spacy")


def pipeline(patterns: list[dict[str, Any]]) -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


PATTERNS = [
    {"label": "ORG", "pattern": "Gazprom"},
    {"label": "PERSON", "pattern": "Ivo Maric"},
    {"label": "NORP", "pattern": "Russian"},
    {"label": "NORP", "pattern": "Kurds"},
    {"label": "GPE", "pattern": "Russia"},
    {"label": "GPE", "pattern": "Selvo"},
    {"label": "LOC", "pattern": [{"LOWER": "the"}, {"LOWER": "steppe"}]},
    {"label": "DATE", "pattern": "Thursday"},
]


def story(*paragraphs: str) -> Story:
    builder = StoryBuilder()
    builder.add("headline", "Gas talks")
    for p in paragraphs:
        builder.add("paragraph", p)
    return builder.build(StoryMeta(headline=""))


STORY = story(
    "Gazprom shares fell on Thursday after Prime Minister Ivo Maric met Russian envoys in Selvo.",
    "Kurds crossed the steppe into Russia.",
)


def test_the_pipelines_entities_map_to_actor_types() -> None:
    backend = NlpBackend(pipeline(PATTERNS), "test")
    found = {STORY.text[s:e]: kind for s, e, kind in backend.entities(STORY.text)}
    assert found == {
        "Gazprom": "organisation",
        "Ivo Maric": "person",
        "Russian": "group",
        "Kurds": "group",
        "Russia": "country",  # a GPE that names a country
        "Selvo": "place",
        "the steppe": "place",
    }


def test_entities_join_the_candidates_and_the_rules_keep_theirs() -> None:
    without = {m.exact: m for m in find_actors(Context(STORY, Registry([])))}
    with_nlp = {m.exact: m for m in find_actors(Context(STORY, Registry([])), NlpBackend(pipeline(PATTERNS)))}
    assert "Gazprom" not in without and "the steppe" not in without  # what only the pipeline knows
    assert (with_nlp["Gazprom"].actor_type, with_nlp["Gazprom"].rule) == ("organisation", "actor.nlp")
    assert with_nlp["the steppe"].actor_type == "place"
    assert with_nlp["Prime Minister Ivo Maric"].rule == "actor.title"  # the rule's span, not the entity's
    assert "Ivo Maric" not in with_nlp
    assert "Russian" not in with_nlp  # a demonym alone is never a mention, whoever finds it
    assert with_nlp["Kurds"].actor_type == "group"
    assert set(without) <= set(with_nlp)


def test_suggest_takes_the_backend() -> None:
    backend = NlpBackend(pipeline(PATTERNS))
    actors = [s.exact for s in suggest(STORY, Registry([]), nlp=backend) if s.kind == "actor"]
    assert "Gazprom" in actors
    assert "Gazprom" not in [s.exact for s in suggest(STORY, Registry([])) if s.kind == "actor"]


def test_a_pipeline_that_fails_leaves_the_rules_working() -> None:
    class Broken:
        meta = {"name": "broken"}

        def __call__(self, text: str) -> Any:
            raise ValueError("boom")

    backend = NlpBackend(Broken())
    assert backend.entities(STORY.text) == []
    assert [m.exact for m in find_actors(Context(STORY, Registry([])), backend)] == [
        m.exact for m in find_actors(Context(STORY, Registry([])))
    ]


def test_long_texts_go_to_the_pipeline_in_pieces_with_right_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "PIECE", 50)
    text = "\n\n".join(f"Gazprom met Ivo Maric in paragraph {i}." for i in range(20))
    found = NlpBackend(pipeline(PATTERNS)).entities(text)
    assert len(found) == 40
    assert all(text[s:e] in ("Gazprom", "Ivo Maric") for s, e, _ in found)


def test_no_pipeline_named_is_no_backend_and_no_reason() -> None:
    assert load_backend(None) == (None, "")
    assert load_backend("") == (None, "")


def test_a_pipeline_not_installed_gives_one_line_and_is_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    backend, reason = load_backend("wiredesk_test_no_such_pipeline")
    assert backend is None
    assert "not installed" in reason and "\n" not in reason and reason.isprintable()
    calls: list[str] = []
    monkeypatch.setattr(nlp_module, "_load", lambda name: calls.append(name) or (None, "x"))
    assert load_backend("wiredesk_test_no_such_pipeline")[1] == reason  # kept: not loaded again
    assert calls == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "/tmp/model", "en core", "\x1b[31mred", "é" * 3, "x" * 500])
def test_a_name_that_is_no_pipeline_name_is_refused_in_one_clean_line(name: str) -> None:
    backend, reason = nlp_module._load(name)
    assert backend is None and reason.isprintable() and len(reason) < 300 and "\x1b" not in reason


def test_without_spacy_the_reason_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now fails
    backend, reason = nlp_module._load("en_core_web_sm")
    assert backend is None and "wiredesk[nlp]" in reason


def test_a_pipeline_without_entities_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy, "load", lambda name, **kw: spacy.blank("en"))
    backend, reason = nlp_module._load("blank_pipeline")
    assert backend is None and "no ner" in reason


def test_a_pipeline_that_fails_to_load_is_said_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str, **kw: Any) -> Any:
        raise ValueError("incompatible version\nsecond line \x1b[2J")

    monkeypatch.setattr(spacy, "load", broken)
    backend, reason = nlp_module._load("en_core_web_sm")
    assert backend is None and "incompatible version" in reason and reason.isprintable()


def test_a_loaded_pipeline_becomes_a_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy, "load", lambda name, **kw: pipeline(PATTERNS))
    backend, reason = nlp_module._load("en_test_pipeline")
    assert backend is not None and reason == "" and backend.name == "en_test_pipeline"
