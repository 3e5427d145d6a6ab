"""CountedScreen: the annotations one figure of the dashboard counts, newest story first; Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from annotations.stats.index import LINK_OF
from stories.text import clean_line
from tui.desk import desk
from tui.widgets.usage_list import Usage, UsageList

__all__ = ["SHOWN", "CountedScreen"]

#: The most rows listed (the heading says how many the figure counts).
SHOWN = 5000


class CountedScreen(Screen):
    """A row per annotation id given (those still stored), newest story first; Escape goes back."""

    AUTO_FOCUS = "#counted"

    BINDINGS = [Binding("escape", "back", "Back", id="counted.back", tooltip="Back to the dashboard")]

    DEFAULT_CSS = """
    CountedScreen {
        & > #counted-info { height: auto; padding: 0 1; background: $panel; }
        & > UsageList { height: 1fr; }
    }
    """

    def __init__(self, title: str, ids: list[str]) -> None:
        super().__init__()
        self.heading = clean_line(title)
        self.ids = ids

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counted-info")
        yield UsageList(id="counted")
        yield Footer()

    def on_mount(self) -> None:
        store = desk(self).store
        found = [ann for ann_id in self.ids[:SHOWN] if (ann := store.annotation(ann_id)) is not None]
        usages = [Usage(LINK_OF[ann.kind], ann, store.story_meta(ann.story_id)) for ann in found]
        usages.sort(key=lambda u: (u.annotation.story_id, u.annotation.start))
        usages.sort(key=lambda u: u.meta.updated or u.meta.created or "", reverse=True)
        self.query_one(UsageList).set_usages(usages)
        total = len(self.ids)
        more = f" (the first {SHOWN:,} listed)" if total > SHOWN else ""
        self.query_one("#counted-info", Static).update(Text(f"{self.heading}: {total:,} counted{more}"))
        self.sub_title = f"counted · {self.heading}"

    def on_usage_list_opened(self, event: UsageList.Opened) -> None:
        desk(self).open_story(event.annotation.story_id, at=event.annotation.start)

    def action_back(self) -> None:
        self.app.pop_screen()
