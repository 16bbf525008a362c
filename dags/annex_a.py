"""
### Annex A: extract → build → validate → publish

Nightly (Europe/London) the CMS is snapshotted, the Ofsted ILACS Annex A lists are built with SQL,
validated with Great Expectations, and published only when they pass, so the latest good return is
always ready. The as-at date is the `as_at` param when given (manual runs and backfills), else the
London day the scheduled data interval covers. Logic lives in the `annexa` package; see README.md.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

from annexa.core.constants import CMS_BUILDS
from annexa.notify import AnnexaFailureNotifier

RETURN_PUBLISHED = Asset(name="annex_a_return", uri="file:///annexa/published/annex_a")


@dag(
    dag_id="annex_a",
    schedule=CronDataIntervalTimetable("0 1 * * *", timezone="Europe/London"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["annex-a", "ofsted"],
    default_args={
        "owner": "data-team",
        "retries": 2,
        "retry_delay": pendulum.duration(minutes=5),
        # after the last retry: a data-free summary by SMTP or webhook (annexa_notify)
        "on_failure_callback": AnnexaFailureNotifier(),
    },
    params={
        "as_at": Param(
            None,
            type=["null", "string"],
            format="date",
            description="As-at date YYYY-MM-DD; empty = the scheduled day",
        ),
        "la_code": Param(None, type=["null", "string"], description="LA code (ANNEXA_LA_CODE)"),
        "la_name": Param(None, type=["null", "string"], description="LA name for the front sheet"),
        "annex_version": Param("later", enum=["later", "2019"]),
        "layout": Param("ofsted", enum=["ofsted", "liia"]),
        "out_dir": Param(None, type=["null", "string"], description="Output folder"),
        "source_conn_id": Param("annexa_cms", type="string"),
        "mapping": Param(None, type=["null", "string"], description="LA code-mapping YAML"),
        "cms": Param(
            None,
            type=["null", "string"],
            enum=[None, *CMS_BUILDS],
            description="CMS build, for its SSD column aliases; empty = the SSD's own names",
        ),
        "waivers": Param(
            None,
            type=["null", "string"],
            description="Waiver YAML (ANNEXA_WAIVERS); see docs/runbook.md",
        ),
    },
)
def annex_a():
    @task(multiple_outputs=False)
    def configure() -> dict:
        from annexa.pipeline import resolve_run

        ctx = get_current_context()
        dr = ctx["dag_run"]
        return resolve_run(
            dict(ctx["params"]),
            run_id=dr.run_id,
            data_interval_start=ctx.get("data_interval_start"),
            run_after=getattr(dr, "run_after", None),
        )

    @task(multiple_outputs=False)
    def extract(cfg: dict) -> dict:
        from annexa.airflow_support import source_url
        from annexa.pipeline import extract_step

        return extract_step(cfg, source_url(cfg["source_conn_id"]))

    @task(multiple_outputs=False)
    def build(cfg: dict, snap: dict) -> dict:
        from annexa.pipeline import build_step

        return build_step(cfg, snap["snapshot"])

    @task(multiple_outputs=False, retries=0)
    def validate(cfg: dict, built: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from annexa.pipeline import ValidationFailed, validate_step

        try:
            return validate_step(cfg, built)
        except ValidationFailed as exc:  # the notifier reads the summary's path from XCom
            get_current_context()["ti"].xcom_push(key="validation", value=exc.summary_path)
            raise AirflowFailException(str(exc)) from None

    @task(multiple_outputs=False, outlets=[RETURN_PUBLISHED])
    def publish(cfg: dict, built: dict, checked: dict, snap: dict) -> dict:
        from annexa.pipeline import publish_step

        result = publish_step(cfg, built, checked, snap)
        # tells the pack DAG (annex_a_pack, scheduled on this asset) which return to pack
        get_current_context()["outlet_events"][RETURN_PUBLISHED].extra = {
            "la_code": cfg["la_code"],
            "as_at": cfg["as_at"],
            "out_dir": cfg["out_dir"],
        }
        return result

    cfg = configure()
    snap = extract(cfg)
    built = build(cfg, snap)
    checked = validate(cfg, built)
    publish(cfg, built, checked, snap)


annex_a()
