"""W3C Web Annotation export (JSON-LD): one `AnnotationCollection` whose single embedded `AnnotationPage` holds
every exported annotation, for annotation servers and Hypothesis-style tools.

Stable IRIs: `urn:wiredesk:story:<sha256>` for a story version (its id: the SHA-256 of its canonical text),
`urn:uuid:<id>` for an annotation, `urn:wiredesk:actor:<id>` for a registry entry (merges followed: the entry
an annotation's link stands for now); an id that is no UUID or hex digest is percent-encoded. The collection's
IRI is `urn:wiredesk:collection:<sha256 of its items>`, so the same annotations give the same collection.

Each annotation (motivation `tagging`; `creator` the annotator, `created`, `modified`) targets its story version
with a `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector` (code points of the canonical
text, end exclusive). Its bodies: a `TextualBody` `tagging` with the kind (quote, actor, claim); a quote's form
as `classifying` and its cue as `describing`; a claim's status as `assessing`; the registry entry it links to
(a quote's speaker, an actor mention's actor, a claim's claimant: one per kind) as a `SpecificResource`
`identifying`, whose source carries the entry's name; the note as a `TextualBody` `commenting`; a claim in a claim
thread (`annotations.threads`) links to it with a `SpecificResource` `linking` (source `urn:wiredesk:thread:<id>`
with the thread's title; `wiredesk:status` its status there). Every annotation repeats the `@context`, so each
stands alone.

After the annotations, each claim thread with an exported claim is an annotation of its own, motivation `linking`:
its id the thread's IRI, its body the title (`describing`), its targets the exported claims (in the order they were
linked) and `wiredesk:members` their statuses. `total` counts both.

Items are written a story's annotations at a time to a spool file (indented JSON by orjson: `dumps_items`), then
the collection header (with its IRI and `total`) and the items are written out: memory does not grow with the
number of annotations. No time of export is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TextIO
from urllib.parse import quote

from annotations.exports import Names, Selected, claim_threads, copy_into, dumps_items, spool_bytes, writes_no_folder
from annotations.model import Annotation, Carried
from annotations.store import Store
from annotations.threads import Thread

__all__ = [
    "CONTEXT",
    "EXTENSION",
    "LABEL",
    "NAME",
    "SINGLE_FILE",
    "actor_uri",
    "annotation",
    "replaceable",
    "story_uri",
    "thread_annotation",
    "thread_uri",
    "write",
]

NAME = "w3c"
LABEL = "W3C Web Annotation (JSON-LD; annotation servers)"
SINGLE_FILE = True
EXTENSION = ".jsonld"
replaceable = writes_no_folder  # one file: never a folder to replace
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_HEX = re.compile(r"[0-9a-f]{16,128}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _part(value: str) -> str:
    """An id as one safe IRI segment."""
    return value if _HEX.fullmatch(value) else quote(value, safe="")


@functools.lru_cache(maxsize=1024)  # a story's annotations come together
def story_uri(story_id: str) -> str:
    return f"urn:wiredesk:story:{_part(story_id)}"


@functools.lru_cache(maxsize=4096)
def actor_uri(actor_id: str) -> str:
    return f"urn:wiredesk:actor:{_part(actor_id)}"


def annotation_uri(ann_id: str) -> str:
    if _UUID.fullmatch(ann_id):  # as uuid.UUID(ann_id).urn gives it, without parsing
        return f"urn:uuid:{ann_id}"
    try:
        return uuid.UUID(ann_id).urn
    except ValueError:
        return f"urn:wiredesk:annotation:{_part(ann_id)}"


def _text(purpose: str, value: str) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


#: The key of a claim's status in its thread (on the body that links to the thread).
STATUS = "wiredesk:status"


def thread_annotation(thread: Thread) -> dict[str, Any]:
    """A claim thread as a W3C Web Annotation linking its claims."""
    return {
        "@context": CONTEXT,
        "id": thread_uri(thread.id),
        "type": "Annotation",
        "motivation": "linking",
        "created": thread.created,
        "modified": thread.modified,
        "body": [_text("describing", thread.title)],
        "target": [annotation_uri(m.annotation) for m in thread.members],
        "wiredesk:members": [{"id": annotation_uri(m.annotation), "status": m.status} for m in thread.members],
    }


#: The key of a carried annotation's provenance (method, score, state; the earlier version's story and text).
CARRIED = "wiredesk:carried"


def carried(c: Carried) -> dict[str, Any]:
    """Where a carried annotation came from, as its W3C form gives it."""
    out: dict[str, Any] = {"source": story_uri(c.source), "method": c.method, "score": c.score}
    out["state"] = "changed" if c.was else "carried"
    if c.was:
        out["was"] = c.was
    out["review"] = "pending" if c.pending else "done"
    return out


def thread_uri(thread_id: str) -> str:
    return f"urn:wiredesk:thread:{_part(thread_id)}"


def annotation(ann: Annotation, names: Names, thread: Thread | None = None) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation (`thread`: the claim thread it is in)."""
    body: list[dict[str, Any]] = [_text("tagging", ann.kind)]
    if ann.form:
        body.append(_text("classifying", ann.form))
    if ann.cue:
        body.append(_text("describing", ann.cue))
    if ann.status:
        body.append(_text("assessing", ann.status))
    for target in ann.links().values():
        actor = names.actor(target)
        if actor is not None:
            source = {"id": actor_uri(actor.id), "name": actor.name}
            body.append({"type": "SpecificResource", "purpose": "identifying", "source": source})
    member = thread.member(ann.id) if thread is not None else None
    if thread is not None and member is not None:
        source = {"id": thread_uri(thread.id), "name": thread.title}
        body.append({"type": "SpecificResource", "purpose": "linking", "source": source, STATUS: member.status})
    if ann.note:
        body.append(_text("commenting", ann.note))
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_uri(ann.id),
        "type": "Annotation",
        "motivation": "tagging",
    }
    if ann.annotator:
        out["creator"] = {"type": "Person", "name": ann.annotator}
    out["created"] = ann.created
    out["modified"] = ann.modified
    out["body"] = body
    if ann.carried is not None:  # carried from an earlier version: the annotation it was derived from, and how
        out["via"] = annotation_uri(ann.carried.origin)
        out[CARRIED] = carried(ann.carried)
    quote_selector = {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": ann.prefix, "suffix": ann.suffix}
    position = {"type": "TextPositionSelector", "start": ann.start, "end": ann.end}
    out["target"] = {"source": story_uri(ann.story_id), "selector": [quote_selector, position]}
    return out


def write(store: Store, out: TextIO, selection: Iterable[Selected]) -> int:
    """Write the collection of the selected annotations; returns how many."""
    names = Names(store)
    digest = hashlib.sha256()
    count = 0
    threaded: dict[str, set[str]] = {}  # thread id -> its exported claims
    threads = claim_threads(store)
    with spool_bytes() as items:
        for chosen in selection:
            if not chosen.annotations:
                continue
            made = []
            for ann in chosen.annotations:
                thread = threads.get(ann.id)
                if thread is not None:
                    threaded.setdefault(thread.id, set()).add(ann.id)
                made.append(annotation(ann, names, thread))
            chunk = (b"," if count else b"") + dumps_items(made, 6)
            digest.update(chunk)
            items.write(chunk)
            count += len(chosen.annotations)
        written = count
        for thread in store.threads():
            if thread.id in threaded:
                kept = tuple(m for m in thread.members if m.annotation in threaded[thread.id])
                chunk = b"," + dumps_items([thread_annotation(replace(thread, members=kept))], 6)
                digest.update(chunk)
                items.write(chunk)
                count += 1
        collection = f"urn:wiredesk:collection:{digest.hexdigest()}"
        header: dict[str, object] = {"@context": CONTEXT, "id": collection, "type": "AnnotationCollection"}
        header |= {"label": "wiredesk annotations", "total": count}
        if not count:  # a collection without annotations has no pages
            out.write(json.dumps(header, ensure_ascii=False, indent=2) + "\n")
            return 0
        page = f"{collection}:page:1"
        text = json.dumps({**header, "last": page}, ensure_ascii=False, indent=2)
        out.write(text[: text.rindex("\n}")] + ',\n  "first": {\n')
        out.write(f'    "id": {json.dumps(page)},\n    "type": "AnnotationPage",\n    "startIndex": 0,\n')
        out.write('    "items": [')
        copy_into(items, out)
        out.write("\n    ]\n  }\n}\n")
    return written
