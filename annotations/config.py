"""Where the data lives and who is annotating: the data dir and the user's config file."""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs

__all__ = [
    "ENV_DATA_DIR",
    "ConfigError",
    "annotator",
    "config_path",
    "data_dir",
    "keymap",
    "load_config",
    "quote_punctuation",
]

APP = "wiredesk"
ENV_DATA_DIR = "WIREDESK_DATA_DIR"


class ConfigError(Exception):
    """The config file cannot be used; the message is one line naming it."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: `explicit` (from --data-dir), else $WIREDESK_DATA_DIR, else the platform's user data dir."""
    chosen = explicit or os.environ.get(ENV_DATA_DIR) or platformdirs.user_data_dir(APP)
    return Path(chosen).expanduser()


def config_path() -> Path:
    """The user's config file (TOML) in the platform's config dir."""
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The settings in the config file; empty if there is none."""
    path = path or config_path()
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} is unreadable: {exc}") from None


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


def annotator(config: dict[str, Any] | None = None) -> str:
    """Who is annotating: `annotator` from the config, else the OS user name."""
    name = (config or {}).get("annotator")
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
