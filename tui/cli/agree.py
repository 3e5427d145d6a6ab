"""`wiredesk agree`: how far the annotators' layers agree (span F1, attribute κ and α), and where they differ."""

from __future__ import annotations

import json

import click

from annotations import config
from annotations.agreement import agreement
from annotations.layers import layers_of
from annotations.model import KINDS
from tui.agreement_table import report
from tui.cli.base import echo_rich, open_store, user_errors, utf8_stdout

__all__ = ["COMMANDS"]


@click.command()
@click.option(
    "--annotators",
    metavar="A,B,...",
    help="Annotators to compare, comma-separated (default: every layer with annotations but curated).",
)
@click.option("--story", "story_refs", multiple=True, help="Only this story (repeatable; any unique id prefix).")
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True, help="Only this kind (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@user_errors
def agree(
    ctx: click.Context, annotators: str | None, story_refs: tuple[str, ...], kinds: tuple[str, ...], fmt: str
) -> None:
    """Measure agreement between annotators: per kind, span F1 for every pair with exact and with overlap matching
    (overlap: one-to-one, sharing at least half of the shorter span); on the paired spans Cohen's κ (a pair) and
    Krippendorff's α (all) for quote speaker and form, claim claimant and status, actor link and type; per story
    and overall; then every disagreement, with who said what. A story counts for those who annotated it; of a
    story's versions, the newest two of them annotated (unless --story names versions).
    "—": undefined (nothing paired, or a single value used throughout)."""
    names = [name.strip() for name in annotators.split(",") if name.strip()] if annotators is not None else []
    store = open_store(ctx, write=False)
    story_ids = {store.resolve(ref) for ref in story_refs} or None
    result = agreement(store, layers_of(config.load_config()), names, story_ids, kinds)
    if fmt == "json":
        with utf8_stdout() as out:
            out.write(json.dumps(result.to_dict(), indent=2) + "\n")  # ASCII: names may hold anything
        return
    echo_rich(report(result))


COMMANDS: list[click.Command] = [agree]
