"""The optional NLP back end: a spaCy pipeline the user has installed and named in the config file
(`nlp_model = "en_core_web_sm"`) adds its PERSON / ORG / GPE / LOC / NORP entities to the actor candidates.

Nothing here downloads anything: `spacy.load` only opens an installed pipeline. Without spaCy, without the pipeline,
or when loading fails, `load_backend` gives None and a one-line reason, and the suggester works on rules and the
registry alone. A pipeline is loaded once, on first use, and kept.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from annotations.suggest.countries import country_named
from stories.text import clean_line

__all__ = ["LABEL_TYPES", "NlpBackend", "load_backend"]

#: spaCy entity labels -> actor types ("GPE" is a country if it names one, else a place).
LABEL_TYPES = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
}
#: Longer texts are cut into pieces of about this many characters for the pipeline (spaCy's own limit is 1e6).
PIECE = 100_000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class NlpBackend:
    """A loaded spaCy pipeline, asked for the entities of a text as (start, end, actor type)."""

    def __init__(self, pipeline: Any, name: str = "") -> None:
        self.pipeline = pipeline
        self.name = name or str(getattr(pipeline, "meta", {}).get("name", "pipeline"))
        self._lock = threading.Lock()  # a pipeline is not promised to be thread-safe; the reader uses a worker

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """The pipeline's person, organisation, place and group entities in `text`; [] if it fails on it."""
        out: list[tuple[int, int, str]] = []
        try:
            with self._lock:
                for offset, piece in _pieces(text):
                    for ent in self.pipeline(piece).ents:
                        kind = LABEL_TYPES.get(ent.label_)
                        if kind is None or not ent.text.strip():
                            continue
                        if ent.label_ == "GPE" and country_named(ent.text):
                            kind = "country"
                        out.append((offset + ent.start_char, offset + ent.end_char, kind))
        except Exception:  # a third-party pipeline may fail on any text; the rules still stand
            return []
        return out


def _pieces(text: str) -> list[tuple[int, str]]:
    """The text in pieces of about PIECE characters, cut at paragraph breaks where there are some."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + PIECE)
        if end < len(text) and (cut := text.rfind("\n\n", start, end)) > start:
            end = cut
        out.append((start, text[start:end]))
        start = end
    return out


_LOADED: dict[str, tuple[NlpBackend | None, str]] = {}
_LOADING = threading.Lock()


def load_backend(name: str | None) -> tuple[NlpBackend | None, str]:
    """The pipeline called `name` (an installed spaCy package or a path to one), loaded once and kept, and ""; or
    None and why not, in one line ("" if no pipeline is named)."""
    if not name:
        return None, ""
    with _LOADING:
        if name not in _LOADED:
            _LOADED[name] = _load(name)
        return _LOADED[name]


def _load(name: str) -> tuple[NlpBackend | None, str]:
    shown = clean_line(name)[:100]
    if not _NAME.fullmatch(name):
        return None, f'nlp_model "{shown}" is not a pipeline name (letters, digits, "_", "-", "."); using rules only'
    try:
        import spacy
    except Exception:
        return None, f'nlp_model "{shown}" needs spaCy (pip install "wiredesk[nlp]"); using rules only'
    try:
        pipeline = spacy.load(name, exclude=["lemmatizer", "textcat"])
    except OSError:
        return None, f'spaCy pipeline "{shown}" is not installed (python -m spacy download {shown}); using rules only'
    except Exception as exc:  # a broken or incompatible package: said in one line, never a traceback
        reason = clean_line(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:120]
        return None, f'spaCy pipeline "{shown}" could not be loaded ({reason}); using rules only'
    if "ner" not in pipeline.pipe_names and "entity_ruler" not in pipeline.pipe_names:
        return None, f'spaCy pipeline "{shown}" finds no entities (no ner); using rules only'
    return NlpBackend(pipeline, name), ""
