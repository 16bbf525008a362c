"""Small helpers for the DAG files and for running inside Airflow tasks (``source_url`` is
imported lazily, inside tasks only)."""

from __future__ import annotations

from typing import Any

_SCHEMES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mssql": "mssql+pyodbc",
    "sqlite": "sqlite",
    "mysql": "mysql+pymysql",
}


def source_url(conn_id: str) -> str:
    """The CMS's SQLAlchemy URL from an Airflow connection (``AIRFLOW_CONN_<ID>`` works too).

    ``extra.sqlalchemy_url`` wins (any dialect, e.g. ``sqlite:////data/cms.db``); otherwise the
    connection's own URI with its scheme turned into a SQLAlchemy driver name.
    """
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # noqa: BLE001 - Airflow raises its own not-found type
        raise RuntimeError(
            f"Airflow connection {conn_id!r} is not defined: create it, or set "
            f"AIRFLOW_CONN_{conn_id.upper()} (see README, 'Connecting to your CMS')"
        ) from exc
    url = (conn.extra_dejson or {}).get("sqlalchemy_url")
    if url:
        return str(url)
    uri = conn.get_uri()
    scheme, _, rest = uri.partition("://")
    return f"{_SCHEMES.get(scheme, scheme)}://{rest}"


def is_backfill(dag_run: object) -> bool:
    """Whether a DAG run belongs to an ``airflow backfill create`` (run type ``backfill``; the
    task SDK's run type is a str enum, so its value is compared, never its name)."""
    kind = getattr(dag_run, "run_type", None)
    return getattr(kind, "value", kind) == "backfill"


def default_args(retry_minutes: int = 5) -> dict[str, Any]:
    """Every DAG's task defaults: owned by the data team, two retries ``retry_minutes`` apart,
    and after the last retry a data-free summary by SMTP or webhook (``annexa_notify``)."""
    import pendulum

    from annexa.notify import AnnexaFailureNotifier

    return {
        "owner": "data-team",
        "retries": 2,
        "retry_delay": pendulum.duration(minutes=retry_minutes),
        "on_failure_callback": AnnexaFailureNotifier(),
    }
