"""Make docs/screenshot.svg: the reader on the Anadolu-style demo story, with a few tags and its
suggestions pending. Run from the repo root."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from pathlib import Path

from annotations.actors import Actor
from annotations.anchor import locate
from annotations.history import History
from annotations.importing import import_paths
from annotations.model import Annotation
from annotations.store import Store
from stories.demo import demo_files
from tui.app import WiredeskApp
from tui.screens.reader import ReaderScreen

ACTORS = {"maric": ("Ivo Maric", "person"), "vostrik": ("Dana Vostrik", "person"), "belic": ("Toma Belic", "person")}
TAGS = [  # (kind, text, fields)
    ("quote", "This agreement belongs to the farmers on both banks.", {"speaker": "maric", "form": "direct"}),
    ("actor", "Ivo Maric", {"actor": "maric"}),
    ("actor", "Dana Vostrik", {"actor": "vostrik"}),
    ("quote", "a model for the whole region", {"speaker": "vostrik", "form": "partial"}),
    (
        "claim",
        "the government had “given away our summer flows for a photograph”",
        {"claimant": "belic", "status": "disputed"},
    ),
    ("actor", "Toma Belic", {"actor": "belic"}),
]


async def main() -> None:
    store = Store(tempfile.mkdtemp(prefix="wiredesk-shot-"))
    outcomes = list(import_paths(store, demo_files()))
    story = next(o.story for o in outcomes if o.story and o.path.name.startswith("anadolu"))
    actors = {key: Actor.new(name, kind) for key, (name, kind) in ACTORS.items()}
    history = History(store)
    for actor in actors.values():
        history.add_actor(actor)
    for kind, text, fields in TAGS:
        start, end = locate(story, text)
        links = {k: actors[v].id if k in ("speaker", "actor", "claimant") else v for k, v in fields.items()}
        history.add(replace(Annotation.new(story, kind, start, end, annotator="demo"), **links), story)
    app = WiredeskApp(store, annotator="demo", open_story=story.id, demo=True)
    async with app.run_test(size=(110, 34)) as pilot:
        while not (isinstance(app.screen, ReaderScreen) and app.screen.suggestions is not None):
            await pilot.pause()
        await pilot.press("/", *"Selvo", "enter")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(Path(__file__).with_name("screenshot.svg")))


if __name__ == "__main__":
    asyncio.run(main())
