"""Fingerprint a CMS database table by table: row count and a hash of its rows in canonical order.

Used to show that a change to the synthetic generator changes no output (issue 13): generate the
same scale, seed and as-at date before and after, then compare the two fingerprints. Rows are
read through SQLAlchemy, each value rendered canonically (NULL, ISO dates, repr of floats), and
the rendered rows sorted before hashing, so the physical order of rows does not matter but every
value does. Prints table names, counts and hashes only, never row contents.

    python scripts/cms_fingerprint.py URL [OTHER_URL]

With two URLs it prints the tables that differ (or exist on one side only) and exits 1 if any do.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import sys
from typing import Any

import sqlalchemy as sa


def _canon(v: Any) -> str:
    """One value as text that is equal exactly when the values are equal (type-aware)."""
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "b" + str(int(v))
    if isinstance(v, dt.datetime):
        return "t" + v.isoformat()
    if isinstance(v, dt.date):
        return "d" + v.isoformat()
    if isinstance(v, float):
        return "f" + repr(v)
    if isinstance(v, int | decimal.Decimal):
        return "n" + str(v)
    if isinstance(v, bytes):
        return "x" + v.hex()
    return "s" + str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of the sorted canonical rows)} for every table at ``url``."""
    engine = sa.create_engine(url)
    try:
        md = sa.MetaData()
        md.reflect(engine)
        out: dict[str, tuple[int, str]] = {}
        with engine.connect() as conn:
            for name in sorted(md.tables):
                table = md.tables[name]
                cols = sorted(table.columns, key=lambda c: c.name)
                header = "\t".join(c.name for c in cols)
                rows = sorted(
                    "\t".join(_canon(v) for v in r) for r in conn.execute(sa.select(*cols))
                )
                h = hashlib.sha256(header.encode())
                for line in rows:
                    h.update(b"\n")
                    h.update(line.encode())
                out[name] = (len(rows), h.hexdigest())
        return out
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: cms_fingerprint.py URL [OTHER_URL]", file=sys.stderr)
        return 2
    first = fingerprint(argv[0])
    if len(argv) == 1:
        for name, (n, digest) in first.items():
            print(f"{name}\t{n}\t{digest}")
        return 0
    second = fingerprint(argv[1])
    differ = [
        name for name in sorted(first.keys() | second.keys()) if first.get(name) != second.get(name)
    ]
    for name in differ:
        a, b = first.get(name), second.get(name)
        left = f"{a[0]} rows {a[1][:12]}" if a else "missing"
        right = f"{b[0]} rows {b[1][:12]}" if b else "missing"
        print(f"DIFFERS {name}: {left} vs {right}")
    same = sum(1 for name in first if first[name] == second.get(name))
    print(f"{len(differ)} table(s) differ, {same} identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
