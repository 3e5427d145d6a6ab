"""How a diff between two versions is presented in text: the new version's paragraphs with inserted words marked
`{+…+}` and deleted ones `[-…-]` (as `git diff --word-diff` marks them), styled too, so the marks read without
colour and the colours without the marks. Shared by `wiredesk diff` and the reader's diff view."""

from __future__ import annotations

from rich.text import Text

from annotations.store.entry import StoryEntry
from stories.diff import DiffSummary, ParagraphDiff, VersionDiff
from stories.text import clean_line

__all__ = [
    "DELETED_STYLE",
    "INSERTED_STYLE",
    "MOVED_STYLE",
    "diff_heading",
    "diff_paragraphs",
    "marked_text",
    "paragraph_note",
]

#: Inserted words: underlined and reversed in green; deleted ones struck through in red.
INSERTED_STYLE = "underline reverse green"
DELETED_STYLE = "strike red"
MOVED_STYLE = "bold magenta"
_OPEN = {"insert": "{+", "delete": "[-"}
_CLOSE = {"insert": "+}", "delete": "-]"}


def _mark(out: Text, kind: str, words: str) -> None:
    style = INSERTED_STYLE if kind == "insert" else DELETED_STYLE
    out.append(_OPEN[kind], style="bold")
    out.append(clean_line(words), style=style)
    out.append(_CLOSE[kind], style="bold")


def paragraph_note(p: ParagraphDiff) -> str:
    """A line saying what became of a paragraph that is not where it was ("" for the others)."""
    if p.kind == "moved" and p.old_index is not None:
        return f"» moved from paragraph {p.old_index + 1}" + (", changed" if p.words else "")
    if p.kind == "deleted" and p.old_index is not None:
        return f"× paragraph {p.old_index + 1} deleted"
    if p.kind == "inserted":
        return "+ paragraph inserted"
    return ""


def _paragraph(diff: VersionDiff, p: ParagraphDiff) -> Text:
    out = Text()
    if p.kind == "deleted":
        assert p.old is not None
        _mark(out, "delete", diff.old_text[p.old[0] : p.old[1]])
        return out
    assert p.new is not None
    if p.kind == "inserted":
        _mark(out, "insert", diff.new_text[p.new[0] : p.new[1]])
        return out
    pos, end = p.new
    ops = p.words
    for k, op in enumerate(ops):
        if op.new_start > pos:
            out.append(_slice(diff.new_text[pos : op.new_start]))
            pos = op.new_start
        if op.kind == "delete":
            if out.plain and not out.plain.endswith(" "):
                out.append(" ")
            _mark(out, "delete", op.text)
            replaced = k + 1 < len(ops) and ops[k + 1].kind == "insert" and ops[k + 1].new_start == op.new_start
            if op.new_start < end and not replaced:
                out.append(" ")
        else:
            _mark(out, "insert", op.text)
            pos = op.new_end
    if pos < end:
        out.append(_slice(diff.new_text[pos:end]))
    return out


def _slice(text: str) -> str:
    """A piece of the story's text made terminal-safe, keeping a space at either end."""
    cleaned = clean_line(text)
    if not cleaned:
        return " " if text else ""
    return (" " if text[0] == " " else "") + cleaned + (" " if text[-1] == " " else "")


def diff_paragraphs(diff: VersionDiff) -> list[tuple[str, Text]]:
    """Each paragraph of the diff in reading order: (its note, or "", and its text with the changes marked)."""
    return [(paragraph_note(p), _paragraph(diff, p)) for p in diff.paragraphs]


def marked_text(diff: VersionDiff) -> Text:
    """The whole diff as one text: paragraphs apart by a blank line, each note on a line above its paragraph."""
    out = Text()
    for n, (note, text) in enumerate(diff_paragraphs(diff)):
        if n:
            out.append("\n\n")
        if note:
            out.append(note + "\n", style=MOVED_STYLE)
        out.append_text(text)
    return out


def diff_heading(old: StoryEntry, new: StoryEntry, summary: DiffSummary) -> str:
    """ "version 2 (1a2b3c4d) → version 3 (5e6f7a8b) of 3 · 4 paragraphs changed (1 inserted, 1 deleted, 2 changed)"."""
    head = f"version {old.version} ({old.short_id}) → version {new.version} ({new.short_id}) of {new.versions}"
    kinds = ("inserted", "deleted", "changed", "moved")
    counts = [f"{n} {kind}" for kind in kinds if (n := getattr(summary, kind))]
    return f"{head} · {summary.label()}" + (f" ({', '.join(counts)})" if counts else "")
