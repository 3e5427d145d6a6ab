"""Key bindings: every binding the app declares, the keys in effect once the user's `[keys]` table is applied, and
the check of that table.

Which bindings can be live at the same time is read from the code, not listed by hand: the screens are those the
app's methods name, then those their methods name (a screen pushes the dialogs it names); the widgets of a screen
are those its methods name (it composes, mounts or queries them), then those theirs name. The names are read from
the compiled methods (`co_names`; a screen a method imports where it uses it, `from tui.screens.x import X`, is
imported then), on first use: the user's `[keys]` table checked at start, the help screen, a hint. In Textual a
key goes to the focused widget, then to each container above it, then to the screen, then to the app, so the
bindings live at once are those along one such chain. Only a modal's chain is live while it is shown.
"""

from __future__ import annotations

import dis
import functools
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import CodeType
from typing import TypeGuard

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, format_key, key_to_character
from textual.screen import Screen

from annotations.config import ConfigError, config_path

__all__ = ["BindingRegistry", "Keymap", "key_problem", "registry_of"]

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<"))
#: Only classes of this package declare wiredesk's bindings (Textual's own widgets have theirs, without ids).
_PACKAGE = __name__.partition(".")[0] + "."


def key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual knows ("Q", ".", "ctrl+t", "f5", "enter", "full_stop" are), or None."""
    if len(key) == 1:
        return None
    *modifiers, base = key.split("+")
    if not base:
        return "an empty key name"
    if bad := [m for m in modifiers if m not in _MODIFIERS]:
        return f"not a key: {bad[0]!r} is not one of the modifiers {', '.join(sorted(_MODIFIERS))}"
    if len(base) > 1 and base not in _NAMED_KEYS and key_to_character(base) is None:
        return 'not a key name (write keys like "Q", ".", "ctrl+t", "f5", "enter", "pagedown")'
    return None


def _keys_of(keys: str) -> list[str]:
    """The key names in a comma-separated list, in Textual's long form ("?" -> "question_mark")."""
    return [b.key for k in keys.split(",") if k.strip() for b in Binding.make_bindings([Binding(k.strip(), "")])]


def own_bindings(cls: type) -> list[Binding]:
    """The bindings `cls` itself declares (not those it inherits), one per key as Textual splits them."""
    declared = vars(cls).get("BINDINGS") or []
    return list(Binding.make_bindings(declared))


def _ours(cls: type) -> bool:
    return cls.__module__.startswith(_PACKAGE)


def _codes(cls: type) -> Iterator[CodeType]:
    """The compiled code of the methods of `cls`, with the lambdas, comprehensions and inner functions in them."""
    codes: list[CodeType] = []
    for value in vars(cls).values():
        for function in (value, getattr(value, "__func__", None), getattr(value, "fget", None)):
            code = getattr(inspect.unwrap(function), "__code__", None) if callable(function) else None
            if isinstance(code, CodeType):
                codes.append(code)
    while codes:
        code = codes.pop(0)
        yield code
        codes.extend(c for c in code.co_consts if isinstance(c, CodeType))


def _code_names(cls: type) -> list[str]:
    """The global (and attribute) names the methods of `cls` use, read from their compiled code, in the order
    the methods use them."""
    names: dict[str, None] = {}
    for code in _codes(cls):
        names.update(dict.fromkeys(code.co_names))
    return list(names)


def _local_imports(cls: type) -> dict[str, object]:
    """What the methods of `cls` import from this package where they use it (`from tui.screens.x import X` in a
    method, so that the app starts without it): name -> object, each module imported now."""
    found: dict[str, object] = {}
    package = cls.__module__.rpartition(".")[0]
    for code in _codes(cls):
        module = ""
        consts: list[object] = []
        for ins in dis.get_instructions(code):
            if ins.opname == "LOAD_CONST":
                consts.append(ins.argval)
            elif ins.opname == "IMPORT_NAME":  # after LOAD_CONST level, LOAD_CONST names
                level = consts[-2] if len(consts) >= 2 and isinstance(consts[-2], int) else 0
                module = importlib.util.resolve_name("." * level + ins.argval, package) if level else ins.argval
            elif ins.opname == "IMPORT_FROM" and module.startswith(_PACKAGE):
                found[ins.argval] = getattr(importlib.import_module(module), ins.argval, None)
    return found


def _named_classes(cls: type) -> list[type[DOMNode]]:
    """The screens and widgets the code of `cls` (and of its own bases in this package) names, resolved in each
    class's module."""
    found: dict[type[DOMNode], None] = {}
    for owner in cls.__mro__:
        if _ours(owner):
            scope = {**_local_imports(owner), **vars(sys.modules[owner.__module__])}  # the module's names first
            found.update((named, None) for name in _code_names(owner) if _is_child(named := scope.get(name), cls))
    return list(found)


def _is_child(named: object, cls: type) -> TypeGuard[type[DOMNode]]:
    """A screen or widget of this package that `cls` may show or push: not an app, nor a base of `cls`."""
    if not isinstance(named, type) or not issubclass(named, DOMNode) or not any(map(_ours, named.__mro__)):
        return False  # Textual's own widgets declare no wiredesk binding (a subclass of ours, a test's say, does)
    return not issubclass(named, App) and not issubclass(cls, named)


def _binding_classes(cls: type) -> list[type]:
    """`cls` and its bases in this package that declare bindings, base first (Textual merges them in that order)."""
    return [c for c in reversed(cls.__mro__) if _ours(c) and own_bindings(c)]


@dataclass(frozen=True)
class BindingRegistry:
    """Every binding reachable from an app class, the chains of classes whose bindings are live together, and the
    default keys of every binding id."""

    app: type[App[object]]

    @property
    def screens(self) -> tuple[type[Screen[object]], ...]:
        """Screens reachable from the app, in the order they were found."""
        return self._walk[0]

    @property
    def chains(self) -> tuple[tuple[type, ...], ...]:
        """Each chain: the classes, app first, whose bindings are live while the last one has focus."""
        return self._walk[1]

    @functools.cached_property
    def _walk(self) -> tuple[tuple[type[Screen[object]], ...], tuple[tuple[type, ...], ...]]:
        """The screens and the chains, found on first use (importing the screens the app imports where it uses
        them): an app starts without them unless the user's `[keys]` table needs checking."""
        named = functools.cache(_named_classes)
        screens: list[type[Screen[object]]] = []
        todo: list[type] = [self.app]
        while todo:
            for cls in named(todo.pop(0)):
                if issubclass(cls, Screen) and cls not in screens:
                    screens.append(cls)
                    todo.append(cls)
        chains: dict[tuple[type, ...], None] = {}
        for screen in screens:
            for path in _paths(screen, named):
                chains[tuple(dict.fromkeys(c for node in (self.app, *path) for c in _binding_classes(node)))] = None
        return tuple(screens), tuple(chains)

    @functools.cached_property
    def owners(self) -> tuple[type, ...]:
        """Every class that declares bindings, each once, in the order of the chains (the app first)."""
        return tuple(dict.fromkeys(c for chain in self.chains for c in chain))

    @functools.cached_property
    def defaults(self) -> dict[str, str]:
        """binding id -> its default keys ("left,h"), as declared."""
        return {b.id: b.key for cls in self.owners for b in self.bindings(cls) if b.id}

    @property
    def ids(self) -> frozenset[str]:
        """Every binding id the user may remap in the config file's [keys] table."""
        return frozenset(self.defaults)

    def bindings(self, cls: type, keymap: Mapping[str, str] | None = None) -> list[Binding]:
        """The bindings `cls` declares with `keymap` (binding id -> keys) applied as Textual applies it: one per
        binding id (or per action without an id), its keys joined ("left,h")."""
        merged: dict[object, Binding] = {}
        for binding in _apply(own_bindings(cls), keymap or {}):
            key = binding.id or (binding.action, binding.description)
            if key in merged:
                merged[key] = merged[key].with_key(f"{merged[key].key},{binding.key}")
            else:
                merged[key] = binding
        return list(merged.values())

    def check(self, keymap: Mapping[str, str]) -> None:
        """Raise ConfigError (one line naming the config file) for an unknown binding id, a key that does not exist
        or a key that two bindings live at the same time would share."""
        if not keymap:
            return
        unknown = sorted(set(keymap) - self.ids)
        if unknown:
            raise ConfigError(
                f"{config_path()}: unknown key binding id(s) {', '.join(unknown)} (the help screen, ?, lists the ids)"
            )
        for binding_id, keys in keymap.items():
            for key in keys.split(","):
                if problem := key_problem(key.strip()):
                    raise ConfigError(
                        f'{config_path()}: [keys] "{binding_id}" = "{keys}": {key.strip()!r} is {problem}'
                    )
        if clash := self._clash(keymap):
            raise ConfigError(f"{config_path()}: [keys]: {clash}; give one of them another key")

    def _clash(self, keymap: Mapping[str, str]) -> str | None:
        """A key the keymap gives to a binding while another binding live at the same time keeps it, or None."""
        for chain in self.chains:
            owner: dict[str, str] = {}
            for binding in (b for cls in chain for b in self.bindings(cls, keymap)):
                for key in binding.key.split(","):
                    other = owner.setdefault(key, binding.id or "")
                    if other != binding.id and (other in keymap or binding.id in keymap):
                        return f"{format_key(key)} would be both {other} and {binding.id}"
        return None


def _paths(root: type, named: Callable[[type], list[type[DOMNode]]]) -> Iterator[tuple[type, ...]]:
    """Every path of widgets from `root` down (root included), each ending where focus could be."""
    stack: list[tuple[type, ...]] = [(root,)]
    while stack:
        path = stack.pop()
        yield path
        for child in named(path[-1]):
            if not issubclass(child, Screen) and child not in path:
                stack.append((*path, child))


def _apply(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[Binding]:
    """The bindings with the keymap's keys in place of their own, as Textual applies it (by binding id)."""
    out: list[Binding] = []
    remapped: set[str] = set()
    for binding in bindings:
        keys = keymap.get(binding.id or "")
        if not keys or binding.id is None:
            out.append(binding)
        elif binding.id not in remapped:
            remapped.add(binding.id)
            out += [binding.with_key(k) for k in _keys_of(keys)]
    return out


@functools.cache
def registry_of(app: type[App[object]]) -> BindingRegistry:
    """The binding registry of an app class (built once: it reads the screens' code)."""
    return BindingRegistry(app)


@dataclass(frozen=True)
class Keymap:
    """The user's `[keys]` table (binding id -> keys), checked against the registry, and the keys in effect."""

    registry: BindingRegistry
    user: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.registry.check(self.user)

    def keys(self, binding_id: str) -> list[str]:
        """The keys in effect for a binding id, in Textual's long form; [] for an unknown id."""
        keys = self.user.get(binding_id) or self.registry.defaults.get(binding_id, "")
        return _keys_of(keys) if keys else []

    def bindings(self, *classes: type) -> list[Binding]:
        """The bindings `classes` declare, with the user's keys in effect (one per binding id)."""
        return [b for cls in classes for b in self.registry.bindings(cls, self.user)]
