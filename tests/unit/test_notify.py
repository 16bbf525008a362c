"""Failure notifications through a real local SMTP server and a real local HTTP server."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annexa import notify
from annexa.pipeline import RunConfig
from annexa.validate.findings import RuleResult

DOB = "2011-04-17"
NAME = "Jayden Smallwood"
UNMAPPED = "Mle"


# ---------------------------------------------------------------------------------------------
# a tiny SMTP server: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        box = self.server.box
        sender, rcpts = None, []
        self._say("220 localhost test SMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._say("250-localhost")
                self._say("250-AUTH PLAIN")
                self._say("250 8BITMIME")
            elif verb == "HELO":
                self._say("250 localhost")
            elif verb == "AUTH":
                _, mech, data = line.split(" ", 2)
                _, user, password = base64.b64decode(data).decode().split("\0")
                box["auth"] = (mech, user, password)
                ok = password == self.server.password
                self._say("235 ok" if ok else "535 authentication failed")
            elif verb == "MAIL":
                sender, rcpts = line.split(":", 1)[1].split()[0].strip("<>"), []
                self._say("250 ok")
            elif verb == "RCPT":
                rcpts.append(line.split(":", 1)[1].strip().strip("<>"))
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                box["messages"].append({"from": sender, "to": rcpts, "data": b"".join(lines)})
                self._say("250 queued")
            elif verb in ("RSET", "NOOP"):
                self._say("250 ok")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def smtp_server():
    server = _SMTPServer(("127.0.0.1", 0), _SMTPHandler)
    server.box = {"messages": []}
    server.password = "s3cret-Pa55word"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _message(server) -> email.message.EmailMessage:
    assert len(server.box["messages"]) == 1
    return email.message_from_bytes(server.box["messages"][0]["data"], policy=email.policy.default)


# ---------------------------------------------------------------------------------------------
# a real HTTP server recording POSTs


class _HookHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.posts.append(
            {"path": self.path, "body": body, "type": self.headers.get("Content-Type")}
        )
        self.send_response(self.server.status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HookHandler)
    server.posts, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _hook_text(server) -> str:
    assert len(server.posts) == 1
    post = server.posts[0]
    assert post["type"].startswith("application/json")
    return json.loads(post["body"])["text"]


# ---------------------------------------------------------------------------------------------
# configuration and data


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in (*notify.ENV, "AIRFLOW_CONN_ANNEXA_NOTIFY"):
        monkeypatch.delenv(name, raising=False)
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def _smtp_env(monkeypatch, server):
    monkeypatch.setenv("ANNEXA_NOTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ANNEXA_NOTIFY_SMTP_PORT", str(server.server_address[1]))
    monkeypatch.setenv("ANNEXA_NOTIFY_FROM", "annexa@la.example")
    monkeypatch.setenv("ANNEXA_NOTIFY_TO", "duty@la.example, lead@la.example")


def _conn(monkeypatch, **conn):
    monkeypatch.setenv("AIRFLOW_CONN_ANNEXA_NOTIFY", json.dumps(conn))


def _summary() -> dict:
    rules = [
        RuleResult(
            "list_8:required:date_of_birth",
            "list_8",
            "required",
            "date_of_birth",
            "error",
            "Date of birth is filled in.",
            False,
            3,
            0,
            ["C1", "C2", "C3"],
        ),
        RuleResult(
            "list_2:code_in_list:gender",
            "list_2",
            "code_in_list",
            "gender",
            "warning",
            "Gender is an Annex A code.",
            False,
            1,
            0,
            ["E7"],
        ),
    ]
    return {
        "la_code": "999",
        "la_name": "Synthshire",
        "as_at": "2026-03-31",
        "run": "scheduled__2026-03-31",
        "errors": 1,
        "warnings": 2,
        "waived_records": 0,
        "published": False,
        "rules": [r.to_dict() for r in rules],
        "waivers_applied": [
            {
                "rule": "list_8:required:date_of_birth",
                "record_ids": ["C9"],
                "reason": f"{NAME} born {DOB}",
                "owner": "Team North",
                "expires": "2026-06-30",
            }
        ],
        "unmapped": [
            {
                "field": "ssd_person.pers_gender",
                "value": UNMAPPED,
                "rows": 2,
                "feeds": ["List 8: gender"],
            }
        ],
    }


class _TI:
    """Stands in for the failed task instance: its id and the run's XComs."""

    def __init__(self, task_id: str, xcoms: dict):
        self.task_id, self.xcoms = task_id, xcoms

    def xcom_pull(self, task_ids=None, key="return_value", **_):
        return self.xcoms.get((task_ids, key))


def _cfg(run_key="scheduled__2026-03-31") -> dict:
    return RunConfig(
        as_at="2026-03-31",
        la_code="999",
        la_name="Synthshire",
        version="later",
        layout="ofsted",
        out_dir="/tmp/out",
        source_conn_id="annexa_cms",
        mapping=None,
        run_key=run_key,
    ).to_dict()


def _assert_data_free(text: str) -> None:
    for value in (DOB, NAME, UNMAPPED, "Team North", "Date of birth is filled in"):
        assert value not in text, value


# ---------------------------------------------------------------------------------------------
# send()


def test_nothing_configured_logs_and_sends_nothing(caplog):
    with caplog.at_level(logging.INFO, logger="annexa.notify"):
        assert notify.send("subject", "text") == "none"
    assert "no notifier is configured" in caplog.text


def test_smtp_from_env_delivers_the_summary(monkeypatch, smtp_server):
    _smtp_env(monkeypatch, smtp_server)
    from annexa.validate.report import summary_text

    assert notify.send("[annexa] FAIL", summary_text(_summary())) == "smtp"
    raw = smtp_server.box["messages"][0]
    assert raw["from"] == "annexa@la.example"
    assert raw["to"] == ["duty@la.example", "lead@la.example"]
    msg = _message(smtp_server)
    assert msg["Subject"] == "[annexa] FAIL"
    assert msg["To"] == "duty@la.example, lead@la.example"
    body = msg.get_content()
    assert "FAIL (blocked: nothing published)" in body
    assert "list_8:required:date_of_birth: 3 failing (records C1, C2, C3)" in body
    _assert_data_free(body)
    assert "auth" not in smtp_server.box  # no login configured


def test_smtp_connection_wins_over_env_and_logs_in(monkeypatch, smtp_server, hook_server):
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    _conn(
        monkeypatch,
        conn_type="smtp",
        host="127.0.0.1",
        port=smtp_server.server_address[1],
        login="annexa",
        password=smtp_server.password,
        extra={"from": "alerts@la.example", "to": "a@la.example;b@la.example", "starttls": False},
    )
    cfg = notify.resolve_config()
    assert (cfg.channel, cfg.source) == ("smtp", "Airflow connection annexa_notify")
    assert smtp_server.password not in repr(cfg)
    assert notify.send("subject", "body text") == "smtp"
    assert smtp_server.box["auth"] == ("PLAIN", "annexa", smtp_server.password)
    assert smtp_server.box["messages"][0]["to"] == ["a@la.example", "b@la.example"]
    assert _message(smtp_server).get_content().strip() == "body text"
    assert hook_server.posts == []


def test_smtp_failure_names_the_channel_without_the_password(monkeypatch, smtp_server):
    _conn(
        monkeypatch,
        conn_type="smtp",
        host="127.0.0.1",
        port=smtp_server.server_address[1],
        login="annexa",
        password="wrong-Pa55word-xyz",
        extra={"from": "alerts@la.example", "to": "a@la.example"},
    )
    with pytest.raises(notify.NotifyError) as err:
        notify.send("subject", "text")
    msg = str(err.value)
    assert "SMTP" in msg and "127.0.0.1" in msg and "SMTPAuthenticationError" in msg
    assert "wrong-Pa55word-xyz" not in msg
    assert smtp_server.box["messages"] == []


def test_smtp_unreachable_is_a_clear_error(monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ANNEXA_NOTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ANNEXA_NOTIFY_SMTP_PORT", str(port))
    monkeypatch.setenv("ANNEXA_NOTIFY_FROM", "a@la.example")
    monkeypatch.setenv("ANNEXA_NOTIFY_TO", "b@la.example")
    with pytest.raises(
        notify.NotifyError,
        match=rf"SMTP notifier \(environment\) could not "
        rf"send via 127\.0\.0\.1:{port}",
    ):
        notify.send("s", "t")


def test_smtp_without_recipients_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("ANNEXA_NOTIFY_SMTP_HOST", "127.0.0.1")
    with pytest.raises(notify.NotifyError, match="missing: from, to"):
        notify.send("s", "t")


def test_webhook_from_env_posts_json_text(monkeypatch, hook_server):
    port = hook_server.server_address[1]
    monkeypatch.setenv("ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{port}/services/T/B/X")
    assert notify.send("[annexa] FAIL", "the summary") == "webhook"
    assert hook_server.posts[0]["path"] == "/services/T/B/X"
    assert _hook_text(hook_server) == "[annexa] FAIL\n\nthe summary"


def test_webhook_connection_in_uri_form_keeps_path_and_query(monkeypatch, hook_server):
    port = hook_server.server_address[1]
    monkeypatch.setenv(
        "AIRFLOW_CONN_ANNEXA_NOTIFY",
        f"http://127.0.0.1:{port}/workflows/abc/invoke?api-version=1&sig=zz",
    )
    assert notify.send("s", "t") == "webhook"
    assert hook_server.posts[0]["path"] == "/workflows/abc/invoke?api-version=1&sig=zz"


def test_webhook_connection_in_json_form_with_url_extra(monkeypatch, hook_server):
    port = hook_server.server_address[1]
    _conn(monkeypatch, conn_type="https", extra={"url": f"http://127.0.0.1:{port}/h/1"})
    assert notify.send("s", "t") == "webhook"
    assert hook_server.posts[0]["path"] == "/h/1"


def test_webhook_error_names_the_channel_but_not_the_secret_path(monkeypatch, hook_server):
    hook_server.status = 500
    port = hook_server.server_address[1]
    monkeypatch.setenv("ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{port}/T0/B0/tok3n")
    with pytest.raises(notify.NotifyError) as err:
        notify.send("s", "t")
    msg = str(err.value)
    assert "webhook" in msg and "HTTP 500" in msg and f"127.0.0.1:{port}" in msg
    assert "tok3n" not in msg


def test_unknown_connection_type_is_refused(monkeypatch):
    _conn(monkeypatch, conn_type="postgres", host="db")
    with pytest.raises(notify.NotifyError, match="use smtp, http or https"):
        notify.send("s", "t")


# ---------------------------------------------------------------------------------------------
# the failure callback


def _write_summary(path, summary) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary))


def test_validate_failure_sends_the_summary_from_the_xcom_path(monkeypatch, tmp_path, hook_server):
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    path = tmp_path / "validation.json"
    _write_summary(path, _summary())
    ti = _TI(
        "validate", {("validate", "validation"): str(path), ("configure", "return_value"): _cfg()}
    )
    from airflow.sdk.exceptions import AirflowFailException

    ctx = {
        "ti": ti,
        "run_id": "scheduled__2026-03-31",
        "exception": AirflowFailException(f"1 error; {NAME} {DOB}"),
    }
    assert notify.on_failure(ctx) == "webhook"
    text = _hook_text(hook_server)
    assert text.startswith(
        "[annexa] Annex A for LA 999 as at 2026-03-31 not published: 1 blocking error(s)"
    )
    assert "list_8:required:date_of_birth: 3 failing (records C1, C2, C3)" in text
    assert "unmapped CMS values: 1" in text
    assert "ended with" not in text
    _assert_data_free(text)


def test_validate_failure_finds_the_summary_in_the_run_folder(monkeypatch, hook_server):
    """No XCom (e.g. an older validate task): the path comes from the run's configuration."""
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    cfg = _cfg("manual__notify_test")
    _write_summary(RunConfig(**cfg).work_dir() / "validation.json", _summary())
    ti = _TI("validate", {("configure", "return_value"): cfg})
    assert notify.on_failure({"ti": ti, "run_id": "manual__notify_test"}) == "webhook"
    text = _hook_text(hook_server)
    assert "FAIL (blocked: nothing published)" in text
    _assert_data_free(text)


def test_validate_crash_does_not_resend_an_earlier_attempts_summary(monkeypatch, hook_server):
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    cfg = _cfg("manual__notify_crash")
    _write_summary(RunConfig(**cfg).work_dir() / "validation.json", _summary())
    ti = _TI("validate", {("configure", "return_value"): cfg})
    notify.on_failure({"ti": ti, "run_id": "manual__notify_crash", "exception": KeyError(NAME)})
    text = _hook_text(hook_server)
    assert "task validate failed for as-at 2026-03-31, run manual__notify_crash (KeyError)" in text
    assert "FAIL (blocked" not in text
    _assert_data_free(text)


def test_validate_crash_with_a_pushed_summary_says_so(monkeypatch, tmp_path, hook_server):
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    path = tmp_path / "validation.json"
    _write_summary(path, _summary())
    ti = _TI("validate", {("validate", "validation"): str(path)})
    notify.on_failure({"ti": ti, "run_id": "r", "exception": KeyError(NAME)})
    text = _hook_text(hook_server)
    assert "FAIL (blocked: nothing published)" in text
    assert "The validate task ended with KeyError" in text
    _assert_data_free(text)


def test_other_task_failure_sends_task_date_run_and_exception_type_only(monkeypatch, smtp_server):
    _smtp_env(monkeypatch, smtp_server)
    ti = _TI("extract", {("configure", "return_value"): _cfg()})
    ctx = {
        "ti": ti,
        "run_id": "scheduled__2026-03-31",
        "exception": ValueError(f"bad row for {NAME}, born {DOB}"),
    }
    assert notify.on_failure(ctx) == "smtp"
    msg = _message(smtp_server)
    assert msg["Subject"] == ("[annexa] Annex A run failed: LA 999, as at 2026-03-31, task extract")
    body = msg.get_content()
    assert (
        "task extract failed for as-at 2026-03-31, run scheduled__2026-03-31 (ValueError)" in body
    )
    _assert_data_free(body)


def test_callback_survives_a_broken_context(monkeypatch, hook_server):
    """A DAG-level callback may have no task instance; XCom reads may fail."""
    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )

    class Broken(_TI):
        def xcom_pull(self, **_):
            raise RuntimeError(NAME)

    assert (
        notify.on_failure(
            {"run_id": "r1", "reason": "task_failure", "params": {"as_at": "2026-01-31"}}
        )
        == "webhook"
    )
    first = json.loads(hook_server.posts[0]["body"])["text"]
    assert "task ? failed for as-at 2026-01-31, run r1 (task_failure)" in first
    assert notify.on_failure({"ti": Broken("validate", {}), "run_id": "r2"}) == "webhook"
    second = json.loads(hook_server.posts[1]["body"])["text"]
    assert "task validate failed for as-at ?, run r2" in second
    assert NAME not in second


def test_notifier_class_is_an_airflow_notifier(monkeypatch, hook_server):
    from airflow.sdk import BaseNotifier

    monkeypatch.setenv(
        "ANNEXA_NOTIFY_WEBHOOK_URL", f"http://127.0.0.1:{hook_server.server_address[1]}/hook"
    )
    notifier = notify.AnnexaFailureNotifier()
    assert isinstance(notifier, BaseNotifier)
    notifier(
        {
            "ti": _TI("build", {("configure", "return_value"): _cfg()}),
            "run_id": "scheduled__2026-03-31",
            "exception": MemoryError(),
        }
    )
    assert "task build failed for as-at 2026-03-31" in _hook_text(hook_server)
    assert "(MemoryError)" in _hook_text(hook_server)
