"""Issue 14.2: a CMS that cannot be reached, refuses the login or times out fails the extract
with a message naming the connection id (never the password), after the extract's retries, and
leaves no snapshot behind (so nothing can be built or published). Real PostgreSQL."""

import pytest
import sqlalchemy as sa
from conftest import PG_URL

from annexa.pipeline import SourceUnavailable, extract_step, resolve_run

PASSWORD = "s3cr3t-pw"


def _url(**changes) -> str:
    u = sa.engine.make_url(PG_URL).set(password=PASSWORD, **changes)
    return u.render_as_string(hide_password=False)


def _cfg(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    return resolve_run(
        {"as_at": "2026-03-31", "la_code": "996", "out_dir": str(tmp_path / "out")},
        run_id="manual__unavailable",
    )


def _fails(cfg, url) -> str:
    with pytest.raises(SourceUnavailable) as info:
        extract_step(cfg, url)
    msg = str(info.value)
    assert "'annexa_cms'" in msg and PASSWORD not in msg
    assert info.value.__cause__ is None and info.value.__suppress_context__
    snaps = tmp_snapshots(cfg)
    assert not snaps.exists() or not any(snaps.iterdir())  # no snapshot, not even a partial
    return msg


def tmp_snapshots(cfg):
    from pathlib import Path

    return Path(cfg["out_dir"]).parent / "home" / "snapshots" / cfg["la_code"] / cfg["as_at"]


def test_unreachable_port(tmp_path, monkeypatch):
    msg = _fails(_cfg(tmp_path, monkeypatch), _url(port=5999))
    assert "OperationalError" in msg and "5999" in msg


def test_a_role_that_does_not_exist(tmp_path, monkeypatch):
    msg = _fails(_cfg(tmp_path, monkeypatch), _url(username="no_such_role_h8"))
    assert "no_such_role_h8" in msg and "does not exist" in msg


def test_connect_timeout(tmp_path, monkeypatch):
    # 10.255.255.1 is not routed: the connection attempt hangs until connect_timeout
    url = _url(host="10.255.255.1", query={"connect_timeout": "1"})
    msg = _fails(_cfg(tmp_path, monkeypatch), url)
    assert "OperationalError" in msg


def test_statement_timeout_is_retried_then_fails(tmp_path, monkeypatch):
    """A table locked by another session: every read of it hits statement_timeout; the extract
    retries it (3 retries) and then fails naming the table and the connection."""
    from annexa.source.synthetic import generate

    generate(PG_URL, scale="small", seed=3, as_at=__import__("datetime").date(2026, 3, 31))
    locker = sa.create_engine(PG_URL)
    conn = locker.connect()
    conn.execute(sa.text("begin"))
    conn.execute(sa.text("lock table ssd_person in access exclusive mode"))
    try:
        url = _url(query={"options": "-c statement_timeout=300"})
        msg = _fails(_cfg(tmp_path, monkeypatch), url)
        assert "ssd_person" in msg and "after 4 attempts" in msg
    finally:
        conn.execute(sa.text("rollback"))
        conn.close()
        locker.dispose()
