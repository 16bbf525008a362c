"""
### Annex A: extract → build → validate → publish

Nightly (Europe/London) the CMS is snapshotted, the Ofsted ILACS Annex A lists are built with SQL,
validated with Great Expectations, and published only when they pass, so the latest good return is
always ready. The as-at date is the `as_at` param when given (manual runs and backfills), else the
London day the scheduled data interval covers. With an LA registry (`ANNEXA_LAS`) one run serves
every registered LA: `configure` lists them and one mapped branch per LA runs extract → build →
validate → publish, so one LA's failure fails only its own branch. The runs of an `airflow
backfill create` share one snapshot per London day (docs/performance.md, backfill). Logic lives
in the `annexa` package; see README.md.
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task, task_group
from airflow.timetables.interval import CronDataIntervalTimetable

from annexa.airflow_support import default_args
from annexa.core.constants import CMS_BUILDS, TIMEZONE

RETURN_PUBLISHED = Asset(name="annex_a_return", uri="file:///annexa/published/annex_a")
# LA branches running at once (each task of the branch): a `large` LA needs ~1 GB in its build
# and validate tasks (docs/deploy.md, sizing), so N LAs fit a worker of N GB and more.
MAX_PARALLEL_LAS = int(os.environ.get("ANNEXA_MAX_PARALLEL_LAS") or 2)


@dag(
    dag_id="annex_a",
    schedule=CronDataIntervalTimetable("0 1 * * *", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["annex-a", "ofsted"],
    default_args=default_args(),
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
        "registry": Param(
            None,
            type=["null", "string"],
            description="LA registry YAML (ANNEXA_LAS); empty = one LA from the params above",
        ),
    },
)
def annex_a():
    @task(multiple_outputs=False)
    def configure() -> list[dict]:
        """One configuration per LA: the registry's LAs, or the one LA of the params."""
        from annexa.pipeline import resolve_runs

        ctx = get_current_context()
        dr = ctx["dag_run"]
        params = dict(ctx["params"])
        if params.get("registry") is None:  # unset: the environment's ANNEXA_LAS, if any
            params.pop("registry", None)
        return resolve_runs(
            params,
            run_id=dr.run_id,
            data_interval_start=ctx.get("data_interval_start"),
            run_after=getattr(dr, "run_after", None),
        )

    bounded = {"max_active_tis_per_dagrun": MAX_PARALLEL_LAS}

    @task(multiple_outputs=False, **bounded)
    def extract(cfg: dict) -> dict:
        from annexa.airflow_support import is_backfill, source_url
        from annexa.pipeline import extract_step

        # the runs of `airflow backfill create` all read today's CMS: they share one snapshot
        share = is_backfill(get_current_context()["dag_run"])
        return extract_step(cfg, source_url(cfg["source_conn_id"]), share=share)

    @task(multiple_outputs=False, **bounded)
    def build(cfg: dict, snap: dict) -> dict:
        from annexa.pipeline import build_step

        return build_step(cfg, snap["snapshot"])

    @task(multiple_outputs=False, retries=0, **bounded)
    def validate(cfg: dict, built: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from annexa.pipeline import ValidationFailed, validate_step

        try:
            return validate_step(cfg, built)
        except ValidationFailed as exc:  # the notifier reads the summary's path from XCom
            get_current_context()["ti"].xcom_push(key="validation", value=exc.summary_path)
            raise AirflowFailException(str(exc)) from None

    @task(multiple_outputs=False, outlets=[RETURN_PUBLISHED], **bounded)
    def publish(cfg: dict, built: dict, checked: dict, snap: dict) -> dict:
        from annexa.pipeline import publish_step

        result = publish_step(cfg, built, checked, snap)
        # tells the pack DAG (annex_a_pack, scheduled on this asset) which LA's return to pack
        get_current_context()["outlet_events"][RETURN_PUBLISHED].extra = {
            "la_code": cfg["la_code"],
            "as_at": cfg["as_at"],
            "out_dir": cfg["out_dir"],
        }
        return result

    # one branch per LA (dynamic task mapping); task ids stay extract/build/validate/publish
    @task_group(group_id="la", prefix_group_id=False)
    def la(cfg: dict) -> None:
        snap = extract(cfg)
        built = build(cfg, snap)
        checked = validate(cfg, built)
        publish(cfg, built, checked, snap)

    la.expand(cfg=configure())


annex_a()
