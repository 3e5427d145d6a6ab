"""The `git` command, run without a shell: a bounded time, no terminal prompt (the user's SSH keys, agent and
credential helpers work as they do for git itself), and every failure as one clean line (`SyncError`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from stories.text import clean_line

__all__ = ["LOCAL_TIMEOUT", "NETWORK_TIMEOUT", "Git", "SyncError"]

#: Seconds a git command that talks to the remote (clone, fetch, push) may take; any other command.
NETWORK_TIMEOUT = 300.0
LOCAL_TIMEOUT = 120.0
#: The longest message a failure carries from git's own error output.
MAX_MESSAGE = 240


#: Variables that would point git at another repository or index than the working copy's (set inside a git hook).
_REDIRECTING = frozenset(
    {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_NAMESPACE"}
)


class SyncError(Exception):
    """A sync that cannot go on; the message is one line, fit for the user, saying what to do."""

    def __init__(self, message: str) -> None:
        line = clean_line(message)
        super().__init__(line if len(line) <= MAX_MESSAGE * 2 else line[: MAX_MESSAGE * 2 - 1] + "…")


def _gist(output: bytes) -> str:
    """The telling line of git's error output: the last `fatal:`/`error:` line, else the last line."""
    lines = [clean_line(line) for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    told = [line for line in lines if line.startswith(("fatal:", "error:", "remote:", "!"))]
    gist = re.sub(r"(://)[^/@\s'\"]*@", r"\1", (told or lines or ["(no message)"])[-1])  # no token shown
    return gist if len(gist) <= MAX_MESSAGE else gist[: MAX_MESSAGE - 1] + "…"


class Git:
    """git commands in the working copy `repo`."""

    def __init__(self, repo: Path, env: Mapping[str, str] | None = None) -> None:
        self.repo = repo
        exe = shutil.which("git")
        if exe is None:
            raise SyncError("git is not installed (or not on PATH): sync runs the git command")
        self.exe = exe
        inherited = {k: v for k, v in os.environ.items() if k not in _REDIRECTING}
        self.env = {
            **inherited,
            "GIT_TERMINAL_PROMPT": "0",  # never wait for a password on a terminal the user cannot see
            "GIT_MERGE_AUTOEDIT": "no",
            "LC_ALL": "C",
            **(env or {}),
        }

    def run(
        self,
        *args: str,
        what: str = "",
        network: bool = False,
        check: bool = True,
        data: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git args…` in the working copy; SyncError ("git fetch failed: …") unless it succeeds (`check`)."""
        label = what or f"git {args[0]}"
        extra = dict(env or {})
        if network:
            extra |= self._batch_ssh()
        try:
            done = subprocess.run(
                [self.exe, *args],
                cwd=self.repo,
                env={**self.env, **extra},
                input=data,
                stdin=None if data is not None else subprocess.DEVNULL,
                capture_output=True,
                timeout=NETWORK_TIMEOUT if network else LOCAL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SyncError(f"{label} took longer than {NETWORK_TIMEOUT if network else LOCAL_TIMEOUT:.0f} s") from None
        except OSError as exc:
            raise SyncError(f"{label} could not run: {exc.strerror or exc}") from None
        if check and done.returncode != 0:
            raise SyncError(f"{label} failed: {_gist(done.stderr or done.stdout)}")
        return done

    def _batch_ssh(self) -> dict[str, str]:
        """ssh without questions on the terminal (a host key to confirm, a passphrase: the agent has the keys),
        unless the user chose their own ssh command (GIT_SSH_COMMAND, GIT_SSH or core.sshCommand)."""
        if "GIT_SSH_COMMAND" in self.env or "GIT_SSH" in self.env:
            return {}
        if self.run("config", "--get", "core.sshCommand", check=False).returncode == 0:
            return {}
        return {"GIT_SSH_COMMAND": "ssh -o BatchMode=yes"}

    def out(self, *args: str, what: str = "") -> str:
        """The output of a git command, as text without the final newline."""
        return self.run(*args, what=what).stdout.decode("utf-8", "replace").rstrip("\n")

    def ok(self, *args: str) -> bool:
        """Whether a git command succeeds (for questions: does this ref exist?)."""
        return self.run(*args, check=False).returncode == 0

    def blobs(self, commit: str, paths: Sequence[str]) -> dict[str, bytes]:
        """The contents of `paths` (those of them in `commit`'s tree) as they are in `commit`, in one git call."""
        if not paths:
            return {}
        request = b"".join(f"{commit}:{p}\n".encode() for p in paths)
        raw = self.run("cat-file", "--batch", data=request).stdout
        out: dict[str, bytes] = {}
        pos = 0
        for path in paths:
            end = raw.index(b"\n", pos)
            header = raw[pos:end].split()
            pos = end + 1
            if len(header) != 3 or header[1] != b"blob":
                continue  # "missing", or not a file
            size = int(header[2])
            out[path] = raw[pos : pos + size]
            pos += size + 1
        return out

    def files(self, commit: str, *prefixes: str) -> list[str]:
        """The paths of the files under `prefixes` in `commit`'s tree."""
        raw = self.run("ls-tree", "-r", "-z", "--name-only", commit, "--", *prefixes).stdout
        return [p.decode("utf-8", "surrogateescape") for p in raw.split(b"\0") if p]
