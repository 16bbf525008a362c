"""Atomic publication: complete swaps, owner-only files, `latest`, and crashes mid-publish."""

import datetime as dt
import os
import stat

import pytest

from annexa.publish.publisher import PublishError, latest, publish

D = dt.date


def _writer(text: str):
    def write(folder):
        (folder / "annex.txt").write_text(text)
        (folder / "manifest.json").write_text("{}")

    return write


def test_publish_makes_owner_only_files_and_moves_latest(tmp_path):
    public = publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("march"))
    assert (public / "annex.txt").read_text() == "march"
    assert stat.S_IMODE(os.stat(public.resolve()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(public / "annex.txt").st_mode) == 0o600
    assert latest(tmp_path, "999").resolve() == public.resolve()


def test_republishing_a_date_replaces_it_wholesale(tmp_path):
    publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("first"))
    public = publish(
        tmp_path, "999", D(2026, 3, 31), "run2", lambda f: (f / "other.txt").write_text("second")
    )
    assert sorted(p.name for p in public.iterdir()) == ["other.txt"]
    assert len(list((tmp_path / "999" / ".releases").iterdir())) == 1


def test_backfilling_an_older_date_keeps_latest_on_the_newest(tmp_path):
    publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("march"))
    publish(tmp_path, "999", D(2025, 12, 31), "run2", _writer("december"))
    assert (latest(tmp_path, "999") / "annex.txt").read_text() == "march"


@pytest.mark.parametrize("step", ["written", "swapped"])
def test_crash_mid_publish_leaves_a_complete_return(tmp_path, step):
    publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("old"))

    def crash(at):
        if at == step:
            raise KeyboardInterrupt(f"simulated crash after {at}")

    with pytest.raises(KeyboardInterrupt):
        publish(tmp_path, "999", D(2026, 3, 31), "run2", _writer("new"), crash_hook=crash)
    text = (tmp_path / "999" / "2026-03-31" / "annex.txt").read_text()
    assert text == ("old" if step == "written" else "new")
    assert (tmp_path / "999" / "2026-03-31" / "manifest.json").exists()


def test_failed_writer_publishes_nothing(tmp_path):
    def broken(folder):
        (folder / "annex.txt").write_text("partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        publish(tmp_path, "999", D(2026, 3, 31), "run1", broken)
    assert not (tmp_path / "999" / "2026-03-31").exists()
    assert latest(tmp_path, "999") is None


def test_la_code_cannot_escape_the_output_folder(tmp_path):
    with pytest.raises(PublishError):
        publish(tmp_path, "../x", D(2026, 3, 31), "r", _writer("x"))


def test_a_pack_is_released_like_a_return_beside_it(tmp_path):
    """The pack's folder is published by the same release(): a symlink into packs/.releases,
    `packs/latest` on the newest, the LA's lock; the return beside it is untouched."""
    from annexa.pack.make import _adopt_unreleased
    from annexa.publish.publisher import release

    ret = publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("return"))
    packs = tmp_path / "999" / "packs"
    legacy = packs / "2026-02-28"  # a pack made before packs were released: a plain folder
    legacy.mkdir(parents=True)
    (legacy / "pack.html").write_text("old")
    _adopt_unreleased(legacy)
    assert legacy.is_symlink() and (legacy / "pack.html").read_text() == "old"
    for key, text in (("k1", "first"), ("k2", "second")):
        public = release(
            packs,
            "2026-03-31",
            key,
            lambda f, t=text: (f / "pack.html").write_text(t),
            lock_dir=tmp_path / "999",
        )
    assert public == packs / "2026-03-31" and public.is_symlink()
    assert (public / "pack.html").read_text() == "second"
    assert os.readlink(packs / "latest") == "2026-03-31"
    assert sorted(p.name for p in (packs / ".releases").iterdir()) == [
        "2026-02-28__unreleased",
        "2026-03-31__k2",  # the replaced release was collected
    ]
    assert stat.S_IMODE(os.stat(public / "pack.html").st_mode) == 0o600
    legacy = packs / "2026-02-28"
    la = tmp_path / "999"
    release(packs, "2026-02-28", "k3", lambda f: (f / "pack.html").write_text("new"), lock_dir=la)
    assert (legacy / "pack.html").read_text() == "new" and os.readlink(packs / "latest") == (
        "2026-03-31"
    )
    assert sorted(p.name for p in ret.iterdir()) == ["annex.txt", "manifest.json"]


def test_a_retry_of_the_same_run_never_deletes_the_live_release(tmp_path):
    """Issue 14.3 (found by the crash harness): a publish retried under the same run key used to
    delete the release its date pointed at before writing the new one, so a kill in between left
    `latest` pointing at a half-deleted folder. Now the retry writes a new folder."""
    publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("first"))
    seen = []

    def write(folder):  # while the retry writes, the published return is still whole
        seen.append((latest(tmp_path, "999") / "annex.txt").read_text())
        _writer("retry")(folder)

    public = publish(tmp_path, "999", D(2026, 3, 31), "run1", write)
    assert seen == ["first"] and (public / "annex.txt").read_text() == "retry"
    assert len(list((tmp_path / "999" / ".releases").iterdir())) == 1  # the old one collected


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_return(tmp_path):
    import errno

    publish(tmp_path, "999", D(2026, 3, 31), "run1", _writer("old"))

    def full(folder):
        (folder / "annex.txt").write_text("partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "book.xlsx"))

    with pytest.raises(PublishError, match="no space left on the device") as err:
        publish(tmp_path, "999", D(2026, 4, 30), "run2", full)
    assert "999" in str(err.value) and "previous one is still published" in str(err.value)
    assert isinstance(err.value.__cause__, OSError)
    assert (latest(tmp_path, "999") / "annex.txt").read_text() == "old"
    assert [p.name for p in (tmp_path / "999" / ".releases").iterdir()] == ["2026-03-31__run1"]
