"""How a story is presented in text: its metadata line, and a Rich rendering for `wiredesk show`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rich.text import Text

from annotations.model import Annotation
from stories.dates import dateline_day, dateline_parts
from stories.model import Story, StoryMeta

__all__ = [
    "KIND_LABELS",
    "KIND_STYLES",
    "detail_line",
    "display_date",
    "header_paragraphs",
    "human_date",
    "list_date",
    "meta_line",
    "paragraph_kinds",
    "render_story",
    "title_line",
]

#: How each annotation kind looks. Each differs from the others without colour too.
KIND_STYLES = {"quote": "italic green", "actor": "bold cyan", "claim": "underline yellow"}
KIND_LABELS = {"quote": "Quote", "actor": "Actor", "claim": "Claim"}
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def human_date(iso: str | None) -> str:
    """'2026-01-03' -> '3 Jan 2026'; with a time, '3 Jan 2026 14:05'. Unparseable text is returned as is."""
    if not iso:
        return ""
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    day = f"{dt.day} {_MONTHS[dt.month - 1]} {dt.year}"
    return day if len(iso) <= 10 else f"{day} {dt:%H:%M}"


def display_date(meta: StoryMeta) -> str:
    """The story's day for lists: updated or created, else the dateline's date written the same way ("Oct. 9"
    -> "9 Oct"; a dateline rarely gives the year, and none is made up)."""
    when = meta.updated or meta.created
    if when:
        return human_date(when[:10])
    text = str(meta.extra.get("dateline_date") or "")
    parts = dateline_parts(text)
    return text if parts is None else " ".join(str(p) for p in (parts[1], _MONTHS[parts[0] - 1], parts[2]) if p)


def list_date(meta: StoryMeta, added: str, today: date) -> str:
    """The story's day for the library list, its year shown only when it is not `today`'s: "15 May", "21 Oct 2025".
    A dateline date without a year ("Oct 21") is placed as the library sorts it (`stories.dates.dateline_day`)."""
    when = meta.updated or meta.created
    try:
        day = date.fromisoformat(when[:10]) if when else dateline_day(str(meta.extra.get("dateline_date") or ""), added)
    except ValueError:
        day = None
    if day is None:
        return display_date(meta)
    return f"{day.day} {_MONTHS[day.month - 1]}" + ("" if day.year == today.year else f" {day.year}")


def meta_line(meta: StoryMeta) -> str:
    """Byline, agency, dates (else the dateline's) and section on one line, parts separated by ' · '."""
    parts = []
    if meta.authors:
        parts.append("By " + ", ".join(meta.authors))
    if meta.agency:
        parts.append(meta.agency)
    if meta.created:
        parts.append(human_date(meta.created))
    if meta.updated and meta.updated != meta.created:
        parts.append("updated " + human_date(meta.updated))
    if not (meta.created or meta.updated) and meta.extra.get("dateline_date"):
        parts.append(display_date(meta))  # the dateline's date ("12 Nov"): copy that carries no other
    if meta.section:
        parts.append(meta.section)
    return " · ".join(parts)


def detail_line(meta: StoryMeta, versions: int = 1, *, dateline_in_text: bool = True) -> str:
    """What else the format carried: dateline (when not in the text), version, slug, subjects, language, source."""
    parts = []
    if meta.dateline and not dateline_in_text:
        parts.append(meta.dateline)
    if versions > 1 or (meta.version or 1) > 1:
        parts.append(f"version {meta.version or 1}" + (f" of {versions}" if versions > 1 else ""))
    if meta.slug:
        parts.append(f"slug {meta.slug}")
    if meta.subjects:
        shown = ", ".join(meta.subjects[:4]) + ("…" if len(meta.subjects) > 4 else "")
        parts.append(f"subjects: {shown}")
    if meta.language:
        parts.append(meta.language)
    if meta.source:
        parts.append(f"{meta.source} ({meta.format})")
    return " · ".join(parts)


def paragraph_kinds(story: Story) -> list[str]:
    """The kind of each paragraph: that of the last block starting in it ("paragraph" if none), in one pass."""
    blocks, i, kinds = story.blocks, 0, []
    for start, end in story.paragraphs():
        kind = "paragraph"
        while i < len(blocks) and blocks[i].start < end:
            if blocks[i].start >= start:
                kind = blocks[i].kind
            i += 1
        kinds.append(kind)
    return kinds


def header_paragraphs(story: Story) -> int:
    """How many leading paragraphs form the header (headline and standfirst); the metadata line follows them.
    0 when the text has no headline (one derived from the lede lives in the metadata only): see `title_line`."""
    count = 0
    for start, _end in story.paragraphs():
        block = story.block_at(start)
        if block is None or block.kind not in ("headline", "standfirst"):
            break
        count += 1
    if count == 0 and not title_line(story):
        return 1  # no headline anywhere: the metadata follows the first paragraph, as before
    return count


def title_line(story: Story) -> str:
    """The headline to show above a text that holds none (copy that opens with its dateline), else ""."""
    if any(b.kind == "headline" for b in story.blocks):
        return ""
    return story.meta.headline


def _has_dateline(story: Story) -> bool:
    return any(b.kind == "dateline" for b in story.blocks)


def render_story(story: Story, annotations: Iterable[Annotation], versions: int = 1) -> Text:
    """The story as Rich renderables: headline, metadata, blocks, with annotations styled by kind."""
    text = Text(story.text)
    for block in story.blocks:
        style = {"headline": "bold", "standfirst": "italic", "dateline": "bold"}.get(block.kind)
        if style:
            text.stylize(style, block.start, block.end)
    for ann in annotations:
        text.stylize(KIND_STYLES.get(ann.kind, ""), ann.start, ann.end)
    out = Text()
    header = header_paragraphs(story)
    if title := title_line(story):
        out.append(title + "\n\n", style="bold")

    def details() -> None:
        detail = detail_line(story.meta, versions, dateline_in_text=_has_dateline(story))
        for line in (meta_line(story.meta), detail):
            if line:
                out.append(line + "\n", style="dim")
        out.append("\n")

    paragraphs = list(zip(story.paragraphs(), paragraph_kinds(story), strict=True))
    # one division of the styled text at every paragraph's start and end (slicing a Text copies all of it: a
    # slice per paragraph made a 100,000-paragraph story take minutes); piece 2i + 1 is paragraph i
    pieces = text.divide(offset for (start, end), _kind in paragraphs for offset in (start, end))
    for i, (_range, kind) in enumerate(paragraphs):
        if i == header:
            details()
        if kind == "highlight":
            out.append("• ", style="cyan")
        out.append_text(pieces[2 * i + 1])
        out.append("\n\n")
    if header >= len(paragraphs):
        details()
    legend = Text.assemble(*((f"{KIND_LABELS[k]} ", KIND_STYLES[k]) for k in KIND_STYLES))
    out.append_text(Text.assemble(("id ", "dim"), (story.short_id, "dim"), ("  ·  ", "dim"), legend))
    return out
