"""`wiredesk sync` as a team uses it: a bare repository, two annotators with their own data dirs and configs
(issue 17, acceptance 1, 3 and 4), offline work, a refused push, and a sync with nothing new changing nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.layers import CURATED, Layers
from annotations.store import Store
from annotations.sync.engine import repo_dir
from tests.cli_support import assert_user_error
from tests.sync_support import ANADOLU, Annotator, bare_repo


@pytest.fixture
def team(tmp_path: Path, data_dir: Path) -> tuple[Annotator, Annotator, str]:
    """Ada, who imported the Anadolu story and synced it, and Ben, who has not synced yet; the story's id."""
    remote = bare_repo(tmp_path / "team.git")
    ada, ben = Annotator("ada", tmp_path, remote), Annotator("ben", tmp_path, remote)
    (tmp_path / "aa.txt").write_text(ANADOLU, encoding="utf-8")
    ada.ok("import", str(tmp_path / "aa.txt"))
    with ada.store() as store:
        story_id = store.entries()[0].id
    return ada, ben, story_id


def quote(who: Annotator, story: str, text: str, speaker: str) -> str:
    out = who.ok("annotate", story, "--kind", "quote", "--text", text, "--speaker", speaker, "--speaker-type", "person")
    return out[0].split()[2]  # "saved quote 1a2b3c4d […]"


def layers_of(who: Annotator) -> dict[str, set[tuple[str, str, str | None]]]:
    """Each layer of the annotator's library: (kind, exact, speaker's name) of its annotations."""
    with who.store() as store:
        found: dict[str, set[tuple[str, str, str | None]]] = {}
        for ann in store.annotations():
            speaker = store.actor(ann.speaker)
            found.setdefault(Layers(who.name).of(ann), set()).add(
                (ann.kind, ann.exact, speaker.name if speaker else None)
            )
        return found


def test_two_annotators_see_each_others_layer(team) -> None:
    ada, ben, story = team
    quote(ada, story, "Tight monetary policy will be maintained", "Fatih Karahan")
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    assert ada.sync()[0].endswith("committed, pushed")
    ben.ok("import", str(ada.root / "aa.txt"))  # the same wire story: the same id
    quote(ben, story, "Tight monetary policy will be maintained", "Central Bank")  # a speaker different
    assert ben.sync()[1] == "into the library: 2 annotations, 1 registry entry"
    ada.sync()
    expected = {
        "ada": {
            ("quote", "Tight monetary policy will be maintained", "Fatih Karahan"),
            ("quote", "We will do whatever it takes", "Fatih Karahan"),
        },
        "ben": {("quote", "Tight monetary policy will be maintained", "Central Bank")},
    }
    assert layers_of(ada) == expected
    ben.sync()
    assert layers_of(ben) == expected
    files = sorted(p.relative_to(repo_dir_of(ben)).as_posix() for p in repo_dir_of(ben).rglob("*.json*"))
    assert files == [
        f"layers/ada/{story}.jsonl",
        f"layers/ben/{story}.jsonl",
        "registry/actors.jsonl",
        f"stories/{story}.json",
    ]
    log = subprocess.run(
        ["git", "log", "--format=%an", "--", "layers/ben"], cwd=repo_dir_of(ada), capture_output=True, text=True
    )
    assert set(log.stdout.split()) == {"ben"}  # committed with the annotator as author


def repo_dir_of(who: Annotator) -> Path:
    with who.store() as store:
        return repo_dir(store)


def test_syncing_again_with_nothing_new_changes_nothing(team) -> None:
    ada, _ben, story = team
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    ada.sync()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_dir_of(ada), capture_output=True, text=True).stdout
    before = library_files(ada)
    assert ada.sync() == [f"synced with {ada.remote}: nothing to send", "into the library: nothing new"]
    after = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_dir_of(ada), capture_output=True, text=True).stdout
    assert after == head
    assert library_files(ada) == before


def library_files(who: Annotator) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in who.data.iterdir() if p.is_file() and p.name != ".lock"}


def entry(who: Annotator, name: str) -> dict:
    return json.loads("\n".join(who.ok("actor", name, "--format", "json")))["actor"]


def test_a_registry_entry_edited_on_both_sides_is_a_conflict_with_both_values_kept(team) -> None:
    ada, ben, story = team
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    ada.sync()
    ben.sync()
    ada.ok("actor", "Fatih Karahan", "--alias", "Governor Karahan")  # both offline
    ben.ok("actor", "Fatih Karahan", "--alias", "F. Karahan", "--note", "central bank governor")
    ada.sync()
    assert "1 sync conflict(s) open (1 new)" in ben.sync()[-1]
    ada.sync()
    for who in (ada, ben):
        status = "\n".join(who.ok("sync", "--status"))
        assert "open conflicts: 1" in status
        assert "Governor Karahan" in status and "F. Karahan" in status  # both values, until resolved
        assert "ours (ben)" in status and "theirs (ada)" in status
    assert entry(ada, "Fatih Karahan")["aliases"] == entry(ben, "Fatih Karahan")["aliases"] == ["F. Karahan"]
    conflict = ada.ok("sync", "--status")[-1].split()[0]
    assert "took theirs" in ada.ok("sync", "--resolve", conflict, "--take", "theirs")[0]
    ada.sync()
    ben.sync()
    assert entry(ben, "Fatih Karahan")["aliases"] == ["Governor Karahan"]
    assert "open conflicts: 0" in ben.ok("sync", "--status")


def test_a_deleted_annotation_and_a_deleted_registry_entry_travel(team) -> None:
    ada, ben, story = team
    gone = quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    kept = quote(ada, story, "Tight monetary policy will be maintained", "Central Bank")
    ada.sync()
    ben.sync()
    assert len(layers_of(ben)["ada"]) == 2
    ada.ok("delete", gone)
    ada.ok("actor", "Central Bank", "--delete")
    ada.sync()
    ben.sync()
    assert layers_of(ben)["ada"] == {("quote", "Tight monetary policy will be maintained", None)}
    with ben.store() as store:
        assert store.tombstone(next(t["id"] for t in store.tombstones()))["id"].startswith(gone)
        assert [a.name for a in store.actors()] == ["Fatih Karahan"]
        assert len(store.actor_tombstones()) == 1
        assert store.annotation(next(a.id for a in store.annotations() if a.id.startswith(kept))) is not None


def test_offline_work_stays_committed_and_syncs_later(team, tmp_path: Path) -> None:
    ada, ben, story = team
    ada.sync()
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    shutil.move(ada.remote, tmp_path / "away.git")
    before = layers_of(ada)
    line = assert_user_error(ada.run("sync"), "git fetch from", "run `wiredesk sync` again")
    assert "\x1b" not in line
    assert layers_of(ada) == before
    shutil.move(tmp_path / "away.git", ada.remote)
    ada.sync()
    ben.sync()
    assert layers_of(ben)["ada"] == {("quote", "We will do whatever it takes", "Fatih Karahan")}


def test_a_refused_push_leaves_the_library_untouched(team) -> None:
    ada, ben, story = team
    ada.sync()
    ben.ok("import", str(ada.root / "aa.txt"))
    quote(ben, story, "We will do whatever it takes", "Fatih Karahan")
    ben.sync()
    hook = close_pushes(ada.remote)
    quote(ada, story, "Tight monetary policy will be maintained", "Central Bank")
    before = layers_of(ada)
    assert_user_error(ada.run("sync"), "git push to", "the library is unchanged")
    assert layers_of(ada) == before  # Ben's quote was merged in the working copy, not yet into the library
    hook.unlink()
    ada.sync()
    assert layers_of(ada)["ben"] == {("quote", "We will do whatever it takes", "Fatih Karahan")}
    ben.sync()
    assert layers_of(ben) == layers_of(ada)


def test_the_first_sync_needs_a_remote(team) -> None:
    ada, _ben, _story = team
    assert_user_error(ada.run("sync"), "wiredesk sync --remote URL")
    assert "never synced" in ada.ok("sync", "--status")[0]


def test_resolve_and_take_go_together(team) -> None:
    ada, _ben, _story = team
    assert ada.run("sync", "--resolve", "abcd").exit_code == 2
    assert_user_error(ada.run("sync", "--resolve", "abcd", "--take", "ours"), "no open sync conflict")


def two_entries_shared(team) -> tuple[Annotator, Annotator]:
    """Ada and Ben, both with Ada's two quotes and their speakers "Fatih Karahan" and "Central Bank"."""
    ada, ben, story = team
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    quote(ada, story, "Tight monetary policy will be maintained", "Central Bank")
    ada.sync()
    ben.sync()
    return ada, ben


def close_pushes(remote: Path) -> Path:
    """A hook in the team's repository that refuses every push; returns it (unlink it to open again)."""
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote: pushes are closed today' >&2\nexit 1\n")
    hook.chmod(0o755)
    return hook


def test_different_entries_edited_on_both_sides_merge_without_a_conflict(team, monkeypatch) -> None:
    ada, ben = two_entries_shared(team)
    ada.ok("actor", "Fatih Karahan", "--note", "governor")
    ben.ok("actor", "Central Bank", "--alias", "CBRT")
    monkeypatch.setenv("GIT_DIR", "/nonexistent")  # as inside a git hook: sync's git never follows it
    ada.sync()
    assert "conflict" not in " ".join(ben.sync())
    ada.sync()
    for who in (ada, ben):
        assert entry(who, "Fatih Karahan")["note"] == "governor" and entry(who, "Central Bank")["aliases"] == ["CBRT"]


def test_the_curated_layer_travels_in_its_own_files(team) -> None:
    ada, ben, story = team
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    with Store(ada.data) as store:
        [mine] = store.annotations()
        settled = replace(mine, id=str(uuid.uuid4()), annotator=CURATED)
        store.apply([(None, settled)])
    ada.sync()
    ben.sync()
    assert (repo_dir_of(ada) / "curated" / f"{story}.jsonl").is_file()
    assert layers_of(ben)[CURATED] == {("quote", "We will do whatever it takes", "Fatih Karahan")}


def test_curated_is_no_annotator_name(team, tmp_path: Path) -> None:
    _ada, _ben, _story = team
    curator = Annotator("curated", tmp_path, _ada.remote)
    assert_user_error(curator.run("sync", "--remote", str(curator.remote)), "is the curated layer")


def test_an_edit_after_a_refused_push_meets_what_the_merge_brought_as_a_conflict(team) -> None:
    ada, ben = two_entries_shared(team)
    ada.ok("actor", "Fatih Karahan", "--note", "governor")
    ada.sync()
    hook = close_pushes(ada.remote)
    ben.ok("actor", "Central Bank", "--alias", "CBRT")  # something to push: refused, after Ada's note was merged
    assert_user_error(ben.run("sync"), "git push to")
    assert entry(ben, "Fatih Karahan")["note"] == ""  # the library as it was
    ben.ok("actor", "Fatih Karahan", "--note", "central bank chief")  # the same entry, before the library had hers
    hook.unlink()
    assert "1 sync conflict(s) open (1 new)" in ben.sync()[-1]
    ada.sync()
    status = "\n".join(ada.ok("sync", "--status"))
    assert "note: central bank chief" in status and "note: governor" in status
    assert entry(ada, "Central Bank")["aliases"] == ["CBRT"]


def test_an_actor_both_added_is_reported_and_one_merge_travels(team) -> None:
    ada, ben, story = team
    quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    ada.sync()
    ben.ok("import", str(ada.root / "aa.txt"))
    quote(ben, story, "Tight monetary policy will be maintained", "Fatih Karahan")  # his own entry, before the sync
    note = ben.sync()[-1]
    assert note.startswith("registry: 2 entries are called “Fatih Karahan”") and "--merge-into" in note
    ben.ok(*note.split("`")[1].split()[1:])  # the command the note gives
    ben.sync()
    ada.sync()
    with ada.store() as store:
        assert [a.name for a in store.actors()] == ["Fatih Karahan"]
        assert {store.actor(a.speaker).name for a in store.annotations()} == {"Fatih Karahan"}


def test_one_annotator_on_two_machines_settles_an_annotation_conflict(team, tmp_path: Path) -> None:
    ada, _ben, story = team
    laptop = Annotator("ada", tmp_path / "laptop", ada.remote)
    said = quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    ada.sync()
    laptop.sync()
    ada.ok("edit", said, "--note", "at the press conference")
    laptop.ok("edit", said, "--note", "on television")
    ada.sync()
    assert "(1 new)" in laptop.sync()[-1]
    ada.sync()
    conflict = ada.ok("sync", "--status")[-1]
    assert "note: on television" in conflict and "note: at the press conference" in conflict
    ada.ok("sync", "--resolve", conflict.split()[0], "--take", "theirs")
    ada.sync()
    laptop.sync()
    for who in (ada, laptop):
        with who.store() as store:
            assert [a.note for a in store.annotations()] == ["at the press conference"]
            assert store.sync.conflicts == []


def test_what_ada_tagged_before_naming_herself_travels_as_her_layer(team, monkeypatch: pytest.MonkeyPatch) -> None:
    ada, ben, story = team
    monkeypatch.setattr("annotations.config.getpass.getuser", lambda: "ada-laptop")
    config = ada.config / "wiredesk" / "config.toml"
    config.write_text("", encoding="utf-8")  # no annotator yet: recorded under the OS user name
    early = quote(ada, story, "We will do whatever it takes", "Fatih Karahan")
    config.write_text('annotator = "ada"\n', encoding="utf-8")
    ada.ok("edit", early, "--note", "still mine")  # not another's read-only layer
    ada.sync()
    ben.sync()
    with ben.store() as store:
        (arrived,) = store.annotations()
    assert arrived.id.startswith(early) and arrived.annotator == "ada" and arrived.note == "still mine"
