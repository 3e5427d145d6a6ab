"""One sync: the library's own files written to its git working copy, committed, merged with the remote, pushed,
and only then the merged files read back into the library.

The working copy is `sync/repo` in the data dir (cloned from the remote on the first sync). What a library writes
(its *scope*): its analyst's layer (`layers/<annotator>/<story>.jsonl`, `annotations.layers.Layers(me)`), the
curated layer (`curated/<story>.jsonl`), the registry (`registry/actors.jsonl`), the open conflicts
(`conflicts.jsonl`) and the stories those layers annotate (`stories/<story>.json`, immutable: the id is the text's
hash). Other annotators' layers are only read. Each scope file is written as a 3-way merge of the records as they
were when the library was last brought up to date (the commit `applied`), as the library has them now, and as the
working copy has them: in the usual case the working copy is that commit and the files become the library's.

A failed fetch, merge or push leaves the library as it was: the work stays committed in the working copy and the
next sync carries it. Syncing twice with nothing new changes nothing.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import orjson

from annotations.actors import Actor, fold_name
from annotations.layers import CURATED, Layers
from annotations.merge_input import MergeError, check, parse
from annotations.model import Annotation, now_iso
from annotations.store import Store, StoreError
from annotations.store.sync_state import SYNC_DIR
from annotations.store.tagstore import Edit
from annotations.sync.git import Git, SyncError
from annotations.sync.records import (
    CONFLICTS,
    CONFLICTS_ENV,
    MAX_FILE,
    REGISTRY,
    Record,
    dump,
    folder_name,
    is_tombstone,
    load,
    merge3,
)
from annotations.sync.report import Report, Status, describe, shown_url
from stories.text import clean_line

__all__ = ["BRANCH", "repo_dir", "resolve", "status", "sync"]

#: The branch every library syncs on.
BRANCH = "main"
REMOTE_REF = f"refs/remotes/origin/{BRANCH}"
#: Annotation edits per `Store.apply` when the merged files are read into the library.
BATCH = 1000
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,128}")
_STORY_FILE = re.compile(r"([0-9a-f]{64})\.(jsonl|json)")
_ATTRIBUTES = b"*.jsonl merge=wiredesk\n"
_DATE = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)?")

Files = dict[str, dict[str, Record]]


def repo_dir(store: Store) -> Path:
    """The library's git working copy."""
    return store.data_dir / SYNC_DIR / "repo"


# --- the working copy --------------------------------------------------------------------------------------------


def _email(me: str, email: str) -> str:
    if email and not any(c in email for c in "<>\n\r") and "@" in email:
        return clean_line(email)
    local = re.sub(r"[^A-Za-z0-9._-]+", ".", me).strip(".") or "annotator"
    return f"{local}@wiredesk"


def _open_repo(store: Store, remote: str | None, me: str, email: str) -> tuple[Git, str]:
    """The working copy (made and filled from `remote` the first time), set up for `me`; and the remote's URL."""
    repo = repo_dir(store)
    known = store.sync.get("remote")
    if remote is not None and (not remote.strip() or remote.startswith("-") or clean_line(remote) != remote):
        raise SyncError(f"{clean_line(remote)!r} is not a repository URL or path")
    if not (repo / ".git").is_dir():
        url = remote or known
        if not url:
            raise SyncError("this library has not synced yet: give the repository, `wiredesk sync --remote URL`")
        repo.mkdir(parents=True, exist_ok=True)
        git = Git(repo)
        git.run("init", "-q", "-b", BRANCH)
        git.run("remote", "add", "origin", url)
        git.run("fetch", "-q", "origin", what="git fetch (the first one)", network=True)
        if git.ok("rev-parse", "-q", "--verify", REMOTE_REF):
            git.run("checkout", "-q", "-B", BRANCH, REMOTE_REF)
    else:
        git = Git(repo)
        url = known or git.out("remote", "get-url", "origin")
        if remote and remote != url:
            git.run("remote", "set-url", "origin", remote)
            url = remote
    wanted = {
        "user.name": me,
        "user.email": _email(me, email),
        "merge.wiredesk.name": "wiredesk record-by-record merge",
        "merge.wiredesk.driver": f"{shlex.quote(sys.executable)} -m annotations.sync.driver %O %A %B %P",
        "core.symlinks": "false",  # a link in the repository is checked out as a small file, never followed
        "core.autocrlf": "false",
        "commit.gpgsign": "false",
    }
    listed = git.run("config", "--local", "--list", "-z").stdout.decode("utf-8", "replace").split("\0")
    have = dict(item.split("\n", 1) for item in listed if "\n" in item)
    for key, value in wanted.items():
        if have.get(key) != value:
            git.run("config", key, value)
    if (repo / ".git" / "MERGE_HEAD").exists():  # a sync stopped in the middle of a merge: start it again
        git.run("merge", "--abort", check=False)
    return git, url


def _head(git: Git) -> str:
    done = git.run("rev-parse", "-q", "--verify", "HEAD", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


# --- reading files ------------------------------------------------------------------------------------------------


def _read_file(repo: Path, path: str) -> bytes:
    """A file of the working copy: a regular file (never a link followed), of at most MAX_FILE bytes."""
    full = repo / path
    try:
        st = os.lstat(full)
        if not stat.S_ISREG(st.st_mode):
            raise SyncError(f"the sync repository's {clean_line(path)} is not a plain file")
        if st.st_size > MAX_FILE:
            raise SyncError(f"the sync repository's {clean_line(path)} is {st.st_size:,} bytes, more than sync reads")
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            return fh.read(MAX_FILE + 1)
    except OSError as exc:
        raise SyncError(f"the sync repository's {clean_line(path)} cannot be read: {exc.strerror or exc}") from None


def _listing(repo: Path) -> list[str]:
    """The record files of the working copy (paths relative to it): layers, curated, registry, conflicts."""
    found: list[str] = []
    for top in ("layers", "curated"):
        if not (repo / top).exists():
            continue
        if (repo / top).is_symlink() or not (repo / top).is_dir():
            raise SyncError(f"the sync repository's {top} is not a folder")
        for entry in sorted(os.scandir(repo / top), key=lambda e: e.name):
            if top == "curated":
                found.append(f"curated/{entry.name}")
                continue
            folder_name(entry.name)
            if entry.is_symlink() or not entry.is_dir():
                raise SyncError(f"the sync repository's layers/{clean_line(entry.name)} is not a folder")
            found.extend(f"layers/{entry.name}/{e.name}" for e in sorted(os.scandir(entry.path), key=lambda e: e.name))
    found.extend(p for p in (REGISTRY, CONFLICTS) if os.path.lexists(repo / p))
    return found


def _read_files(repo: Path, paths: Iterable[str]) -> Files:
    return {p: load(_read_file(repo, p), f"the sync repository's {p}") for p in paths}


def _story_of(path: str) -> str:
    """The story id a layer or curated file is named after; SyncError for any other name."""
    found = _STORY_FILE.fullmatch(path.rsplit("/", 1)[-1])
    if found is None or found.group(2) != "jsonl":
        raise SyncError(f"the sync repository's {clean_line(path)} is not named after a story (<story id>.jsonl)")
    return found.group(1)


# --- the library as records ---------------------------------------------------------------------------------------


def _ann_record(ann: Annotation, annotator: str) -> Record:
    data = ann.to_dict()
    del data["prefix"], data["suffix"]  # the story's text has them
    data["annotator"] = annotator
    return data


class Scope:
    """Which files a library writes, and the library's records in them."""

    def __init__(self, store: Store, me: str) -> None:
        if me == CURATED:
            raise SyncError(f'"{CURATED}" is the curated layer, not an annotator: set annotator = "…" in the config')
        self.store = store
        self.me = me
        self.layers = Layers(me)
        self.mine = f"layers/{folder_name(me)}/"

    def owns(self, path: str) -> bool:
        return path.startswith((self.mine, "curated/")) or path in (REGISTRY, CONFLICTS)

    def layer_of(self, path: str) -> str:
        """The annotator whose layer a file holds."""
        return CURATED if path.startswith("curated/") else path.split("/")[1]

    def path_of(self, ann: Annotation) -> str | None:
        layer = self.layers.of(ann)
        if layer == self.me:
            return f"{self.mine}{ann.story_id}.jsonl"
        return f"curated/{ann.story_id}.jsonl" if layer == CURATED else None

    def records(self, known: Mapping[str, str]) -> Files:
        """The library's records by scope file; tombstones only of records `known` (id -> file) to be in one."""
        out: Files = {REGISTRY: {}, CONFLICTS: {}}
        for ann in self.store.iter_annotations():
            path = self.path_of(ann)
            if path is not None:
                out.setdefault(path, {})[ann.id] = _ann_record(ann, self.layers.of(ann))
        for tomb in self.store.tombstones():
            path = known.get(tomb["id"])
            if path is not None and path != REGISTRY and tomb["id"] not in out.get(path, {}):
                out.setdefault(path, {})[tomb["id"]] = dict(tomb)
        for actor in self.store.registry().values():
            out[REGISTRY][actor.id] = actor.to_dict()
        for tomb in self.store.actor_tombstones():
            if known.get(tomb["id"]) == REGISTRY:
                out[REGISTRY][tomb["id"]] = dict(tomb)
        for conflict in self.store.sync.conflicts:
            out[CONFLICTS][str(conflict["id"])] = conflict
        return out


def _where(*sets: Files) -> dict[str, str]:
    return {key: path for files in sets for path, records in files.items() for key in records}


# --- writing the library's files ----------------------------------------------------------------------------------


def _write_scope(git: Git, scope: Scope, applied: str, found: str) -> list[Record]:
    """Write the library's scope files into the working copy (see the module docstring); the conflicts found
    where the working copy moved on since `applied` and the library changed the same record."""
    repo = git.repo
    head_paths = [p for p in _listing(repo) if scope.owns(p)]
    head = _read_files(repo, head_paths)
    current = _head(git)
    if applied and not git.ok("cat-file", "-e", f"{applied}^{{commit}}"):
        applied = ""  # a working copy made anew, without the commit the library was brought up to date with
    if not applied:  # never brought up to date: no common ancestor
        base: Files = {}
    elif applied != current:
        base_paths = [p for p in git.files(applied, "layers", "curated", REGISTRY, CONFLICTS) if scope.owns(p)]
        base = {p: load(data, p) for p, data in git.blobs(applied, base_paths).items()}
    else:
        base = head
    library = scope.records(_where(base, head))
    conflicts: list[Record] = []
    needed: set[str] = set()  # the stories the scope's files annotate
    for path in sorted(library.keys() | base.keys() | head.keys()):
        ours = dict(library.get(path, {}))
        if path != CONFLICTS:  # a record the library holds neither live nor deleted is left as it was
            for key, value in base.get(path, {}).items():
                ours.setdefault(key, value)
        merged = merge3(path, base.get(path, {}), ours, head.get(path, {}), found=found)
        conflicts.extend(merged.conflicts)
        _put(repo, path, dump(merged.records.values()), head_paths)
        if path not in (REGISTRY, CONFLICTS) and any(not is_tombstone(r) for r in merged.records.values()):
            needed.add(_story_of(path))
    _write_stories(scope, repo, needed)
    _put(repo, ".gitattributes", _ATTRIBUTES, [".gitattributes"] if os.path.lexists(repo / ".gitattributes") else [])
    return conflicts


def _put(repo: Path, path: str, data: bytes, present: Iterable[str]) -> None:
    """Write a file of the working copy (remove it when it holds nothing), only if it changes."""
    full = repo / path
    if not data:
        if path in present:
            full.unlink()
        return
    if path in present and _read_file(repo, path) == data:
        return
    full.parent.mkdir(parents=True, exist_ok=True)
    if full.is_symlink():
        full.unlink()
    tmp = repo / ".git" / "wiredesk-write.tmp"  # outside the tracked tree: a crash leaves nothing to commit
    tmp.write_bytes(data)
    os.replace(tmp, full)


def _write_stories(scope: Scope, repo: Path, needed: set[str]) -> None:
    """Each story the library's scope annotates, once (a story file never changes: its id is its text's hash)."""
    for story_id in sorted(needed):
        target = f"stories/{story_id}.json"
        if not os.path.lexists(repo / target):
            try:
                story = scope.store.story(story_id)
            except StoreError:
                continue  # a story this library does not have: the annotator who tagged it shared it
            _put(repo, target, orjson.dumps(story.to_dict(), option=orjson.OPT_SORT_KEYS) + b"\n", [])


def _commit(git: Git, message: str) -> bool:
    git.run("add", "-A")
    if not git.out("status", "--porcelain"):
        return False
    git.run("commit", "-q", "-m", message)
    return True


# --- reading the merged files into the library --------------------------------------------------------------------


def _pick_live(rec: Record, live_actors: set[str]) -> Record:
    """An annotation record with links to entries no longer in the registry dropped (the entry was deleted)."""
    dead = [k for k in ("speaker", "actor", "claimant") if rec.get(k) and rec[k] not in live_actors]
    return {**rec, **dict.fromkeys(dead)} if dead else rec


def _actor_tombstone(rec: Record, path: str) -> dict[str, str]:
    key, deleted, modified = rec.get("id"), rec.get("deleted"), rec.get("modified", "")
    ok = isinstance(key, str) and _ID.fullmatch(key) and isinstance(deleted, str) and _DATE.fullmatch(deleted)
    if not ok or not isinstance(modified, str):
        raise SyncError(f"the sync repository's {path} holds a deleted entry that is not one sync wrote")
    return {"id": str(key), "deleted": str(deleted), "modified": modified[:40]}


def _conflicts(records: Mapping[str, Record]) -> list[Record]:
    out = []
    for rec in records.values():
        fields_ok = all(isinstance(rec.get(k), str) for k in ("id", "file", "record"))
        if not fields_ok or not all(isinstance(rec.get(k), dict | None) for k in ("base", "ours", "theirs")):
            raise SyncError(f"the sync repository's {CONFLICTS} holds a record that is not a conflict")
        out.append(rec)
    return sorted(out, key=lambda c: (str(c.get("found", "")), c["id"]))


def _bring_in(
    store: Store, scope: Scope, files: Files, story_file: Callable[[str], bytes | None], report: Report
) -> None:
    """Make the library hold what `files` hold (records by file; others are left alone): new and changed
    registry entries and annotations, deletions (with the tombstones as given), the stories they need."""
    registry = store.registry()
    actor_recs = files.get(REGISTRY, {})
    live_actors = {k for k, r in actor_recs.items() if not is_tombstone(r)} | (registry.keys() - actor_recs.keys())
    actors_in: list[Record] = []
    actors_gone: dict[str, dict[str, str]] = {}
    for key, rec in actor_recs.items():
        if is_tombstone(rec):
            tomb = _actor_tombstone(rec, REGISTRY)
            if key in registry or store.actor_tombstone(key) is None:
                actors_gone[key] = tomb
            continue
        if rec.get("merged_into") and rec["merged_into"] not in live_actors:
            rec = {**rec, "merged_into": None}
        entry = registry.get(key)
        if entry is None or entry.to_dict() != rec:
            actors_in.append(rec)
    anns_in: list[Record] = []
    tombs_in: dict[str, dict[str, str]] = {}
    for path, records in files.items():
        if path in (REGISTRY, CONFLICTS):
            continue
        layer, story_id = scope.layer_of(path), _story_of(path)
        for key, rec in records.items():
            if rec.get("story_id") != story_id or (not is_tombstone(rec) and rec.get("annotator") != layer):
                raise SyncError(f"the sync repository's {clean_line(path)} holds a record of another story or layer")
            here = store.annotation(key)
            if is_tombstone(rec):
                if here is not None or store.tombstone(key) is None:
                    tombs_in[key] = rec
                continue
            rec = _pick_live(rec, live_actors)
            if here is None or _ann_record(here, scope.layers.of(here)) != rec:
                anns_in.append(rec)
    stories = []
    for key, rec in list(tombs_in.items()):  # a deletion in a story this library never had: nothing to delete
        if rec["story_id"] not in store.story_ids and rec["story_id"] not in {r["story_id"] for r in anns_in}:
            del tombs_in[key]
    for story_id in sorted({str(r["story_id"]) for r in anns_in} - set(store.story_ids)):
        raw = story_file(story_id)
        if raw is None:
            raise SyncError(f"story {story_id[:12]} is annotated in the sync repository, but its file is missing")
        try:
            stories.append(orjson.loads(raw))
        except orjson.JSONDecodeError:
            raise SyncError(f"the sync repository's stories/{story_id}.json is not JSON") from None
    try:
        incoming = check(
            store,
            parse(
                {"stories": stories, "actors": actors_in, "annotations": anns_in, "deleted": list(tombs_in.values())}
            ),
            "the sync repository",
        )
    except MergeError as exc:
        raise SyncError(f"the sync repository holds what cannot be read in: {exc}") from None
    if incoming.stories:
        store.import_stories(incoming.stories.values())
        report.add("story", len(incoming.stories))
    _apply_records(store, incoming.actors.values(), incoming.annotations.values(), incoming.tombstones, actors_gone)
    report.add("registry entry", len(incoming.actors))
    report.add("annotation", len(incoming.annotations))
    report.add("deletion", len(incoming.tombstones) + len(actors_gone))
    report.notes.extend(_twins(store, incoming.actors))


def _twins(store: Store, arrived: Mapping[str, Actor]) -> list[str]:
    """A line for each entry that arrived under the name of another entry in use: two people added the same actor
    (the registry holds one entry per actor: merging them is the user's call, and travels like any edit)."""
    if not arrived:
        return []
    by_name: dict[str, list[Actor]] = {}
    for actor in store.actors():
        by_name.setdefault(fold_name(actor.name), []).append(actor)
    lines = []
    for name in sorted({fold_name(a.name) for a in arrived.values()}):
        twins = sorted(by_name.get(name, []), key=lambda a: a.id)
        if len(twins) > 1:
            ids = ", ".join(a.id[:8] for a in twins)
            called = clean_line(twins[0].name)
            lines.append(
                f"registry: {len(twins)} entries are called “{called}” ({ids}); if they are one actor, "
                f"`wiredesk actor {twins[-1].id[:8]} --merge-into {twins[0].id[:8]}`"
            )
    return lines


def _unlinked(ann: Annotation, actor_id: str) -> Annotation:
    """`ann` with its links to the entry `actor_id` dropped (as they are when the entry is deleted)."""

    def kept(link: str | None) -> str | None:
        return None if link == actor_id else link

    return replace(ann, speaker=kept(ann.speaker), actor=kept(ann.actor), claimant=kept(ann.claimant))


def _apply_records(
    store: Store,
    actors: Iterable[Actor],
    anns: Iterable[Annotation],
    tombs: Mapping[str, dict[str, str]],
    actors_gone: Mapping[str, dict[str, str]],
) -> None:
    """Write what `_bring_in` found: the registry's additions and changes first, then the annotations (in batches),
    the deletions, and last the registry's deletions (with the links to them dropped)."""
    registry = store.registry()
    actor_edits: list[Edit] = [(registry.get(a.id), a) for a in actors]
    if actor_edits:
        store.apply(actor_edits)
    steps: list[tuple[Edit | None, str, dict[str, str] | None]] = []
    for ann in anns:
        steps.append(((store.annotation(ann.id), ann), ann.id, None))
    for key, tomb in tombs.items():
        here = store.annotation(key)
        steps.append(((here, None) if here is not None else None, key, tomb))
    for start in range(0, len(steps), BATCH):
        chunk = steps[start : start + BATCH]
        edits = [edit for edit, _, _ in chunk if edit is not None]
        given = {key: tomb for _, key, tomb in chunk if tomb is not None}
        store.apply(edits, tombstones=given)
    if actors_gone:
        edits = []
        for key in actors_gone:
            for _name, ann in store.actor_usage(key):
                current = store.annotation(ann.id)
                if current is not None and key in (current.speaker, current.actor, current.claimant):
                    edits.append((current, _unlinked(current, key)))
        merged = [a for a in store.registry().values() if a.merged_into in actors_gone and a.id not in actors_gone]
        edits.extend((a, replace(a, merged_into=None)) for a in merged)
        registry = store.registry()
        edits.extend((registry[k], None) for k in actors_gone if k in registry)
        store.apply(edits, actor_tombstones=dict(actors_gone))


# --- the commands --------------------------------------------------------------------------------------------------


def sync(store: Store, me: str, *, remote: str | None = None, email: str = "") -> Report:
    """Sync the library with its remote (see the module docstring). SyncError (one line) when it cannot; the
    library is then as it was."""
    if store.read_only:
        raise SyncError(f"{store.data_dir} is open read-only (another wiredesk writes to it): sync needs to write")
    scope = Scope(store, me)
    git, url = _open_repo(store, remote, me, email)
    report = Report(url)
    found = now_iso()
    applied = store.sync.get("applied")
    pending = _write_scope(git, scope, applied, found)
    report.committed = _commit(git, f"wiredesk sync: {me}")
    side = git.repo / ".git" / "wiredesk-conflicts.jsonl"
    side.unlink(missing_ok=True)
    try:
        git.run("fetch", "-q", "origin", what=f"git fetch from {shown_url(url)}", network=True)
    except SyncError as exc:
        raise SyncError(f"{exc}; your work is committed in {git.repo}: run `wiredesk sync` again later") from None
    if git.ok("rev-parse", "-q", "--verify", REMOTE_REF):
        before = _head(git)
        if not before:
            git.run("checkout", "-q", "-B", BRANCH, REMOTE_REF)
        else:
            done = git.run(
                "merge", "-q", "--ff", "--no-edit", "--allow-unrelated-histories", "-m", f"wiredesk sync: {me} merges",
                REMOTE_REF, check=False, env={CONFLICTS_ENV: str(side)},
            )  # fmt: skip
            if done.returncode != 0:
                git.run("merge", "--abort", check=False)
                side.unlink(missing_ok=True)
                told = (done.stdout + done.stderr).decode("utf-8", "replace").strip().splitlines()
                driver = [line for line in told if line.startswith("wiredesk merge driver:")]
                why = clean_line((driver or told or ["git gave no reason"])[-1])
                raise SyncError(
                    f"the merge with {shown_url(url)} stopped ({why}); the library is unchanged and your work is "
                    f"committed in {git.repo}"
                )
        report.merged = _head(git) != before
    if side.exists():
        pending.extend(load(_read_file(git.repo, ".git/wiredesk-conflicts.jsonl"), "the merge's conflicts").values())
        side.unlink()
    if pending:
        _record_conflicts(git, pending, me)
        report.new_conflicts = len(pending)
    head = _head(git)
    remote_head = git.run("rev-parse", "-q", "--verify", REMOTE_REF, check=False).stdout.decode().strip()
    if head and head != remote_head:
        try:
            git.run(
                "push", "-q", "origin", f"HEAD:refs/heads/{BRANCH}", what=f"git push to {shown_url(url)}", network=True
            )
        except SyncError as exc:
            raise SyncError(
                f"{exc}; the library is unchanged and your work is committed in {git.repo}: run `wiredesk sync` again"
            ) from None
        git.run("update-ref", REMOTE_REF, head)  # the remote has what was pushed
        report.pushed = True
    repo = git.repo
    files = _read_files(repo, _changed_since(git, applied, _listing(repo)))
    _bring_in(store, scope, files, lambda sid: _story_bytes(repo, sid), report)
    conflicts = _conflicts(files.get(CONFLICTS, {}))
    store.sync.save(conflicts, applied=head, last_sync=now_iso(), remote=url)
    report.open_conflicts = len(conflicts)
    return report


def _changed_since(git: Git, applied: str, paths: list[str]) -> list[str]:
    """Of the record files `paths`, those to read into the library: the ones changed since the commit the library
    was last brought up to date with (all of them the first time), and always the conflicts."""
    if not applied or not git.ok("cat-file", "-e", f"{applied}^{{commit}}"):
        return paths
    raw = git.run("diff", "--name-only", "-z", "--no-renames", applied, "HEAD", "--").stdout
    changed = {p.decode("utf-8", "surrogateescape") for p in raw.split(b"\0") if p}
    return [p for p in paths if p in changed or p == CONFLICTS]


def _story_bytes(repo: Path, story_id: str) -> bytes | None:
    path = f"stories/{story_id}.json"
    return _read_file(repo, path) if os.path.lexists(repo / path) else None


def _record_conflicts(git: Git, found: list[Record], me: str) -> None:
    """Add conflicts to `conflicts.jsonl` (with who holds which value) and commit them."""
    repo = git.repo
    records = load(_read_file(repo, CONFLICTS), CONFLICTS) if os.path.lexists(repo / CONFLICTS) else {}
    for conflict in found:
        theirs_by = (
            git.out("log", "-1", "--format=%an", REMOTE_REF, "--", str(conflict["file"])) if _remote(git) else ""
        )
        records[str(conflict["id"])] = {
            **conflict,
            "ours_by": me,
            "theirs_by": theirs_by or "?",
            "found": conflict.get("found") or now_iso(),
        }
    _put(repo, CONFLICTS, dump(records.values()), [CONFLICTS] if os.path.lexists(repo / CONFLICTS) else [])
    _commit(git, f"wiredesk sync: {me} records {len(found)} conflict(s)")


def _remote(git: Git) -> bool:
    return git.ok("rev-parse", "-q", "--verify", REMOTE_REF)


def status(store: Store) -> Status:
    """Where the library's sync stands (from the last fetch; nothing is fetched)."""
    repo = repo_dir(store)
    state = store.sync
    cloned = (repo / ".git").is_dir()
    ahead = behind = 0
    if cloned:
        git = Git(repo)
        if _head(git) and _remote(git):
            counts = git.out("rev-list", "--left-right", "--count", f"HEAD...{REMOTE_REF}").split()
            ahead, behind = int(counts[0]), int(counts[1])
        elif _head(git):
            ahead = int(git.out("rev-list", "--count", "HEAD"))
    return Status(state.get("remote"), state.get("last_sync"), ahead, behind, cloned, state.conflicts)


def resolve(store: Store, me: str, ref: str, take: str) -> str:
    """Settle an open conflict by taking one value ("ours": the one kept; "theirs": the other) into the library;
    the next sync carries it to everyone. Returns what was done, in one line."""
    if take not in ("ours", "theirs"):
        raise SyncError(f"take ours or theirs, not {take!r}")
    key = ref.strip().lower()
    found = [c for c in store.sync.conflicts if key and str(c.get("id", "")).startswith(key)]
    if len(found) != 1:
        listed = "no" if not found else "several"
        raise SyncError(f"{listed} open sync conflict(s) with id {clean_line(ref)!r} (see `wiredesk sync --status`)")
    conflict = found[0]
    scope = Scope(store, me)
    path = str(conflict["file"])
    if not scope.owns(path):
        raise SyncError(f"{clean_line(path)} is {clean_line(scope.layer_of(path))}'s layer: only they can resolve it")
    value = conflict.get(take)
    if take == "theirs":
        if not isinstance(value, dict):
            raise SyncError("that side has no value to take; take ours")
        repo = repo_dir(store)
        _bring_in(
            store, scope, {path: {str(conflict["record"]): value}}, lambda sid: _story_bytes(repo, sid), Report("")
        )
    rest = [c for c in store.sync.conflicts if c["id"] != conflict["id"]]
    store.sync.save(rest)
    return (
        f"resolved {str(conflict['id'])[:8]}: took {take} ({describe(value)}); `wiredesk sync` carries it to the others"
    )
