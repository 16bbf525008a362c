"""Atomic, owner-only publication (write aside, then swap a symlink): the one publisher of the
returns and of the intelligence packs.

Layout under the output folder (a pack's is the same under ``<out>/<la>/packs/``)::

    <out>/<la>/<as-at>          -> .releases/<as-at>__<run-key>   (symlink, swapped atomically)
    <out>/<la>/latest           -> <as-at>                        (the newest as-at published)
    <out>/<la>/.releases/...       complete release folders
    <out>/<la>/.lock               held while publishing: two runs for one LA never interleave

A release folder is filled completely (and fsynced) before one ``rename`` of a symlink makes it
visible, so a crash at any moment leaves either the old release or the new one, never a mix and
never a moment with none. Re-publishing a date replaces it wholesale. ``latest`` follows the
newest as-at date, so a backfill of an old date never hides the current one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from annexa.core.files import folder_lock, fsync_tree, private_dir, seal

RELEASES = ".releases"
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class PublishError(RuntimeError):
    pass


@contextlib.contextmanager
def la_lock(la_dir: Path, timeout_note: Callable[[str], None] | None = None) -> Iterator[None]:
    """Exclusive lock per LA, so two publications never interleave their files."""
    with folder_lock(la_dir, timeout_note, "this LA's publishing lock"):
        yield


def _swap_symlink(link: Path, target: str) -> None:
    tmp = link.parent / f".{link.name}.swap"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} exists and is not a published return; refusing to replace")
    os.replace(tmp, link)  # atomic on POSIX


def published_dates(la_dir: Path) -> list[dt.date]:
    out = []
    for p in la_dir.iterdir() if la_dir.is_dir() else []:
        try:
            d = dt.date.fromisoformat(p.name)
        except ValueError:
            continue
        if p.is_symlink() and p.resolve().is_dir():
            out.append(d)
    return sorted(out)


def _collect_garbage(la_dir: Path) -> None:
    """Remove release folders no symlink points at (left by replaced dates or crashes)."""
    releases = la_dir / RELEASES
    if not releases.is_dir():
        return
    live = {p.resolve() for p in la_dir.iterdir() if p.is_symlink()}
    for r in releases.iterdir():
        if r.resolve() not in live:
            shutil.rmtree(r, ignore_errors=True)


def release(
    base: Path,
    name: str,
    run_key: str,
    write: Callable[[Path], None],
    *,
    lock_dir: Path,
    progress: Callable[[str], None] | None = None,
    crash_hook: Callable[[str], None] | None = None,
) -> Path:
    """Publish ``base/<name>`` (an ISO date): ``write(folder)`` fills a fresh private release
    folder under ``base/.releases``; it is made owner-only and fsynced, then the ``name`` and
    ``latest`` symlinks swap to it, all under the lock of ``lock_dir`` (the LA's folder).

    ``crash_hook`` lets tests stop the process between steps; it is never set in production.
    Returns the public path ``base/<name>``.
    """
    base = private_dir(base)
    hook = crash_hook or (lambda step: None)
    with la_lock(lock_dir, progress):
        releases = private_dir(base / RELEASES)
        stem = f"{name}__{_SAFE.sub('_', run_key)}"
        folder_name, n = stem, 1
        while (releases / folder_name).exists():  # a retry of this run: that one may be live
            n += 1
            folder_name = f"{stem}__{n}"
        folder = releases / folder_name
        private_dir(folder)
        try:
            write(folder)
            seal(folder)
            fsync_tree(folder)
        except BaseException as exc:
            shutil.rmtree(folder, ignore_errors=True)  # never leave a half release behind
            if isinstance(exc, OSError):
                raise PublishError(_write_failed(base, name, exc)) from exc
            raise
        hook("written")
        public = base / name
        _swap_symlink(public, f"{RELEASES}/{folder_name}")
        hook("swapped")
        newest = max(published_dates(base))
        _swap_symlink(base / "latest", newest.isoformat())
        _collect_garbage(base)
    return public


def publish(
    out_root: Path,
    la_code: str,
    as_at: dt.date,
    run_key: str,
    write: Callable[[Path], None],
    *,
    progress: Callable[[str], None] | None = None,
    crash_hook: Callable[[str], None] | None = None,
) -> Path:
    """Publish a return as ``<out>/<la>/<as-at>`` (``release`` in the LA's folder)."""
    if not la_code or _SAFE.search(la_code):
        raise PublishError(f"LA code must be letters, digits, '-', '_' or '.': {la_code!r}")
    la_dir = private_dir(Path(out_root) / la_code)
    return release(
        la_dir,
        as_at.isoformat(),
        run_key,
        write,
        lock_dir=la_dir,
        progress=progress,
        crash_hook=crash_hook,
    )


def _write_failed(base: Path, name: str, exc: OSError) -> str:
    what = (
        "no space left on the device"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
    )
    return (
        f"could not write the release {name} under {base}: {what} "
        f"({type(exc).__name__}, errno {exc.errno}); the partial release was removed and the "
        "previous one is still published"
    )


def latest(out_root: Path, la_code: str) -> Path | None:
    link = Path(out_root) / la_code / "latest"
    return link if link.is_symlink() and link.resolve().is_dir() else None
