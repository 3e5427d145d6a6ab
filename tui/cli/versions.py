"""`wiredesk diff`: what changed between two versions of a story (the rule is `stories.diff`; the marks are
`tui.diff_text`'s)."""

from __future__ import annotations

import json

import click
from rich.text import Text

from annotations.store import Store, StoreError
from annotations.store.entry import StoryEntry
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import echo_rich, open_store, user_errors

__all__ = ["COMMANDS", "pick_versions"]

FORMATS = ("text", "json")


def _version(ref: str, group: list[StoryEntry], option: str) -> int:
    """The index in `group` (oldest first) of version `ref`: its number (1 the oldest) or an id prefix."""
    ref = ref.strip().lower()
    if ref.isascii() and ref.isdigit() and len(ref) <= 6 and 1 <= int(ref) <= len(group):
        return int(ref) - 1
    found = [i for i, e in enumerate(group) if ref and e.id.startswith(ref)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise StoreError(f"{option} {clean_line(ref)[:20]!r} is ambiguous: give more of the version's id")
    raise StoreError(
        f"{option} {clean_line(ref)[:20]!r}: no such version of this story (it has {len(group)}: "
        f"1 to {len(group)}, or a version's id; see `wiredesk list --all-versions`)"
    )


def pick_versions(store: Store, story: str, from_: str | None, to: str | None) -> tuple[StoryEntry, StoryEntry]:
    """The two versions to compare: `to` defaults to STORY's version (the newest when STORY is the oldest),
    `from_` to the version before `to`. Raises StoreError (one line) when there is no such pair."""
    story_id = store.resolve(story)
    group = store.versions(story_id)
    if len(group) < 2:
        raise StoreError(f"story {short_id(story_id)} has only one version: there is nothing to compare it with")
    here = next(i for i, e in enumerate(group) if e.id == story_id)
    new = _version(to, group, "--to") if to is not None else (here if here > 0 else len(group) - 1)
    if from_ is not None:
        old = _version(from_, group, "--from")
    elif new == 0:
        raise StoreError("version 1 is the oldest: there is none before it (give --from)")
    else:
        old = new - 1
    if old == new:
        raise StoreError(f"--from and --to are the same version ({new + 1}): there is nothing to compare")
    return group[old], group[new]


def _side(entry: StoryEntry) -> dict[str, object]:
    return {"id": entry.id, "version": entry.version, "versions": entry.versions, "added": entry.added}


@click.command()
@click.argument("story")
@click.option("--from", "from_", metavar="V", help="The older version: its number (1 the oldest) or an id prefix.")
@click.option("--to", metavar="V", help="The newer version (default: STORY's; the newest if STORY is the oldest).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.pass_context
@user_errors
def diff(ctx: click.Context, story: str, from_: str | None, to: str | None, fmt: str) -> None:
    """What changed between two versions of STORY (any version's id prefix): by default from the version before
    STORY's to STORY's. text: the newer text, inserted words marked {+…+} and deleted ones [-…-], moved
    paragraphs noted; json: the paragraphs and word operations with their offsets."""
    store = open_store(ctx, write=False)
    old_entry, new_entry = pick_versions(store, story, from_, to)
    from stories.diff import diff_versions  # loaded when used: the wiredesk command starts without it
    from tui.diff_text import diff_heading, marked_text

    result = diff_versions(store.story(old_entry.id), store.story(new_entry.id))
    if fmt == "json":
        data = {"from": _side(old_entry), "to": _side(new_entry), **result.to_dict()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = Text(diff_heading(old_entry, new_entry, result.summary), style="dim")
    out.append("\n\n")
    out.append_text(marked_text(result))
    out.append("\n")
    echo_rich(out, width=100)


COMMANDS: list[click.Command] = [diff]
