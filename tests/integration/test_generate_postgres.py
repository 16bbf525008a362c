"""The synthetic CMS written into the real PostgreSQL server (COPY path) matches the SQLite run."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from annexa.source.contract import TABLES
from annexa.source.synthetic import generate

pytestmark = pytest.mark.integration

PG_URL = os.environ.get("ANNEXA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AS_AT = dt.date(2026, 3, 31)
SEED = 5


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[sa.Engine]:
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:  # CI starts it (scripts/ensure-postgres.sh)
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {exc}")
    yield engine
    engine.dispose()


def test_postgres_counts_equal_sqlite_for_the_same_seed(pg_engine: sa.Engine, tmp_path) -> None:
    pg_counts = generate(PG_URL, scale="small", seed=SEED, as_at=AS_AT)
    lite_counts = generate(
        f"sqlite:///{tmp_path / 'cms.db'}", scale="small", seed=SEED, as_at=AS_AT
    )
    assert pg_counts == lite_counts
    with pg_engine.connect() as c:
        for t in TABLES:
            n = c.execute(sa.text(f"SELECT COUNT(*) FROM {t.name}")).scalar_one()
            assert n == pg_counts[t.name], t.name


def test_postgres_types_and_values(pg_engine: sa.Engine) -> None:
    insp = sa.inspect(pg_engine)
    cols = {c["name"]: c["type"] for c in insp.get_columns("ssd_cin_episodes")}
    assert isinstance(cols["cine_referral_date"], sa.Date)
    nfa = cols["cine_referral_nfa"]
    assert isinstance(nfa, sa.String) and nfa.length == 2
    dist = {c["name"]: c["type"] for c in insp.get_columns("ssd_cla_placement")}
    assert isinstance(dist["clap_cla_placement_distance"], sa.Float)
    assert insp.get_pk_constraint("ssd_cin_episodes")["constrained_columns"] == ["cine_referral_id"]
    with pg_engine.connect() as c:
        latest = c.execute(sa.text("SELECT MAX(cine_referral_date) FROM ssd_cin_episodes")).scalar()
        assert latest is not None and latest <= AS_AT


def test_postgres_messy_mode_loads(pg_engine: sa.Engine) -> None:
    """Messy flags (YES/TRUE) need the wider flag columns; COPY must accept every rendering."""
    counts = generate(PG_URL, scale="small", seed=SEED, as_at=AS_AT, messy=True)
    with pg_engine.connect() as c:
        flags = {
            v
            for (v,) in c.execute(
                sa.text("SELECT DISTINCT cine_referral_nfa FROM ssd_cin_episodes")
            )
        }
        n = c.execute(sa.text("SELECT COUNT(*) FROM ssd_contacts")).scalar_one()
    assert {"YES", "TRUE"} & flags and n == counts["ssd_contacts"]
