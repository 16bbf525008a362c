"""
### Statutory returns: CIN census and SSDA903, checked by DfE's rules

Monthly (and on demand, with `year` and `reference_date`), the CMS is snapshotted and the
Children in Need census XML and the SSDA903 CSVs are built from it with the SQL in
`sql/returns/`, then checked with DfE's validation rules as data-to-insight publish them
(`csc-validator-be-cin`, `csc-validator-be-903`, in their own environment). They are published
beside Annex A, under `<out>/<la>/returns/<year>/`, only when no rule finds an error; Annex A's
publication never depends on them. See docs/statutory_returns.md.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

from annexa.airflow_support import default_args


@dag(
    dag_id="statutory_returns",
    schedule=CronDataIntervalTimetable("0 3 1 * *", timezone="Europe/London"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["cin-census", "ssda903", "dfe"],
    default_args=default_args(),
    params={
        "year": Param(
            None,
            type=["null", "integer"],
            minimum=2020,
            description="Collection year by its 31 March (2026 = 2025/26); empty = current",
        ),
        "reference_date": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Census reference date YYYY-MM-DD; empty = 31 March of the year",
        ),
        "la_code": Param(None, type=["null", "string"], description="LA code (ANNEXA_LA_CODE)"),
        "la_name": Param(None, type=["null", "string"], description="LA name"),
        "out_dir": Param(None, type=["null", "string"], description="Output folder"),
        "source_conn_id": Param("annexa_cms", type="string"),
        "mapping": Param(None, type=["null", "string"], description="LA code-mapping YAML"),
    },
)
def statutory_returns():
    @task
    def configure() -> dict:
        from annexa.pipeline import returns_config

        ctx = get_current_context()
        dr = ctx["dag_run"]
        return returns_config(
            dict(ctx["params"]),
            run_id=dr.run_id,
            data_interval_start=ctx.get("data_interval_start"),
            run_after=getattr(dr, "run_after", None),
        )

    @task
    def extract(cfg: dict) -> dict:
        from annexa.airflow_support import source_url
        from annexa.pipeline import extract_step

        return extract_step(cfg, source_url(cfg["source_conn_id"]))

    @task
    def build(cfg: dict, snap: dict) -> dict:
        from annexa.pipeline import returns_build_step

        return returns_build_step(cfg, snap["snapshot"])

    @task(retries=0)
    def validate(cfg: dict, built: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from annexa.pipeline import ValidationFailed, returns_validate_step

        try:
            return returns_validate_step(cfg, built)
        except ValidationFailed as exc:
            get_current_context()["ti"].xcom_push(key="validation", value=exc.summary_path)
            raise AirflowFailException(str(exc)) from None

    @task
    def publish(cfg: dict, built: dict, checked: dict) -> dict:
        from annexa.pipeline import returns_publish_step

        return returns_publish_step(cfg, built, checked)

    cfg = configure()
    snap = extract(cfg)
    built = build(cfg, snap)
    checked = validate(cfg, built)
    publish(cfg, built, checked)


statutory_returns()
