"""Whole-CMS properties of the lists, on the synthetic CMS (issue 3, deliverables 2 and 3).

* As at a past date D, a CMS that has run on to today and the same CMS rewound to D (everything
  after D removed, see ``rewind.py``) give the same rows and the same event-dated columns: nothing
  that happened after D leaks into a list built as at D (annex_a.md §3.3, D3).
* The ``messy`` CMS (CMS descriptions, placeholders, non-joining worker ids) read through its
  shipped mapping gives exactly the lists of the clean CMS from the same seed.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annexa import reference
from annexa.core.dates import Windows
from annexa.source.extract import extract
from annexa.source.synthetic import generate
from annexa.transform.mapping import load_mapping
from annexa.transform.runner import build
from golden.rewind import rewind

pytestmark = pytest.mark.golden

TODAY = dt.date(2026, 11, 23)
D = dt.date(2026, 3, 31)
SEED = 11
MESSY_MAPPING = Path(reference.__file__).parent / "mappings" / "synthetic_messy.yaml"


def _lists(url: str, folder: Path, as_at: dt.date, mapping=None) -> dict[int, list[dict]]:
    snap = extract(url, folder / "snapshot")
    result = build(
        snap,
        folder / "work",
        Windows.for_date(as_at),
        la_code="999",
        la_name="Synthshire",
        version="later",
        mapping=load_mapping(mapping),
    )
    return {n: pq.read_table(p).to_pylist() for n, p in result.lists.items()}


@pytest.fixture(scope="module")
def cms_to_today(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("today") / "cms.db"
    generate(f"sqlite:///{db}", scale="small", seed=SEED, as_at=TODAY)
    return db


@pytest.fixture(scope="module")
def lists_to_today(cms_to_today, tmp_path_factory):
    return _lists(f"sqlite:///{cms_to_today}", tmp_path_factory.mktemp("built_today"), D)


def _event_columns(n: int) -> list[str]:
    """The columns a list fills from events and their dates: dates and counts."""
    return [c.key for c in reference.list_spec(n, "later").columns if c.type in ("date", "integer")]


def test_nothing_after_the_as_at_date_leaks(cms_to_today, lists_to_today, tmp_path):
    rewound = tmp_path / "rewound.db"
    shutil.copy(cms_to_today, rewound)
    deleted = rewind(f"sqlite:///{rewound}", D)
    assert deleted["ssd_contacts"] > 1_000  # eight months of contacts really were removed

    at_d = _lists(f"sqlite:///{rewound}", tmp_path / "built", D)
    assert set(at_d) == set(lists_to_today)
    for n, rows in lists_to_today.items():
        cols = _event_columns(n)
        full = {r["_record_id"]: {c: r[c] for c in cols} for r in rows}
        cut = {r["_record_id"]: {c: r[c] for c in cols} for r in at_d[n]}
        assert full.keys() == cut.keys(), f"List {n}: rows differ"
        diffs = [
            (k, c, full[k][c], cut[k][c]) for k in full for c in cols if full[k][c] != cut[k][c]
        ]
        assert not diffs, f"List {n}: {len(diffs)} leaked values, e.g. {diffs[:3]}"
    assert len(lists_to_today[1]) > 1_000 and len(lists_to_today[3]) > 100


def test_messy_cms_with_its_mapping_gives_the_clean_lists(lists_to_today, tmp_path):
    url = f"sqlite:///{tmp_path / 'messy.db'}"
    generate(url, scale="small", seed=SEED, as_at=TODAY, messy=True)
    messy = _lists(url, tmp_path / "built", D, mapping=MESSY_MAPPING)
    assert set(messy) == set(lists_to_today)
    for n, clean_rows in lists_to_today.items():
        cols = [c.key for c in reference.list_spec(n, "later").columns]
        clean = [tuple(r[c] for c in cols) for r in clean_rows]
        got = [tuple(r[c] for c in cols) for r in messy[n]]
        assert len(got) == len(clean), f"List {n}: {len(got)} rows, clean has {len(clean)}"
        diffs = [(i, a, b) for i, (a, b) in enumerate(zip(got, clean, strict=True)) if a != b]
        assert not diffs, f"List {n}: {len(diffs)} rows differ, first {diffs[:1]}"
