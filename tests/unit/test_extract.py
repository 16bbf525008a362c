"""Extract: contract checks, bounded chunks, checksums, retries and no half snapshots."""

import datetime as dt
import json
import os
import stat

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from golden.cms import make_cms, person

from annexa.source.contract import TABLES, metadata
from annexa.source.extract import ExtractError, extract, read_manifest, safe_url, verify_snapshot

D = dt.date


def _cms(tmp_path, n_contacts=25):
    return make_cms(
        tmp_path / "src",
        {
            "ssd_person": [person("1"), person("2", D(2019, 1, 2))],
            "ssd_contacts": [
                {
                    "cont_contact_id": str(i),
                    "cont_person_id": "1",
                    "cont_contact_date": D(2026, 1, 1) + dt.timedelta(days=i),
                    "cont_contact_source_code": "3A",
                }
                for i in range(n_contacts)
            ],
        },
    )


def test_snapshot_has_every_table_in_chunks_with_manifest(tmp_path):
    url = _cms(tmp_path)
    snap = extract(url, tmp_path / "snap", chunk_rows=10)
    m = read_manifest(snap)
    assert set(m["tables"]) == {t.name for t in TABLES}
    assert m["tables"]["ssd_contacts"]["rows"] == 25
    assert len(m["tables"]["ssd_contacts"]["files"]) == 3  # 10 + 10 + 5: bounded chunks
    t = pq.read_table(snap / "ssd_contacts").sort_by("cont_contact_id")
    assert t.column("cont_contact_date").type == "date32[day]"
    assert stat.S_IMODE(os.stat(snap).st_mode) == 0o700
    verify_snapshot(snap)


def test_manifest_hides_the_password():
    assert safe_url("postgresql+psycopg://u:s3cret@h/db") == "postgresql+psycopg://u:***@h/db"


def test_missing_table_is_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = sa.create_engine(url)
    md = metadata()
    md.remove(md.tables["ssd_missing"])
    md.create_all(engine)
    with pytest.raises(ExtractError, match="ssd_missing"):
        extract(url, tmp_path / "snap")
    assert not (tmp_path / "snap").exists()
    assert not list(tmp_path.glob(".snap*"))


def test_missing_required_column_is_named_and_optional_read_as_null(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    metadata(omit={"ssd_person": {"pers_legacy_id"}}).create_all(sa.create_engine(url))
    snap = extract(url, tmp_path / "ok")
    assert read_manifest(snap)["tables"]["ssd_person"]["missing_optional"] == ["pers_legacy_id"]
    assert "pers_legacy_id" in pq.read_table(snap / "ssd_person").column_names

    url2 = f"sqlite:///{tmp_path / 'b.db'}"
    metadata(omit={"ssd_contacts": {"cont_contact_date"}}).create_all(sa.create_engine(url2))
    with pytest.raises(ExtractError, match="ssd_contacts.*cont_contact_date"):
        extract(url2, tmp_path / "bad")


def test_dropped_connection_is_retried(tmp_path):
    url = _cms(tmp_path)
    engine = sa.create_engine(url)
    failures = {"left": 2}

    @sa.event.listens_for(engine, "before_cursor_execute")
    def drop(conn, cursor, statement, *args):  # a real error from the driver, injected
        if "ssd_contacts" in statement and failures["left"]:
            failures["left"] -= 1
            raise sa.exc.OperationalError(statement, {}, Exception("server closed connection"))

    snap = extract(url, tmp_path / "snap", engine=engine, retry_wait=0)
    m = read_manifest(snap)
    assert m["tables"]["ssd_contacts"]["rows"] == 25
    assert m["tables"]["ssd_contacts"]["attempts"] == 3


def test_persistent_failure_leaves_no_half_snapshot(tmp_path):
    url = _cms(tmp_path)
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def drop(conn, cursor, statement, *args):
        if "ssd_missing" in statement:
            raise sa.exc.OperationalError(statement, {}, Exception("connection reset"))

    with pytest.raises(ExtractError, match="ssd_missing"):
        extract(url, tmp_path / "snap", engine=engine, retries=1, retry_wait=0)
    assert not (tmp_path / "snap").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["src"]


def test_snapshots_are_immutable(tmp_path):
    url = _cms(tmp_path)
    snap = extract(url, tmp_path / "snap")
    with pytest.raises(ExtractError, match="immutable"):
        extract(url, snap)
    f = (
        snap
        / json.loads((snap / "manifest.json").read_text())["tables"]["ssd_person"]["files"][0][
            "file"
        ]
    )
    os.chmod(f, 0o600)
    f.write_bytes(f.read_bytes()[:-5])
    with pytest.raises(ExtractError, match="changed"):
        verify_snapshot(snap)


def _build_cfg(tmp_path, monkeypatch) -> dict:
    from annexa.pipeline import resolve_run

    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    return resolve_run({"as_at": "2026-03-31", "la_code": "999"}, run_id="tamper")


def test_the_build_refuses_a_snapshot_changed_after_extraction(tmp_path, monkeypatch):
    """verify_snapshot runs before every build: a part rewritten with other rows (same shape,
    so DuckDB would read it happily) fails with a message naming the file and what to do."""
    from annexa.pipeline import RunConfig, build_step

    snap = extract(_cms(tmp_path), tmp_path / "snap")
    part = snap / read_manifest(snap)["tables"]["ssd_person"]["files"][0]["file"]
    rows = pq.read_table(part)
    os.chmod(part, 0o600)
    pq.write_table(rows.slice(0, 1), part)  # a person removed
    cfg = _build_cfg(tmp_path, monkeypatch)
    with pytest.raises(ExtractError) as exc:
        build_step(cfg, str(snap))
    message = str(exc.value)
    assert "was changed after extraction" in message and "ssd_person/part-00000.parquet" in message
    assert "extract again" in message
    assert not (RunConfig(**cfg).work_dir() / "lists").exists()  # nothing was built


def test_the_build_refuses_a_snapshot_with_a_part_added_or_removed(tmp_path, monkeypatch):
    from annexa.pipeline import build_step

    snap = extract(_cms(tmp_path), tmp_path / "snap")
    part = snap / read_manifest(snap)["tables"]["ssd_contacts"]["files"][0]["file"]
    extra = part.with_name("part-00099.parquet")
    extra.write_bytes(part.read_bytes())  # the build would read the contacts twice
    cfg = _build_cfg(tmp_path, monkeypatch)
    with pytest.raises(
        ExtractError, match="files the extract did not write: ssd_contacts/part-00099"
    ):
        build_step(cfg, str(snap))
    extra.unlink()
    os.chmod(part.parent, 0o700)
    part.unlink()
    with pytest.raises(ExtractError, match="ssd_contacts/part-00000.parquet .* is missing"):
        build_step(cfg, str(snap))


def test_arrow_native_reader_writes_the_same_snapshot_as_the_generic_path(tmp_path, monkeypatch):
    """ADBC (issue 10) and SQLAlchemy give the same parts, types, values and manifest counts on a
    SQLite CMS whose untyped columns mix integers, integral and other reals, text, garbage
    dates and numbers, blanks and nulls; and on an empty table."""
    import sqlite3

    from annexa.source.extract import arrow_reader

    url = _cms(tmp_path)
    db = url.removeprefix("sqlite:///")
    con = sqlite3.connect(db)
    hostile = {
        "ssd_contacts": (
            ["cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_code"],
            [
                (1, "1", "2026-01-01", "3A"),
                (2.0, 1, "2026-01-02 10:30:00", 3),
                (3.5, 1.0, "not a date", None),
                ("4", "1", 20260101, ""),
                (None, "1", None, "3A"),
                ("6", " 1 ", "2026-02-30", 4.0),
                ("7", "1", "2026-01-07", "3A"),
            ],
        ),
        "ssd_cla_placement": (
            [
                "clap_cla_placement_id",
                "clap_cla_id",
                "clap_cla_placement_start_date",
                "clap_cla_placement_distance",
            ],
            [
                ("p1", "c1", "2025-01-01", 1.25),
                ("p2", "c1", "2025-02-01", 3),
                ("p3", "c1", "2025-03-01", "2.5"),
                ("p4", "c1", "2025-04-01", "abc"),
                ("p5", "c1", "2025-05-01", ""),
                ("p6", "c1", "2025-06-01", None),
            ],
        ),
        "ssd_adopters": (
            ["adop_adopter_id", "adop_children_placed"],
            [("a1", "4"), ("a2", 4.9), ("a3", "x"), ("a4", ""), ("a5", 2), ("a6", None)],
        ),
    }
    for table, (cols, rows) in hostile.items():
        present = [r[1] for r in con.execute(f'pragma table_info("{table}")')]
        assert set(cols) <= set(present), (table, set(cols) - set(present))
        con.execute(f'drop table "{table}"')
        con.execute(f'create table "{table}" ({", ".join(present)})')  # no types: no affinity
        marks = ", ".join("?" * len(cols))
        con.executemany(f'insert into "{table}" ({", ".join(cols)}) values ({marks})', rows)
    con.execute("delete from ssd_missing")  # an empty table
    con.commit()
    con.close()
    assert arrow_reader(url) == "sqlite"
    fast = extract(url, tmp_path / "adbc", chunk_rows=3)
    monkeypatch.setenv("ANNEXA_EXTRACT_READER", "sqlalchemy")
    assert arrow_reader(url) is None
    slow = extract(url, tmp_path / "generic", chunk_rows=3)
    mf, ms = read_manifest(fast), read_manifest(slow)
    assert (mf["reader"], ms["reader"]) == ("adbc-sqlite", "sqlalchemy")
    for t in TABLES:
        a, b = pq.read_table(fast / t.name), pq.read_table(slow / t.name)
        assert a.schema == b.schema, t.name
        assert a.to_pylist() == b.to_pylist(), t.name
        fa, fb = mf["tables"][t.name], ms["tables"][t.name]
        for k in ("rows", "missing_optional", "unparseable_dates"):
            assert fa[k] == fb[k], (t.name, k)
        assert [f["rows"] for f in fa["files"]] == [f["rows"] for f in fb["files"]], t.name
    contacts = pq.read_table(fast / "ssd_contacts").to_pylist()
    assert [r["cont_contact_id"] for r in contacts] == ["1", "2", "3.5", "4", None, "6", "7"]
    assert [f["rows"] for f in mf["tables"]["ssd_contacts"]["files"]] == [3, 3, 1]
    # "not a date" and 30 February; 20260101 reads as an ISO basic date
    assert mf["tables"]["ssd_contacts"]["unparseable_dates"] == {"cont_contact_date": 2}
    distance = [
        r["clap_cla_placement_distance"]
        for r in pq.read_table(fast / "ssd_cla_placement").to_pylist()
    ]
    assert distance == [1.25, 3.0, 2.5, None, None, None]
    placed = [r["adop_children_placed"] for r in pq.read_table(fast / "ssd_adopters").to_pylist()]
    assert placed == [4, 4, None, None, 2, None]
    assert mf["tables"]["ssd_missing"]["rows"] == 0


def test_text_affinity_columns_read_as_the_generic_path_reads_them(tmp_path, monkeypatch):
    """The ADBC reader skips SQLite's typeof() in a text column of TEXT affinity (VARCHAR,
    TEXT, CLOB...; issue 10): numbers written there are stored as text ("2.0" stays "2.0"), and
    a BLOB or a value that is not UTF-8 still reads as the generic path reads it; a column
    declared INTEGER still has its integral REAL read as the integer's text."""
    import sqlite3

    url = _cms(tmp_path)
    db = url.removeprefix("sqlite:///")
    con = sqlite3.connect(db)
    con.execute("drop table ssd_contacts")
    con.execute(
        "create table ssd_contacts (cont_contact_id varchar(48), cont_person_id text, "
        "cont_contact_date varchar(20), cont_contact_source_code integer)"
    )
    rows = [
        (1, 2.0, "2026-01-01", 3.0),
        (2.0, "1", "2026-01-02", "3A"),
        (3.5, b"caf\xe9", "2026-01-03", 2.5),
        ("4", None, None, None),
        (b"5", "  1 ", "31/01/2026", "x"),
    ]
    con.executemany("insert into ssd_contacts values (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    fast = extract(url, tmp_path / "adbc", chunk_rows=2)
    monkeypatch.setenv("ANNEXA_EXTRACT_READER", "sqlalchemy")
    slow = extract(url, tmp_path / "generic", chunk_rows=2)
    a, b = pq.read_table(fast / "ssd_contacts"), pq.read_table(slow / "ssd_contacts")
    assert read_manifest(fast)["reader"] == "adbc-sqlite"
    assert a.schema == b.schema
    assert a.to_pylist() == b.to_pylist()
    assert a.column("cont_contact_id").to_pylist() == ["1", "2.0", "3.5", "4", "5"]
    assert a.column("cont_person_id").to_pylist() == ["2.0", "1", "café", None, "  1 "]
    assert a.column("cont_contact_source_code").to_pylist() == ["3", "3A", "2.5", None, "x"]
    # (recoded_text is not compared: the generic path does not count a non-UTF-8 BLOB it decodes)
    for k in ("rows", "reformatted_dates", "unparseable_dates"):
        assert (
            read_manifest(fast)["tables"]["ssd_contacts"][k]
            == read_manifest(slow)["tables"]["ssd_contacts"][k]
        ), k
