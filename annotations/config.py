"""Where the data lives and who is annotating: the data dir and the user's config file."""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import platformdirs

from annotations.store.files import StoreError, intruder, read_file
from stories.text import clean_line

if TYPE_CHECKING:
    from stories.sources import SourceEntry

__all__ = [
    "ENV_DATA_DIR",
    "AlertSettings",
    "ConfigError",
    "SavedSearch",
    "alerts",
    "annotator",
    "config_path",
    "data_dir",
    "keymap",
    "load_config",
    "nlp_model",
    "quote_punctuation",
    "searches",
    "sources",
    "sources_in_app",
    "suggest_annotator",
]

APP = "wiredesk"
ENV_DATA_DIR = "WIREDESK_DATA_DIR"
#: A config file is a few lines; anything much larger is not one.
MAX_CONFIG_BYTES = 1 << 20
#: The longest error line about the config file: what it quotes from the file is cut to fit.
MAX_MESSAGE = 300
_BOM = b"\xef\xbb\xbf"
#: Who accepted a suggestion from the command line (`wiredesk suggest --accept`), unless the config names someone.
SUGGEST_ANNOTATOR = "wiredesk-suggest"
#: The longest annotator name the config may give.
MAX_ANNOTATOR = 200
#: Saved searches: how many the library lists, the longest name and the longest query.
MAX_SEARCHES, MAX_SEARCH_NAME, MAX_SEARCH_QUERY = 50, 40, 500
#: Alerts: how many saved searches and actors may be watched, and the longest actor name.
MAX_ALERTS, MAX_ALERT_NAME = 50, 200


class ConfigError(Exception):
    """The config file cannot be used; the message is one short line naming it, cleaned for the terminal (keys
    and values it quotes come from the file) and cut to `MAX_MESSAGE` characters."""

    def __init__(self, message: str) -> None:
        super().__init__(_short(clean_line(message)))


def _short(line: str) -> str:
    if len(line) <= MAX_MESSAGE:
        return line
    cut = len(line) - MAX_MESSAGE + 40
    return f"{line[: MAX_MESSAGE - 100]} … ({cut:,} characters left out) … {line[-60:]}"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: `explicit` (from --data-dir), else $WIREDESK_DATA_DIR, else the platform's user data dir."""
    chosen = explicit or os.environ.get(ENV_DATA_DIR) or platformdirs.user_data_dir(APP)
    return Path(chosen).expanduser()


def config_path() -> Path:
    """The user's config file (TOML) in the platform's config dir."""
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The settings in the config file; empty if there is none. UTF-8, with or without a byte-order mark."""
    path = path or config_path()
    if kind := intruder(path):  # a folder, a FIFO, a device: never opened in a way that could block
        raise ConfigError(f"config file {path} is {kind}, not a file")
    try:
        size = path.stat().st_size if os.path.lexists(path) else 0
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"config file {path} is {size:,} bytes; a config file is at most {MAX_CONFIG_BYTES:,}")
        raw = read_file(path, limit=MAX_CONFIG_BYTES)
    except (OSError, StoreError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if raw is None:
        return {}
    try:
        text = raw.removeprefix(_BOM).decode("utf-8")
        if "\0" in text:  # valid UTF-8, but no text file holds it: UTF-16 or UTF-32 without a byte-order mark
            raise UnicodeDecodeError("utf-8", raw, raw.index(b"\0"), raw.index(b"\0") + 1, "a NUL byte")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is unreadable: {exc}") from None
    except RecursionError:
        raise ConfigError(f"config file {path} is unreadable: its arrays or tables are nested too deeply") from None


def keymap(config: dict[str, Any] | None = None) -> dict[str, str]:
    """Key bindings the user remapped: `[keys]` in the config file, binding id -> key(s), e.g.
    `"reader.tag_quote" = "Q"` or `"view.word" = "w,W"`. Checking the ids is the app's job (it knows them)."""
    keys = (config or {}).get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        raise ConfigError(f'{config_path()}: [keys] must map binding ids to key names, e.g. "reader.tag_quote" = "Q"')
    return {k: v.replace(" ", "") for k, v in keys.items() if v.strip()}


def quote_punctuation(config: dict[str, Any] | None = None) -> Literal["drop", "keep"]:
    """What the quote key does with the punctuation a quotation ends with (“We listened,”): `quote_punctuation` in
    the config file, "drop" (the default: the selection ends before it) or "keep"."""
    value = (config or {}).get("quote_punctuation", "drop")
    if value == "drop":
        return "drop"
    if value == "keep":
        return "keep"
    raise ConfigError(f'{config_path()}: quote_punctuation must be "drop" or "keep"')


def nlp_model(config: dict[str, Any] | None = None) -> str | None:
    """The spaCy pipeline the suggester may use: `nlp_model` in the config file (e.g. "en_core_web_sm", an installed
    package; nothing is downloaded), or None for rules and the registry alone."""
    value = (config or {}).get("nlp_model")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", value):
        raise ConfigError(
            f"{config_path()}: nlp_model must be the name of an installed spaCy pipeline, e.g. "
            f'"en_core_web_sm" (letters, digits, "_", "-", "."), not {str(value)[:60]!r}'
        )
    return value


def annotator(config: dict[str, Any] | None = None) -> str:
    """Who is annotating: `annotator` from the config, else the OS user name."""
    name = (config or {}).get("annotator")
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def suggest_annotator(config: dict[str, Any] | None = None) -> str:
    """Who `wiredesk suggest --accept` stores as the annotator: `suggest_annotator` from the config (one line of
    text, at most `MAX_ANNOTATOR` characters, cleaned for the terminal), else "wiredesk-suggest"."""
    value = (config or {}).get("suggest_annotator", SUGGEST_ANNOTATOR)
    name = clean_line(value).strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_ANNOTATOR:
        raise ConfigError(
            f"{config_path()}: suggest_annotator must be a name of 1 to {MAX_ANNOTATOR} characters, "
            'e.g. suggest_annotator = "wiredesk-suggest"'
        )
    return name


@dataclass(frozen=True)
class SavedSearch:
    """A search the library lists at its top: `[searches] ukraine = "Ukraine OR Kyiv since:2026-01-01"`."""

    name: str
    query: str


def searches(config: dict[str, Any] | None = None) -> tuple[list[SavedSearch], list[str]]:
    """The saved searches of `[searches]` (name = query, in the file's order), and one clean line for each entry
    that cannot be used (a name or query too long or not text, a query the search language cannot read); the
    others still work. At most `MAX_SEARCHES`."""
    table = (config or {}).get("searches", {})
    if not isinstance(table, dict):
        return [], [f'{config_path()}: [searches] must map names to queries, e.g. ukraine = "Ukraine OR Kyiv"']
    found: list[SavedSearch] = []
    errors: list[str] = []
    for key, value in table.items():
        name = clean_line(str(key)).strip()
        problem = _search_problem(name, value)
        if problem:
            errors.append(_short(clean_line(f"{config_path()}: [searches] {name[:MAX_SEARCH_NAME]!r}: {problem}")))
        elif len(found) == MAX_SEARCHES:
            errors.append(f"{config_path()}: [searches]: only the first {MAX_SEARCHES} are listed")
            break
        else:
            found.append(SavedSearch(name, " ".join(clean_line(value).split())))
    return found, errors


def _search_problem(name: str, value: object) -> str:
    """Why a saved search cannot be used, or ""."""
    if not name or len(name) > MAX_SEARCH_NAME:
        return f"a name is 1 to {MAX_SEARCH_NAME} characters"
    if not isinstance(value, str) or not value.strip():
        return 'the query must be text, e.g. ukraine = "Ukraine OR Kyiv"'
    if len(value) > MAX_SEARCH_QUERY:
        return f"the query is {len(value):,} characters; at most {MAX_SEARCH_QUERY}"
    from annotations.search import parse_query  # the search language's own reading (imported only when needed)

    errors = parse_query(clean_line(value)).errors
    return errors[0] if errors else ""


def sources(config: dict[str, Any] | None = None) -> tuple[list[SourceEntry], list[str]]:
    """The live sources of `[[sources]]` (feeds and spool folders), and one clean line for each entry that cannot
    be used (the others still work)."""
    from stories.loader import FORMATS
    from stories.sources import parse_sources

    entries, problems = parse_sources((config or {}).get("sources"), tuple(FORMATS))
    return entries, [_short(clean_line(f"{config_path()}: {line}")) for line in problems]


def sources_in_app(config: dict[str, Any] | None = None) -> bool:
    """Whether the app polls the sources while it is open (when no `wiredesk watch` does): `app_polls_sources`
    in the config file, true by default. Either way the app takes in what arrives."""
    value = (config or {}).get("app_polls_sources", True)
    if not isinstance(value, bool):
        raise ConfigError(f"{config_path()}: app_polls_sources must be true or false")
    return value


@dataclass(frozen=True)
class AlertSettings:
    """`[alerts]`: the saved searches (by name) and actors (names) whose new copy is announced, and the bell."""

    searches: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    bell: bool = False

    def __bool__(self) -> bool:
        return bool(self.searches or self.actors)


def alerts(config: dict[str, Any] | None = None) -> AlertSettings:
    """`[alerts]` of the config file: `searches` (names of saved searches), `actors` (names as the registry knows
    them, or any name to find in the text) and `bell = true|false`. ConfigError (one line) for anything else."""
    table = (config or {}).get("alerts", {})
    example = 'e.g. searches = ["ukraine"], actors = ["Ellen Voss"], bell = true'
    if not isinstance(table, dict):
        raise ConfigError(f"{config_path()}: [alerts] must be a table, {example}")
    if unknown := [str(k) for k in table if k not in ("searches", "actors", "bell")]:
        raise ConfigError(f"{config_path()}: [alerts] has no key {clean_line(unknown[0])[:40]!r}; {example}")
    bell = table.get("bell", False)
    if not isinstance(bell, bool):
        raise ConfigError(f"{config_path()}: [alerts] bell must be true or false")
    searches_, actors_ = (
        _alert_names(table, key, limit) for key, limit in (("searches", MAX_SEARCH_NAME), ("actors", MAX_ALERT_NAME))
    )
    return AlertSettings(searches_, actors_, bell)


def _alert_names(table: dict[str, Any], key: str, longest: int) -> tuple[str, ...]:
    """The names of `[alerts] key`, cleaned, each once."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{config_path()}: [alerts] {key} must be a list of names, e.g. {key} = ["…"]')
    if len(value) > MAX_ALERTS:
        raise ConfigError(f"{config_path()}: [alerts] {key} has {len(value):,} names; at most {MAX_ALERTS}")
    names = [" ".join(clean_line(v).split()) for v in value]
    for name in names:
        if not name or len(name) > longest:
            raise ConfigError(
                f"{config_path()}: [alerts] {key}: a name is 1 to {longest} characters, not {name[:40]!r}"
            )
    return tuple(dict.fromkeys(names))
