"""Synthetic CMS basics: the contract's exact shape, determinism, nothing after the as-at date."""

import datetime as dt

import sqlalchemy as sa

from annexa.source.contract import TABLES
from annexa.source.synthetic import generate

AS_AT = dt.date(2026, 3, 31)
EVENT_DATES = {
    "ssd_contacts": "cont_contact_date",
    "ssd_cin_episodes": "cine_referral_date",
    "ssd_cin_assessments": "cina_assessment_start_date",
    "ssd_s47_enquiry": "s47e_s47_start_date",
    "ssd_cp_plans": "cppl_cp_plan_start_date",
    "ssd_cla_episodes": "clae_cla_episode_start_date",
    "ssd_cla_visits": "clav_cla_visit_date",
}


def _dump(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        return {
            t.name: sorted(map(tuple, c.execute(sa.text(f"select * from {t.name}"))), key=repr)
            for t in TABLES
        }


def test_small_cms_shape_determinism_and_as_at(tmp_path):
    url_a, url_b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    counts = generate(url_a, scale="small", seed=3, as_at=AS_AT)
    generate(url_b, scale="small", seed=3, as_at=AS_AT)
    insp = sa.inspect(sa.create_engine(url_a))
    for t in TABLES:
        assert [c["name"] for c in insp.get_columns(t.name)] == t.column_names, t.name
    assert counts["ssd_contacts"] > 5_000 and counts["ssd_cla_episodes"] > 100
    assert _dump(url_a) == _dump(url_b)  # same seed, same tables
    with sa.create_engine(url_a).connect() as c:
        for table, col in EVENT_DATES.items():
            later = c.execute(
                sa.text(f"select count(*) from {table} where {col} > :a"), {"a": AS_AT}
            ).scalar_one()
            assert later == 0, table
        for t in TABLES:
            dupes = c.execute(
                sa.text(f"select count(*) - count(distinct {t.key}) from {t.name}")
            ).scalar_one()
            assert dupes == 0, t.name


def test_background_writer_writes_in_order_and_raises_its_errors(tmp_path):
    """The generator's writer thread writes batches in the order given, and an error in that
    thread (here a table that does not exist) reaches the caller instead of being lost."""
    import pytest

    from annexa.source.synthetic.io import BackgroundWriter, recreate

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    md = recreate(engine, messy=False)
    w = BackgroundWriter(engine, md, depth=1)
    w.write_batch([("ssd_department", [("1", "A", None, None)])])
    w.write_batch([("ssd_department", [("2", "B", "1", "A"), ("3", "C", "1", "A")])])
    w.close()
    with engine.connect() as c:
        got = c.execute(sa.text("select * from ssd_department order by rowid")).all()
    assert [r[0] for r in got] == ["1", "2", "3"]
    w = BackgroundWriter(engine, md, depth=1)
    w.write_batch([("no_such_table", [("1",)])])
    with pytest.raises(KeyError):
        w.close()
    engine.dispose()
