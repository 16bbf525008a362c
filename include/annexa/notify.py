"""Tell someone when a run fails: a short, data-free summary by SMTP or webhook.

Configuration, never in code:

* the Airflow connection ``annexa_notify`` when it exists (``AIRFLOW_CONN_ANNEXA_NOTIFY`` works):
  ``smtp``: host, port, login, password, extra ``{"from": ..., "to": "a@x,b@y", "starttls": true}``
  (also ``"ssl": true`` for SMTPS); ``http``/``https``: the URL is the webhook (any extras become
  its query string, so a URI-form connection round-trips), or extra ``{"url": ...}``; the body is
  ``{"text": ...}``, which Slack- and Teams-style incoming webhooks accept;
* else the environment: ``ANNEXA_NOTIFY_WEBHOOK_URL``, or ``ANNEXA_NOTIFY_SMTP_HOST`` with
  ``ANNEXA_NOTIFY_SMTP_PORT`` (default 25), ``ANNEXA_NOTIFY_FROM`` and ``ANNEXA_NOTIFY_TO``
  (the webhook wins when both are set);
* else nothing is sent and a log line says so.

Messages carry the run's status, counts, rule ids and record ids only
(``annexa.validate.report.summary_text``); for a failure outside validation, the task, as-at
date, run and the exception's *type* (its message could carry data). The failure callback is
:class:`AnnexaFailureNotifier` (an Airflow 3 ``BaseNotifier``), or the plain function
:func:`on_failure`.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)

CONN_ID = "annexa_notify"
TIMEOUT = 30  # seconds, for SMTP and webhook calls
ENV = (
    "ANNEXA_NOTIFY_WEBHOOK_URL",
    "ANNEXA_NOTIFY_SMTP_HOST",
    "ANNEXA_NOTIFY_SMTP_PORT",
    "ANNEXA_NOTIFY_FROM",
    "ANNEXA_NOTIFY_TO",
)


class NotifyError(RuntimeError):
    """A notification could not be sent (the message names the channel, never a secret)."""


@dataclass(frozen=True)
class NotifyConfig:
    channel: str  # "smtp" | "webhook"
    source: str  # where the settings came from, for log lines
    host: str | None = None
    port: int | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    starttls: bool = False
    use_ssl: bool = False
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    url: str | None = field(default=None, repr=False)  # a webhook URL is itself a secret

    @property
    def where(self) -> str:
        """The destination without secrets: host:port, or a webhook's scheme://host."""
        if self.channel == "smtp":
            return f"{self.host}:{self.port}"
        parts = urllib.parse.urlsplit(self.url or "")
        return f"{parts.scheme}://{parts.hostname or '?'}" + (
            f":{parts.port}" if parts.port else ""
        )


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _recipients(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = str(value or "").replace(";", ",").split(",")
    return tuple(a.strip() for a in items if a.strip())


def _webhook_url(conn) -> str:
    extra = dict(conn.extra_dejson or {})
    if extra.get("url"):
        return str(extra["url"])
    host = conn.host or ""
    if "://" in host:  # HttpHook-style: the whole base URL in host
        base = host.rstrip("/")
    else:
        base = f"{conn.conn_type}://{host}" + (f":{conn.port}" if conn.port else "")
    path = (conn.schema or "").lstrip("/")
    url = f"{base}/{path}" if path else base
    query = urllib.parse.urlencode({k: str(v) for k, v in extra.items()})
    return f"{url}?{query}" if query else url


def _from_connection(conn) -> NotifyConfig:
    kind = (conn.conn_type or "").lower()
    source = f"Airflow connection {CONN_ID}"
    if kind in ("http", "https"):
        return NotifyConfig(channel="webhook", source=source, url=_webhook_url(conn))
    if kind in ("smtp", "email"):
        extra = conn.extra_dejson or {}
        use_ssl = _flag(extra.get("ssl", False))
        return NotifyConfig(
            channel="smtp",
            source=source,
            host=conn.host,
            port=int(conn.port or (465 if use_ssl else 25)),
            sender=extra.get("from"),
            recipients=_recipients(extra.get("to")),
            starttls=_flag(extra.get("starttls", False)),
            use_ssl=use_ssl,
            login=conn.login or None,
            password=conn.password or None,
        )
    raise NotifyError(f"{source} has conn_type {conn.conn_type!r}: use smtp, http or https")


def _connection():
    """The ``annexa_notify`` connection, or None when it is not defined."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return BaseHook.get_connection(CONN_ID)
    except AirflowNotFoundException:
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. no metadata DB outside Airflow
        log.warning(
            "could not look up the Airflow connection %s (%s); using the environment",
            CONN_ID,
            type(exc).__name__,
        )
        return None


def resolve_config() -> NotifyConfig | None:
    """Where notifications go: the ``annexa_notify`` connection, else env vars, else None."""
    conn = _connection()
    if conn is not None:
        return _from_connection(conn)
    env = os.environ
    if env.get("ANNEXA_NOTIFY_WEBHOOK_URL"):
        if env.get("ANNEXA_NOTIFY_SMTP_HOST"):
            log.warning(
                "both ANNEXA_NOTIFY_WEBHOOK_URL and ANNEXA_NOTIFY_SMTP_HOST are set; "
                "notifying by webhook only"
            )
        return NotifyConfig(
            channel="webhook", source="environment", url=env["ANNEXA_NOTIFY_WEBHOOK_URL"]
        )
    if env.get("ANNEXA_NOTIFY_SMTP_HOST"):
        return NotifyConfig(
            channel="smtp",
            source="environment",
            host=env["ANNEXA_NOTIFY_SMTP_HOST"],
            port=int(env.get("ANNEXA_NOTIFY_SMTP_PORT") or 25),
            sender=env.get("ANNEXA_NOTIFY_FROM"),
            recipients=_recipients(env.get("ANNEXA_NOTIFY_TO")),
        )
    return None


def _scrub(text: str, cfg: NotifyConfig) -> str:
    for secret in (cfg.password, cfg.url):
        if secret:
            text = text.replace(secret, "***")
    return text


def _send_smtp(cfg: NotifyConfig, subject: str, text: str) -> None:
    missing = [
        name
        for name, v in (("host", cfg.host), ("from", cfg.sender), ("to", cfg.recipients))
        if not v
    ]
    if missing:
        raise NotifyError(f"SMTP notifier ({cfg.source}) is missing: {', '.join(missing)}")
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = cfg.sender
    msg["To"] = ", ".join(cfg.recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(cfg.sender or "annexa").rpartition("@")[2] or None)
    msg.set_content(text)
    host = cfg.host or ""  # not empty: checked above
    port = cfg.port or 0  # 0 is smtplib's "the protocol's default port"
    try:
        smtp: smtplib.SMTP
        if cfg.use_ssl:
            tls = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=tls)
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with smtp:
            smtp.ehlo()
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if cfg.login:
                if not (cfg.starttls or cfg.use_ssl):
                    log.warning("SMTP notifier: logging in to %s without TLS", cfg.where)
                smtp.login(cfg.login, cfg.password or "")
            refused = smtp.send_message(msg, from_addr=cfg.sender, to_addrs=list(cfg.recipients))
    except (smtplib.SMTPException, OSError) as exc:
        detail = _scrub(f"{type(exc).__name__}: {exc}", cfg)
        raise NotifyError(
            f"SMTP notifier ({cfg.source}) could not send via {cfg.where}: {detail}"
        ) from None
    if refused:
        log.warning("SMTP notifier: %d recipient(s) refused", len(refused))


def _send_webhook(cfg: NotifyConfig, subject: str, text: str) -> None:
    if urllib.parse.urlsplit(cfg.url or "").scheme not in ("http", "https"):
        raise NotifyError(f"webhook notifier ({cfg.source}): the URL must be http(s)")
    body = json.dumps({"text": f"{subject}\n\n{text}"}).encode("utf-8")
    req = urllib.request.Request(
        cfg.url or "",  # an http(s) URL: checked above
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "annexa-notify"},
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 - http(s) only
            resp.read()
    except urllib.error.HTTPError as exc:
        raise NotifyError(
            f"webhook notifier ({cfg.source}) got HTTP {exc.code} from {cfg.where}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        detail = _scrub(f"{type(reason).__name__}: {reason}", cfg)
        raise NotifyError(
            f"webhook notifier ({cfg.source}) could not reach {cfg.where}: {detail}"
        ) from None


def send(subject: str, text: str) -> str:
    """Send ``subject`` and ``text`` to the configured channel: "smtp", "webhook" or "none".

    ``text`` must hold no personal data (use ``summary_text``). Raises :class:`NotifyError`
    naming the channel (never the password or the webhook's secret path) when sending fails.
    """
    cfg = resolve_config()
    if cfg is None:
        log.info(
            "no notifier is configured (Airflow connection %s or ANNEXA_NOTIFY_* env); "
            "not sending: %s",
            CONN_ID,
            subject,
        )
        return "none"
    if cfg.channel == "smtp":
        _send_smtp(cfg, subject, text)
    else:
        _send_webhook(cfg, subject, text)
    log.info("notification sent by %s to %s (%s)", cfg.channel, cfg.where, cfg.source)
    return cfg.channel


# ---------------------------------------------------------------------------------------------
# the failure callback


def _xcom(ti, **kwargs):
    if ti is None:
        return None
    try:
        return ti.xcom_pull(**kwargs)
    except Exception as exc:  # noqa: BLE001 - a callback must still send something
        log.warning("could not read XCom %s (%s)", kwargs, type(exc).__name__)
        return None


def _map_index(ti) -> int | None:
    """The LA branch of a mapped task instance (annex_a maps one branch per LA), else None."""
    index = getattr(ti, "map_index", None)
    return index if isinstance(index, int) and index >= 0 else None


def _run_config(ti) -> dict:
    """The failed LA's run configuration: ``configure`` returns one per LA (a list)."""
    cfg = _xcom(ti, task_ids="configure", map_indexes=None)
    if isinstance(cfg, list):
        index = _map_index(ti)
        cfg = cfg[index] if index is not None and index < len(cfg) else (cfg[:1] or [{}])[0]
    return cfg if isinstance(cfg, dict) else {}


def _validation_path(ti, cfg: dict, crashed: bool) -> Path | None:
    """The run's validation.json: from the validate task's XCom (pushed when it fails on a
    result), else, unless the task crashed (a file there may be an earlier attempt's), from the
    run folder."""
    pushed = _xcom(ti, task_ids="validate", key="validation", map_indexes=_map_index(ti))
    if isinstance(pushed, dict):  # tolerate the validate task's result dict
        pushed = pushed.get("validation")
    if isinstance(pushed, str) and pushed:
        return Path(pushed)
    if cfg and not crashed:
        try:
            from annexa.pipeline import RunConfig

            return RunConfig(**cfg).work_dir() / "validation.json"
        except Exception as exc:  # noqa: BLE001
            log.warning("could not work out the run folder (%s)", type(exc).__name__)
    return None


def _load_summary(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("could not read the validation summary %s (%s)", path, type(exc).__name__)
        return None
    return summary if isinstance(summary, dict) else None


def failure_message(context) -> tuple[str, str]:
    """(subject, text) for a failed task or run; data-free."""
    from annexa.validate.report import counts, summary_text

    ti = context.get("ti") or context.get("task_instance")
    task_id = getattr(ti, "task_id", None) or "?"
    dag_run = context.get("dag_run")
    run_id = context.get("run_id") or getattr(dag_run, "run_id", None) or "?"
    cfg = _run_config(ti)
    params = context.get("params") or {}
    as_at = cfg.get("as_at") or params.get("as_at") or "?"
    la = cfg.get("la_code") or params.get("la_code") or os.environ.get("ANNEXA_LA_CODE") or "?"

    exc = context.get("exception")
    cause = type(exc).__name__ if isinstance(exc, BaseException) else None
    crashed = cause is not None and cause != "AirflowFailException"  # not a failed check
    if task_id == "validate":
        summary = _load_summary(_validation_path(ti, cfg, crashed))
        if summary is not None:
            summary.setdefault("run", run_id)
            n = counts(summary)["errors"]
            subject = (
                f"[annexa] Annex A for LA {summary.get('la_code') or la} as at "
                f"{summary.get('as_at') or as_at} not published: {n} blocking error(s)"
            )
            text = summary_text(summary)
            if crashed:
                text += f"\nThe validate task ended with {cause}: see its log in Airflow."
            return subject, text

    reason = context.get("reason") if not cause else None  # DAG-level callbacks: e.g. task_failure
    text = (
        f"Annex A: task {task_id} failed for as-at {as_at}, run {run_id}"
        + (f" ({cause})" if cause else f" ({reason})" if isinstance(reason, str) else "")
        + f".\nLA {la}. Nothing new was published; the last good return stays in place.\n"
        "See the task log in Airflow and docs/runbook.md."
    )
    subject = f"[annexa] Annex A run failed: LA {la}, as at {as_at}, task {task_id}"
    return subject, text


def on_failure(context) -> str:
    """Failure callback (task or DAG level): send the data-free summary; returns the channel."""
    subject, text = failure_message(context)
    return send(subject, text)


class AnnexaFailureNotifier(BaseNotifier):
    """``on_failure_callback=AnnexaFailureNotifier()``: on a task's (or run's) failure, send the
    validation summary, or the failed task and exception type, to the configured channel."""

    template_fields = ()

    def render_template_fields(self, context, jinja_env=None) -> None:
        """Nothing to render; and ``dag.test()`` hands DAG-level callbacks a serialized DAG
        that cannot build a Jinja environment, so don't ask it for one."""
        if self.template_fields:
            super().render_template_fields(context, jinja_env)

    def notify(self, context) -> None:
        on_failure(context)
