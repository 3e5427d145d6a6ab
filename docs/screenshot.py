"""Make docs/screenshot.svg: the reader on the Anadolu-style demo story, with a few tags. Run from the repo root."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from annotations.anchor import locate
from annotations.model import Annotation
from annotations.store import Store
from stories.demo import demo_files
from tui.app import WiredeskApp
from tui.importing import import_paths

TAGS = [
    ("quote", "This agreement belongs to the farmers on both banks."),
    ("actor", "Ivo Maric"),
    ("actor", "Dana Vostrik"),
    ("quote", "a model for the whole region"),
    ("claim", "claimed the government had “given away our summer flows for a photograph”"),
    ("actor", "Toma Belic"),
]


async def main() -> None:
    store = Store(tempfile.mkdtemp(prefix="wiredesk-shot-"))
    outcomes = list(import_paths(store, demo_files()))
    story = next(o.story for o in outcomes if o.story and o.path.name.startswith("anadolu"))
    for kind, text in TAGS:
        start, end = locate(story, text)
        store.put(Annotation.new(story, kind, start, end, annotator="demo"), story)
    app = WiredeskApp(store, annotator="demo", open_story=story.id, demo=True)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.press("/", *"Selvo", "enter")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(Path(__file__).with_name("screenshot.svg")))


if __name__ == "__main__":
    asyncio.run(main())
