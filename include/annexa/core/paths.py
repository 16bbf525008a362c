"""Where the product's files live: repository folders (sql/, expectations/) and run data.

SQL and expectation suites live at the top of the repository (one concept, one home); the
installs this project makes (`make`, CI) are editable and find them there. A package folder of
the same name (``annexa/sql``, ``annexa/expectations``) would win, for a packaged install that
copies them in; the wheel built from pyproject.toml does not do that yet.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # include/annexa
REPO_ROOT = PACKAGE_DIR.parents[1]


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
