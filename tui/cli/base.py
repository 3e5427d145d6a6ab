"""What the `wiredesk` commands share: the data dir and store of one run, one-line errors, printing."""

from __future__ import annotations

import contextlib
import functools
import io
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TextIO, TypeVar

import click

from annotations import config
from annotations.layers import layers_of
from annotations.model import Annotation, AnnotationError
from annotations.store import ReadOnlyError, Store, StoreError, StoreLockedError
from stories.model import StoryError
from stories.text import clean_line

__all__ = ["CliContext", "echo_rich", "in_layer", "layer_option", "open_store", "user_errors", "utf8_stdout"]

P = ParamSpec("P")
R = TypeVar("R")
_USER_ERRORS = (StoreError, StoryError, AnnotationError, config.ConfigError)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Report the app's own errors as one line and exit 1 (cleaned: a path or a name in it may hold anything)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except _USER_ERRORS as exc:
            raise click.ClickException(clean_line(str(exc))) from None

    return wrapper


class CliContext:
    """What every command needs: where the data lives, and the store once opened."""

    def __init__(self, data_dir: str | None) -> None:
        self.data_dir = config.data_dir(data_dir)
        self._store: Store | None = None

    def store(self, write: bool = True, *, load: bool = True, lean: bool = False) -> Store:
        """The library; commands that only read open it read-only (and never create the data dir).

        `load`: read the annotations now, so a damaged file is reported before any work is done. `lean`: as the
        app holds them (less memory, a slower load: a command that ends soon loads them whole, twice as fast)."""
        if self._store is None:
            self._store = Store(self.data_dir, read_only=not write, lean=lean)
        if load:
            try:
                self._store.load_annotations()
            except StoreError:
                self._store.close()
                self._store = None
                raise
        return self._store

    def app_store(self) -> tuple[Store, str]:
        """The library for the app (which reads the annotations after its first frame): writable, or
        read-only with the reason when another process writes it or the data dir cannot be written."""
        ends = time.monotonic() + WATCH_BATCH_WAIT
        while True:
            try:
                return self.store(load=False, lean=True), ""
            except StoreLockedError as exc:  # `wiredesk watch` holds the lock for one batch at a time: wait it out
                if "wiredesk watch" not in str(exc) or time.monotonic() > ends:
                    return self._read_only(exc)
                time.sleep(0.05)
            except ReadOnlyError as exc:
                return self._read_only(exc)

    def _read_only(self, exc: StoreError) -> tuple[Store, str]:
        self._store = Store(self.data_dir, read_only=True, lean=True)
        return self._store, clean_line(str(exc))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def open_store(ctx: click.Context, write: bool = True) -> Store:
    return ctx.ensure_object(CliContext).store(write)


#: `--layer NAME` of the commands that read annotations (every layer unless given).
layer_option = click.option(
    "--layer",
    metavar="NAME",
    help="Only this annotator layer: yours (your config's annotator), another annotator's, curated, or all [all].",
)


def in_layer(store: Store, asked: str | None) -> Callable[[Annotation], bool]:
    """Whether an annotation is in the layer `--layer` asked for (every one if None); AnnotationError naming the
    library's layers if there is no such layer."""
    if asked is None:
        return lambda _ann: True
    layers = layers_of(config.load_config())
    chosen = layers.choose(asked, layers.in_library(store))
    return lambda ann: layers.shows(ann, chosen)


#: Seconds the app waits for `wiredesk watch` to finish importing a batch before opening read-only.
WATCH_BATCH_WAIT = 10.0

#: How wide tables print into a pipe or file.
PIPE_WIDTH = 160


def echo_rich(renderable: Any, width: int | None = None) -> None:
    """Print a Rich renderable through click.echo: styled on a terminal, plain text otherwise, whatever the locale."""
    from rich.console import Console, Group
    from rich.text import Text

    console = Console()
    if not console.is_terminal:  # a pipe or a file: rows stay whole rather than wrap at 80 columns
        console = Console(width=max(console.width, PIPE_WIDTH))
    shown = min(console.width, width) if width else console.width
    if isinstance(renderable, Text):  # wrapped here and printed as a group of lines: Rich cuts one long run of
        # wrapped text into lines in quadratic time (a one-paragraph story of 24 MB took minutes)
        renderable = Group(*renderable.wrap(console, shown))
    with console.capture() as captured:
        console.print(renderable, width=shown)
    click.echo(captured.get(), nl=False)


@contextlib.contextmanager
def utf8_stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 text, without newline translation: exports are UTF-8 whatever the locale."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stdout (already replaced by the caller): use it as it is
        yield sys.stdout
        return
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield out
    finally:
        out.flush()
        out.detach()
