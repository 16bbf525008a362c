"""Where the product's files live: its assets (sql/, expectations/, dags/) and run data.

The SQL models, expectation suites and DAG files each have one home, at the top of the
repository. The wheel carries copies of them inside the package (``annexa/sql``,
``annexa/expectations``, ``annexa/dags``: hatch ``force-include`` in pyproject.toml), so an
installed product finds them beside this package (the DAG folder through
``annexa.cli.dags_dir()``) and never needs a checkout. In a checkout
(``make install`` is an editable install of ``include/``) there is no such folder inside
``include/annexa``, and the repository's own folders are used, so an edit to a model takes
effect at once. (Hatch also copies the folders into an editable install's site-packages; that
``annexa`` folder has no ``__init__.py``, so the package in ``include/`` wins and the copies are
never read.)
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # include/annexa, or site-packages/annexa
REPO_ROOT = PACKAGE_DIR.parents[1]  # the checkout (meaningless for an installed wheel)


def _asset_dir(name: str) -> Path:
    bundled = PACKAGE_DIR / name
    return bundled if bundled.is_dir() else REPO_ROOT / name


def sql_dir() -> Path:
    return _asset_dir("sql")


def expectations_dir() -> Path:
    return _asset_dir("expectations")


def annexa_home() -> Path:
    """Root for snapshots, run folders and (by default) published returns: $ANNEXA_HOME."""
    return Path(os.environ.get("ANNEXA_HOME", Path.home() / ".annexa")).expanduser().resolve()


def default_output_dir() -> Path:
    env = os.environ.get("ANNEXA_OUTPUT_DIR")
    return Path(env).expanduser().resolve() if env else annexa_home() / "published"
