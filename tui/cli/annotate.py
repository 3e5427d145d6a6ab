"""`annotate`, `edit` and `delete`: make, change and remove annotations from scripts.

Each command is one undoable step through `History`, which also refuses a second annotation of one kind and
span (`annotate --skip-existing` skips it instead). A speaker, claimant or actor NAME is found by the
registry's strict lookup (name, alias or id prefix); a name only close to an entry's is refused with the
entry's name as a hint, rather than silently becoming a second entry for the same actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import click

from annotations import anchor, config
from annotations.actors import ACTOR_TYPES, Actor
from annotations.history import DuplicateAnnotation, History, find_annotation
from annotations.layers import layers_of
from annotations.model import FIELDS_OF_KIND, FORMS, KINDS, STATUSES, Annotation, AnnotationError, quoted, with_article
from annotations.registry import Registry, or_list
from stories.model import short_id
from stories.text import clean_line
from tui.cli.base import open_store, user_errors

__all__ = ["COMMANDS", "Linked", "check_link_options", "link", "link_options"]

#: The options that belong to one kind of annotation: parameter -> (option, kind).
KIND_OPTIONS = {
    "speaker": ("--speaker", "quote"),
    "speaker_type": ("--speaker-type", "quote"),
    "form": ("--form", "quote"),
    "cue": ("--cue", "quote"),
    "actor_name": ("--actor", "actor"),
    "actor_type": ("--actor-type", "actor"),
    "claimant": ("--claimant", "claim"),
    "claimant_type": ("--claimant-type", "claim"),
    "status": ("--status", "claim"),
}
#: Link field -> (its NAME parameter, its TYPE parameter).
LINK_PARAMS = {
    "speaker": ("speaker", "speaker_type"),
    "actor": ("actor_name", "actor_type"),
    "claimant": ("claimant", "claimant_type"),
}
#: The type of a new entry when none is given.
DEFAULT_TYPE = "person"


def link_options(*, edit: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options for the fields of each kind (passed on as keyword arguments); `edit`: for `edit`, where an
    empty NAME removes the link and a TYPE alone changes the linked entry's type."""
    new = "" if edit else "; else new"
    unlink = " ('' removes it)" if edit else ""
    retype = "the type of a new entry, or alone: of the linked one" if edit else "the type of a new entry [person]"
    options = [
        click.option(
            "--speaker", metavar="NAME", help=f"quote: who said it (a registry name, alias or id{new}){unlink}."
        ),
        click.option("--speaker-type", type=click.Choice(ACTOR_TYPES), help=f"quote: {retype}."),
        click.option("--form", type=click.Choice(FORMS), help="quote: how it is reported."),
        click.option("--cue", metavar="TEXT", help='quote: the reporting phrase, e.g. "told reporters".'),
        click.option(
            "--actor",
            "actor_name",
            metavar="NAME",
            help="actor: the registry entry the mention is of"
            + (f"{unlink}." if edit else " (default: the one named like the text, else new)."),
        ),
        click.option("--actor-type", type=click.Choice(ACTOR_TYPES), help=f"actor: {retype}."),
        click.option(
            "--claimant", metavar="NAME", help=f"claim: who makes it (a registry name, alias or id{new}){unlink}."
        ),
        click.option("--claimant-type", type=click.Choice(ACTOR_TYPES), help=f"claim: {retype}."),
        click.option("--status", type=click.Choice(STATUSES), help="claim: where it stands."),
        click.option("--new-actor", is_flag=True, help="Add a new entry even for a name close to an existing one's."),
    ]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def check_link_options(kind: str, options: dict[str, Any]) -> None:
    """Refuse (usage error) an option that belongs to another kind, e.g. --status on a quote."""
    for param, (flag, owner) in KIND_OPTIONS.items():
        if options.get(param) is not None and owner != kind:
            raise click.UsageError(f"{flag} is for {with_article(owner)}, not {with_article(kind)}")


@dataclass
class Linked:
    """An annotation with the fields the options give it, the new entries it links to, an edited entry (a
    new type for the linked one), and a line per link for the user."""

    ann: Annotation
    new: list[Actor] = field(default_factory=list)
    entry: Actor | None = None
    lines: list[str] = field(default_factory=list)


def _actor_for(registry: Registry, name: str, type_: str | None, *, new_ok: bool, hint: str) -> tuple[Actor, bool]:
    """The entry to link `name` to, and whether it is a new one (not stored yet). A name only close to an
    entry's is refused (`hint`: what to do instead), unless `new_ok`."""
    found = registry.lookup(name, "strict")
    if len(found.found) > 1:
        raise AnnotationError(found.problem())
    if found.actor is not None:
        actor = found.actor
        if type_ and type_ != actor.type:
            raise AnnotationError(
                f"{clean_line(actor.name)} is in the registry as {with_article(actor.type)}, not "
                f'{with_article(type_)} (change it with: wiredesk actor "{clean_line(actor.name)}" --type {type_})'
            )
        return actor, False
    if found.near and not new_ok:
        raise AnnotationError(
            f"{found.problem()} {hint.format(or_list(found.near[:1]))}, "
            f'or add --new-actor to make "{clean_line(name)}" a new entry'
        )
    return Actor.new(name, type_ or DEFAULT_TYPE), True


def link(registry: Registry, ann: Annotation, options: dict[str, Any], *, edit: bool = False) -> Linked:
    """`ann` with the fields the options give it (see `Linked`). `edit`: the options change an annotation
    (an empty NAME unlinks; a TYPE alone retypes the linked entry); else they make a new one (an actor mention
    links to the entry named like its text unless --actor says which)."""
    result = Linked(ann)
    values: dict[str, Any] = {k: options[k] for k in ("form", "status") if options.get(k) is not None}
    if options.get("cue") is not None:
        values["cue"] = " ".join(str(options["cue"]).split())
    for name_field, (name_param, type_param) in LINK_PARAMS.items():
        if name_field not in FIELDS_OF_KIND[ann.kind]:
            continue
        name, type_ = options.get(name_param), options.get(type_param)
        if name is None and name_field == "actor" and not edit:
            name = ann.exact
        if name is None and type_ is not None:
            entry = _linked_entry(registry, ann, name_field, edit)
            if entry.type != type_:
                result.entry = entry.edited(type=type_)
            result.lines.append(f"{name_field}: {clean_line(entry.name)} (type {type_})")
            continue
        if name is None:
            continue
        if edit and not name.strip():
            values[name_field] = None
            result.lines.append(f"{name_field}: none")
            continue
        by_text = name_field == "actor" and options.get(name_param) is None
        hint = "Link it with --actor {}" if by_text else "Give the full name"
        actor, is_new = _actor_for(registry, name, type_, new_ok=bool(options.get("new_actor")), hint=hint)
        if is_new:
            result.new.append(actor)
        values[name_field] = actor.id
        result.lines.append(f"{name_field}: {clean_line(actor.name)} ({'new actor, ' if is_new else ''}{actor.type})")
    result.ann = replace(ann, **values)
    result.ann.check()
    return result


def _linked_entry(registry: Registry, ann: Annotation, name_field: str, edit: bool) -> Actor:
    """The entry linked in `name_field`, whose type a TYPE option alone changes (`edit` only: a new annotation
    has no link yet)."""
    option = KIND_OPTIONS[LINK_PARAMS[name_field][1]][0]
    name_option = KIND_OPTIONS[LINK_PARAMS[name_field][0]][0]
    if not edit:
        raise click.UsageError(f"{option} is the type of a new entry: give its name with {name_option}")
    entry = registry.canonical(getattr(ann, name_field))
    if entry is None:
        raise AnnotationError(f"{with_article(ann.kind)} with no {name_field}: give one with {name_option}")
    return entry


def _saved(verb: str, ann: Annotation, story: str) -> str:
    return f"{verb} {ann.kind} {ann.id[:8]} [{ann.start}:{ann.end}] {quoted(ann.exact, 200)} in story {story}"


@click.command()
@click.argument("story")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the text is.")
@click.option("--text", "exact", required=True, help="The exact text to tag (straight quotes match curly ones).")
@click.option("--occurrence", type=click.IntRange(min=1), default=1, show_default=True, help="Which occurrence.")
@click.option("--note", default="", help="A note to keep with the annotation.")
@click.option(
    "--skip-existing",
    is_flag=True,
    help="If the story has an annotation of this kind and span already, add nothing and exit 0.",
)
@link_options()
@click.pass_context
@user_errors
def annotate(
    ctx: click.Context,
    /,
    story: str,
    kind: str,
    exact: str,
    occurrence: int,
    note: str,
    skip_existing: bool,
    **links: Any,
) -> None:
    """Tag the exact TEXT in STORY as a quote, actor or claim, with its speaker, actor or claimant.

    Names are looked up in the actor registry by name, alias or id (case and accents ignored); a name not
    there becomes a new entry. An actor mention links to the entry named like its text unless --actor says
    which. The annotation and any new entries are saved at once, as one step (the app's u undoes it). The same
    kind on the same span twice is refused (exit 1) unless --skip-existing.
    """
    check_link_options(kind, links)
    store = open_store(ctx)
    item = store.story(store.resolve(story))
    start, end = anchor.locate(item, exact, occurrence)
    count = anchor.occurrences(item, exact)
    if count > 1 and ctx.get_parameter_source("occurrence") is click.core.ParameterSource.DEFAULT:
        click.echo(
            f"note: the text occurs {count} times in story {item.short_id}; tagged the first (see --occurrence)",
            err=True,
        )
    settings = config.load_config()
    ann = Annotation.new(item, kind, start, end, note=note, annotator=config.annotator(settings))
    history = History(store, hand_over=True, layers=layers_of(settings))
    if (there := history.existing(ann)) is not None:
        if skip_existing:
            click.echo(f"skipped: {DuplicateAnnotation(there)}")
            return
        raise AnnotationError(f"{DuplicateAnnotation(there)}; --skip-existing skips it")
    linked = link(Registry.of(store), ann, links)
    history.add(linked.ann, item, new_actors=tuple(linked.new))
    click.echo(_saved("saved", linked.ann, item.short_id))
    for line in linked.lines:
        click.echo(line)


@click.command()
@click.argument("annotation")
@click.option("--note", metavar="TEXT", help="A new note ('' clears it).")
@link_options(edit=True)
@click.pass_context
@user_errors
def edit(ctx: click.Context, /, annotation: str, note: str | None, **links: Any) -> None:
    """Change the annotation ANNOTATION (any unique id prefix, see `wiredesk show STORY --format json`): its
    note, and the fields of its kind. One step, saved at once; the app's undo (u) undoes it. Only your own
    layer's annotations change: another annotator's and the curated layer are read-only outside curation."""
    if note is None and not any(v not in (None, False) for v in links.values()):
        raise click.UsageError("nothing to change: give --note or a field of the annotation's kind")
    store = open_store(ctx)
    ann = find_annotation(store, annotation)
    history = History(store, hand_over=True, layers=layers_of(config.load_config()))
    history.check_editable(ann)  # another's layer: refused before its options are looked at
    check_link_options(ann.kind, links)
    linked = link(Registry.of(store), ann, links, edit=True)
    after = linked.ann.edited(**({"note": note} if note is not None else {}))
    if replace(after, modified=ann.modified) == ann and linked.entry is None:
        click.echo(f"{ann.kind} {ann.id[:8]} unchanged")
        return
    history.edit(after, new_actors=tuple(linked.new), entry=linked.entry)
    click.echo(_saved("saved", after, short_id(ann.story_id)))
    for line in linked.lines:
        click.echo(line)


@click.command()
@click.argument("annotations", nargs=-1, required=True)
@click.pass_context
@user_errors
def delete(ctx: click.Context, annotations: tuple[str, ...]) -> None:
    """Delete the annotations ANNOTATIONS (any unique id prefixes), in one step the app's undo (u) undoes; the
    registry entries they link to stay. Nothing is deleted if one of the ids is not found, or is in another
    annotator's layer or the curated one (read-only outside curation)."""
    store = open_store(ctx)
    found = {a.id: a for a in (find_annotation(store, ref) for ref in annotations)}
    history = History(store, hand_over=True, layers=layers_of(config.load_config()))
    for gone in history.delete_many(list(found)):
        click.echo(_saved("deleted", gone, short_id(gone.story_id)))


#: The commands of this module, added to the `wiredesk` group by `tui.cli.wiredesk`.
COMMANDS = (annotate, edit, delete)
