"""One sync: the library's own files written to its git working copy, committed, merged with the remote, pushed,
and only then the merged files read back into the library.

The working copy is `sync/repo` in the data dir (cloned from the remote on the first sync). What a library writes
(its *scope*): its analyst's layer (`layers/<annotator>/<story>.jsonl`, `annotations.layers.Layers(me)`), the
curated layer (`curated/<story>.jsonl`), the curation decisions (`decisions/<story>.jsonl`: every decision, and the
tombstones of undone ones the repository knows), the registry (`registry/actors.jsonl`), the claim threads
(`registry/threads.jsonl`: every thread, and the tombstones of deleted ones the repository knows), the open conflicts
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
from collections.abc import Iterable
from pathlib import Path

import orjson

from annotations.layers import Layers
from annotations.model import now_iso
from annotations.store import Store, StoreError
from annotations.store.sync_state import SYNC_DIR
from annotations.sync.arrive import bring_in, conflicts_in
from annotations.sync.git import Git, SyncError
from annotations.sync.records import (
    CONFLICTS,
    CONFLICTS_ENV,
    DECISIONS,
    MAX_FILE,
    REGISTRY,
    THREADS,
    Record,
    dump,
    folder_name,
    is_tombstone,
    load,
    merge3,
)
from annotations.sync.report import Report, Status, describe, shown_url
from annotations.sync.scope import Files, Scope, story_of
from stories.text import clean_line

__all__ = ["BRANCH", "repo_dir", "resolve", "status", "sync"]

#: The branch every library syncs on.
BRANCH = "main"
REMOTE_REF = f"refs/remotes/origin/{BRANCH}"
_ATTRIBUTES = b"*.jsonl merge=wiredesk\n"


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
    """The record files of the working copy (paths relative to it): layers, curated, decisions, registry, threads,
    conflicts."""
    found: list[str] = []
    for top in ("layers", "curated", DECISIONS):
        if not (repo / top).exists():
            continue
        if (repo / top).is_symlink() or not (repo / top).is_dir():
            raise SyncError(f"the sync repository's {top} is not a folder")
        for entry in sorted(os.scandir(repo / top), key=lambda e: e.name):
            if top != "layers":
                found.append(f"{top}/{entry.name}")
                continue
            folder_name(entry.name)
            if entry.is_symlink() or not entry.is_dir():
                raise SyncError(f"the sync repository's layers/{clean_line(entry.name)} is not a folder")
            found.extend(f"layers/{entry.name}/{e.name}" for e in sorted(os.scandir(entry.path), key=lambda e: e.name))
    found.extend(p for p in (REGISTRY, THREADS, CONFLICTS) if os.path.lexists(repo / p))
    return found


def _read_files(repo: Path, paths: Iterable[str]) -> Files:
    return {p: load(_read_file(repo, p), f"the sync repository's {p}") for p in paths}


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
        tops = ("layers", "curated", DECISIONS, REGISTRY, THREADS, CONFLICTS)
        base_paths = [p for p in git.files(applied, *tops) if scope.owns(p)]
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
        if path not in (REGISTRY, THREADS, CONFLICTS) and any(not is_tombstone(r) for r in merged.records.values()):
            needed.add(story_of(path))
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


# --- the commands --------------------------------------------------------------------------------------------------


def sync(store: Store, me: str, *, remote: str | None = None, email: str = "", layers: Layers | None = None) -> Report:
    """Sync the library with its remote (see the module docstring); `layers`: whose layer each annotation is in
    as the config says (`annotations.layers.layers_of`; default: only `me`'s own name and the suggester's).
    SyncError (one line) when it cannot; the library is then as it was."""
    if store.read_only:
        raise SyncError(f"{store.data_dir} is open read-only (another wiredesk writes to it): sync needs to write")
    scope = Scope(store, me, layers)
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
    bring_in(store, scope, files, lambda sid: _story_bytes(repo, sid), report)
    conflicts = conflicts_in(files.get(CONFLICTS, {}))
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


def resolve(store: Store, me: str, ref: str, take: str, layers: Layers | None = None) -> str:
    """Settle an open conflict by taking one value ("ours": the one kept; "theirs": the other) into the library;
    the next sync carries it to everyone (`layers` as for `sync`). Returns what was done, in one line."""
    if take not in ("ours", "theirs"):
        raise SyncError(f"take ours or theirs, not {take!r}")
    key = ref.strip().lower()
    found = [c for c in store.sync.conflicts if key and str(c.get("id", "")).startswith(key)]
    if len(found) != 1:
        listed = "no" if not found else "several"
        raise SyncError(f"{listed} open sync conflict(s) with id {clean_line(ref)!r} (see `wiredesk sync --status`)")
    conflict = found[0]
    scope = Scope(store, me, layers)
    path = str(conflict["file"])
    if not scope.owns(path):
        raise SyncError(f"{clean_line(path)} is {clean_line(scope.layer_of(path))}'s layer: only they can resolve it")
    value = conflict.get(take)
    if take == "theirs":
        if not isinstance(value, dict):
            raise SyncError("that side has no value to take; take ours")
        repo = repo_dir(store)
        bring_in(
            store, scope, {path: {str(conflict["record"]): value}}, lambda sid: _story_bytes(repo, sid), Report("")
        )
    rest = [c for c in store.sync.conflicts if c["id"] != conflict["id"]]
    store.sync.save(rest)
    return (
        f"resolved {str(conflict['id'])[:8]}: took {take} ({describe(value)}); `wiredesk sync` carries it to the others"
    )
