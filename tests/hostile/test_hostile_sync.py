"""Hostile sync repositories: whatever someone pushed to the team's repository is input. Names and contents with
escape sequences and bidi controls, huge or broken lines, links, records in the wrong file, a story whose text is
not its id: each sync refuses in one clean line (exit 1, no traceback, nothing raw on the terminal) and leaves the
library exactly as it was; free text with control characters arrives cleaned."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import orjson
import pytest

from annotations.sync import engine, records
from tests.cli_support import assert_user_error
from tests.sync_support import ANADOLU, Annotator, bare_repo
from tui.screens.sync_conflicts import conflict_text


@pytest.fixture
def ada(tmp_path: Path, data_dir: Path) -> tuple[Annotator, str]:
    """Ada, with one quote of the Anadolu story synced to the team's repository; the story's id."""
    ada = Annotator("ada", tmp_path, bare_repo(tmp_path / "team.git"))
    (tmp_path / "aa.txt").write_text(ANADOLU, encoding="utf-8")
    ada.ok("import", str(tmp_path / "aa.txt"))
    with ada.store() as store:
        story = store.entries()[0].id
    ada.ok("annotate", story, "--kind", "quote", "--text", "We will do whatever it takes", "--speaker", "Karahan")
    ada.sync()
    return ada, story


def push(remote: Path, tmp_path: Path, files: dict[str, bytes | str]) -> None:
    """Mallory's commit: `files` written (bytes as they are), pushed to the team's repository."""
    work = tmp_path / "mallory"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    for name, data in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    git = ["git", "-c", "user.name=mallory", "-c", "user.email=m@example.org"]
    subprocess.run([*git, "add", "-A"], cwd=work, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "hostile"], cwd=work, check=True)
    subprocess.run([*git, "push", "-q", "origin", "HEAD:main"], cwd=work, check=True)


def push_beside_a_claim(who: Annotator, story: str, tmp_path: Path, path: str, record: dict[str, object]) -> None:
    """Mallory's `record` in the repository's file `path`, beside a claim of Ben's that would arrive but for it."""
    layer = line_of(annotation(story, "ben", kind="claim"))
    push(who.remote, tmp_path, {path: line_of(record), f"layers/ben/{story}.jsonl": layer})


def files_of(who: Annotator) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in who.data.iterdir() if p.is_file() and p.name != ".lock"}


def refused(who: Annotator, *fragments: str) -> str:
    before = files_of(who)
    line = assert_user_error(who.run("sync"), *fragments)
    assert not any(c in line for c in "\x1b\x07\u202e\u2066\x00"), line
    assert files_of(who) == before
    return line


def annotation(story: str, annotator: str, **changes: object) -> dict[str, object]:
    start = ANADOLU.index("Tight monetary policy")
    base = {
        "id": "0f0f0f0f-0000-4000-8000-000000000001",
        "story_id": story,
        "kind": "quote",
        "start": start,
        "end": start + len("Tight monetary policy"),
        "exact": "Tight monetary policy",
        "note": "",
        "annotator": annotator,
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-01T00:00:00Z",
    }
    return {**base, **changes}


def line_of(record: dict[str, object]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n"


@pytest.mark.parametrize(
    "folder", ["ev\x1b[2Jil", "b\u202eidi", ".git-ish", "nul\x07bell"], ids=["escape", "bidi", "dot", "bell"]
)
def test_a_layer_folder_with_a_hostile_name_is_refused(ada, tmp_path: Path, folder: str) -> None:
    who, story = ada
    push(who.remote, tmp_path, {f"layers/{folder}/{story}.jsonl": line_of(annotation(story, folder))})
    refused(who, "cannot name a layer folder")


def test_a_file_named_after_no_story_is_refused(ada, tmp_path: Path) -> None:
    who, story = ada
    push(who.remote, tmp_path, {"layers/ben/\x1b]0;pwned\x07.jsonl": line_of(annotation(story, "ben"))})
    refused(who, "is not named after a story")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{\x1b[31m broken\n", "line 1 is not a JSON record"),
        (b'{"id": "' + b"x" * (4 << 20) + b'"', "is not a JSON record"),  # one huge line
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", "is not a JSON record"),
        (b'{"no": "id"}\n', "line 1 is not a record with an id"),
    ],
    ids=["escape", "huge-line", "deep", "no-id"],
)
def test_broken_lines_are_refused(ada, tmp_path: Path, content: bytes, fragment: str) -> None:
    who, story = ada
    push(who.remote, tmp_path, {f"layers/ben/{story}.jsonl": content})
    refused(who, fragment)


def test_a_file_larger_than_sync_reads_is_refused(ada, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    who, story = ada
    monkeypatch.setattr(engine, "MAX_FILE", 1000)
    monkeypatch.setattr(records, "MAX_FILE", 1000)
    push(who.remote, tmp_path, {f"layers/ben/{story}.jsonl": line_of(annotation(story, "ben", note="x" * 2000))})
    refused(who, "more than sync reads")


def test_records_in_the_wrong_file_are_refused(ada, tmp_path: Path) -> None:
    who, story = ada
    push(who.remote, tmp_path, {f"layers/ben/{story}.jsonl": line_of(annotation(story, "ada"))})
    refused(who, "holds a record of another story or layer")


def test_a_story_whose_text_is_not_its_id_is_refused(ada, tmp_path: Path) -> None:
    who, _story = ada
    fake = "ab" * 32
    story = {
        "id": fake,
        "headline": "Fake",
        "text": "Fake text\x1b[2J",
        "blocks": [{"kind": "paragraph", "start": 0, "end": 9}],
    }
    push(
        who.remote,
        tmp_path,
        {f"stories/{fake}.json": orjson.dumps(story), f"layers/ben/{fake}.jsonl": line_of(annotation(fake, "ben"))},
    )
    refused(who, "cannot be read in")


@pytest.mark.parametrize(
    "links",
    [{"registry/actors.jsonl": "/etc/passwd"}, {"layers/ben": "/"}, {"conflicts.jsonl": "../../../annotations.json"}],
    ids=["file-to-outside", "folder-to-root", "relative"],
)
def test_a_link_in_the_repository_is_never_followed(ada, tmp_path: Path, links: dict[str, str]) -> None:
    who, _story = ada
    work = tmp_path / "mallory"
    subprocess.run(["git", "clone", "-q", str(who.remote), str(work)], check=True)
    for name, target in links.items():
        path = work / name
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    git = ["git", "-c", "user.name=mallory", "-c", "user.email=m@example.org"]
    subprocess.run([*git, "add", "-A"], cwd=work, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "links"], cwd=work, check=True)
    subprocess.run([*git, "push", "-q", "origin", "HEAD:main"], cwd=work, check=True)
    line = refused(who, "sync repository")
    assert "root:" not in line


def test_free_text_with_control_characters_arrives_cleaned(ada, tmp_path: Path) -> None:
    who, story = ada
    note = "clear\x1b[2J screen \u202eevil\u202c and \x07bell"
    push(who.remote, tmp_path, {f"layers/ben/{story}.jsonl": line_of(annotation(story, "ben", note=note))})
    who.sync()
    with who.store() as store:
        [arrived] = [a for a in store.annotations() if a.annotator == "ben"]
    assert not any(c in arrived.note for c in "\x1b\x07\u202e\u202c") and "screen" in arrived.note


def test_a_broken_registry_changed_on_both_sides_stops_the_merge_cleanly(ada, tmp_path: Path) -> None:
    who, _story = ada
    push(who.remote, tmp_path, {"registry/actors.jsonl": b'{"id":"a"}\n\x1b[2J{broken\n'})
    who.ok("actor", "Karahan", "--note", "governor")  # a change here too: git runs the merge driver
    line = refused(who, "the merge with", "the library is unchanged")
    assert "wiredesk merge driver: registry/actors.jsonl line 2 is not a JSON record" in line
    repo = who.data / "sync" / "repo"
    assert not (repo / ".git" / "MERGE_HEAD").exists()  # the merge was undone


def test_conflicts_from_the_repository_are_shown_terminal_safe(ada, tmp_path: Path) -> None:
    who, story = ada
    evil = "\x1b]52;c;cGF5bG9hZA==\x07 \u202eevil\u202c \x1b[2J"
    conflict = {
        "id": "c" * 32,
        "file": f"layers/ben/{story}.jsonl\x1b[1A",
        "record": "r\x1b[31m",
        "base": None,
        "ours": {"id": "x", "name": evil, "aliases": [evil]},
        "theirs": {"id": "x", "kind": "quote", "exact": evil, "note": evil},
        "ours_by": evil,
        "theirs_by": evil,
        "found": evil,
    }
    push(who.remote, tmp_path, {"conflicts.jsonl": line_of(conflict)})
    who.sync()
    status = "\n".join(who.ok("sync", "--status"))
    assert "open conflicts: 1" in status
    assert not any(c in status for c in "\x1b\x07\u202e\u202c")
    with who.store() as store:
        [kept] = store.sync.conflicts
    shown = str(conflict_text(kept))
    assert "evil" in shown and not any(c in shown for c in "\x1b\x07\u202e\u202c")


@pytest.mark.parametrize(
    "name", ["ev\\u001b[2Jil", "../../etc", "b\\u202eidi", "a/b"], ids=["escape", "dots", "bidi", "slash"]
)
def test_a_hostile_annotator_name_in_the_config_is_refused(tmp_path: Path, data_dir: Path, name: str) -> None:
    who = Annotator("x", tmp_path, bare_repo(tmp_path / "team.git"))
    (who.config / "wiredesk" / "config.toml").write_text(f'annotator = "{name}"\n', encoding="utf-8")
    line = assert_user_error(who.run("sync", "--remote", str(who.remote)), "cannot name a layer folder")
    assert not any(c in line for c in "\x1b\u202e")
    assert not (tmp_path / "etc").exists()


def test_a_hostile_email_in_the_config_is_not_used(ada, tmp_path: Path) -> None:
    who, story = ada
    config = who.config / "wiredesk" / "config.toml"
    config.write_text('annotator = "ada"\nemail = "x>\\nAuthor: evil <e@x"\n', encoding="utf-8")
    who.ok("annotate", story, "--kind", "actor", "--text", "Fatih Karahan", "--actor", "Karahan")
    who.sync()
    repo = who.data / "sync" / "repo"
    author = subprocess.run(["git", "log", "-1", "--format=%an <%ae>"], cwd=repo, capture_output=True, text=True)
    assert author.stdout.strip() == "ada <ada@wiredesk>"


@pytest.mark.parametrize(
    "content", [b"\x1b[2J{not json", b"[1, 2]", b'{"conflicts": {"a": 1}}'], ids=["junk", "list", "map"]
)
def test_a_damaged_sync_state_is_one_line_and_left_alone(ada, content: bytes) -> None:
    who, _story = ada
    state = who.data / "sync" / "state.json"
    state.write_bytes(content)
    for args in (("sync", "--status"), ("sync",)):
        line = assert_user_error(who.run(*args), "is not a sync state wiredesk wrote")
        assert "\x1b" not in line
    assert state.read_bytes() == content


@pytest.mark.parametrize(
    "remote",
    [
        "--upload-pack=touch /tmp/wiredesk-sync-pwned",
        "",
        "/srv/a\x1b[2J.git",
        "ext::sh -c touch% /tmp/wiredesk-sync-ext-pwned",
    ],
)
def test_a_hostile_remote_is_refused_in_one_line(ada, remote: str) -> None:
    who, _story = ada
    line = assert_user_error(who.run("sync", "--remote", remote))
    assert "\x1b" not in line
    assert not Path("/tmp/wiredesk-sync-pwned").exists() and not Path("/tmp/wiredesk-sync-ext-pwned").exists()


def thread(**changes: object) -> dict[str, object]:
    base = {
        "id": "0e0e0e0e-0000-4000-8000-000000000001",
        "title": "Rates",
        "members": [
            {
                "annotation": "0f0f0f0f-0000-4000-8000-000000000001",
                "status": "asserted",
                "linked": "2026-01-01T00:00:00Z",
            }
        ],
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-01T00:00:00Z",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        ({"id": "0e0e0e0e-0000-4000-8000-000000000001", "name": "not a thread"}, "not one line of text"),
        ({"id": "x\x1b[2J", "title": "Rates"}, "a record that is not a claim thread"),
        (thread(members=["0f0f0f0f-0000-4000-8000-000000000001"]), "member that is not a claim link"),
        (thread(members=[[1, 2]]), "member that is not a claim link"),
        (thread(members=[]), "without its claims"),
        (
            thread(members=[{**thread()["members"][0], "status": "pwned\x1b[2J"}]),  # type: ignore[index]
            "an unknown status",
        ),
        (thread(title="Rates\x1b]0;pwned\x07 \u202eevil"), "title is not one line of text"),
        (thread(unlinked={"x": "yesterday"}), "unlinked claims are not {claim: when}"),
        ({"id": "0e0e0e0e-0000-4000-8000-000000000001", "deleted": "soon\x07"}, "a deleted claim thread"),
    ],
    ids=["not-thread", "bad-id", "member-str", "member-list", "no-members", "status", "title", "unlinked", "tomb"],
)
def test_a_broken_claim_thread_is_refused_and_nothing_arrives(
    ada, tmp_path: Path, record: dict[str, object], fragment: str
) -> None:
    who, story = ada
    push_beside_a_claim(who, story, tmp_path, "registry/threads.jsonl", record)
    line = refused(who, "the sync repository's registry/threads.jsonl holds", fragment)
    assert "pwned" not in line


def test_a_broken_thread_changed_on_both_sides_stops_the_merge_cleanly(ada, tmp_path: Path) -> None:
    who, story = ada
    out = who.ok("annotate", story, "--kind", "claim", "--text", "Tight monetary policy will be maintained")
    who.ok("claims", "link", out[0].split()[2], "--new")
    who.sync()
    with who.store() as store:
        [mine] = store.threads()
    broken = {**mine.to_dict(), "title": "evil\x1b[2J"}
    push(who.remote, tmp_path, {"registry/threads.jsonl": line_of(broken)})
    who.ok("claims", "title", mine.id[:8], "Rates")  # a change here too: git runs the merge driver
    line = refused(who, "the merge with", "the library is unchanged")
    assert "wiredesk merge driver: the sync repository's registry/threads.jsonl holds" in line
