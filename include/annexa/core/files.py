"""Owner-only, atomic writing: the one way the product puts a file on disk.

Annex A identifies children, so everything the product writes under ``ANNEXA_HOME`` and the
output folder is readable by its owner only (folders 0700, files 0600), whatever the umask. A
file is written whole or not at all: the bytes go to a temporary file in the same folder,
which is flushed, fsynced and renamed over the target, so a reader (or a crash) never sees half
a file. Writers that insist on a path of their own (DuckDB's ``COPY``) write, then ``seal``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700
UMASK = 0o077


def owner_only() -> None:
    """The process-wide policy for every entry point that writes (the CLI, each pipeline step,
    the Airflow metadata DB the product creates): whatever a library writes by itself (DuckDB,
    SQLite, Airflow's logs) is born owner-only too, not just what goes through this module."""
    os.umask(UMASK)


def private_dir(path: Path | str) -> Path:
    """Create a folder (and its parents) readable by the owner only; return it."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


@contextlib.contextmanager
def private_file(
    path: Path | str, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = ""
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing through an owner-only temporary file that replaces it only
    when the block ends without error (``mode`` "w" for text, "wb" for bytes)."""
    if mode not in ("w", "wb"):
        raise ValueError(f"private_file writes whole files: mode 'w' or 'wb', not {mode!r}")
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        kwargs: dict[str, Any] = {} if mode == "wb" else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, data: bytes) -> Path:
    with private_file(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_text(path: Path | str, text: str) -> Path:
    """UTF-8, no BOM, newlines as given."""
    with private_file(path, "w") as f:
        f.write(text)
    return Path(path)


def write_json(path: Path | str, doc: Any, *, indent: int | None = 2, **kwargs: Any) -> Path:
    with private_file(path, "w") as f:
        json.dump(doc, f, indent=indent, **kwargs)
    return Path(path)


def seal(path: Path | str) -> Path:
    """Make a file, or a folder and everything under it, owner-only (for files written by
    a library that takes a path, such as DuckDB's ``COPY ... TO``)."""
    path = Path(path)
    if path.is_dir():
        for p in path.rglob("*"):
            os.chmod(p, DIR_MODE if p.is_dir() else FILE_MODE)
        os.chmod(path, DIR_MODE)
    else:
        os.chmod(path, FILE_MODE)
    return path


def fsync_tree(folder: Path | str) -> None:
    """Flush every file under ``folder`` and the folder itself to disk."""
    folder = Path(folder)
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    dfd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (snapshots and releases are large)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def folder_lock(
    folder: Path | str, note: Callable[[str], None] | None = None, what: str = "this folder"
) -> Iterator[None]:
    """An exclusive lock on ``folder`` (its ``.lock`` file, owner-only) while the block runs:
    two processes holding it never interleave (``note`` hears when one waits for the other)."""
    folder = private_dir(folder)
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if note:
                note(f"another run holds {what}; waiting for it")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
