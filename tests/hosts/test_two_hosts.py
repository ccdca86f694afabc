"""Two application hosts: two gunicorn servers (config.wsgi, production settings) on two ports share one
PostgreSQL, one Redis (broker and cache) and the S3 server; a Celery worker of the same kind makes the documents.
The journey jumps between them: what one host wrote, stored or started, the other reads and carries on.

Production-like: DEBUG off, secure cookies and HTTPS as behind the proxy (X-Forwarded-Proto), pooled connections
(THIDUA_DB_POOL), the Redis cache. Only the council's session and the draft are made in this process (through the
same pages, with Django's test client): they are not what differs between hosts.
"""

import os
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import Attachment, Campaign, Decision, Nomination, OrgUnit
from workflow.flows import DecisionFlow
from workflow.flows import NominationFlow as F

from ..jobs import scenario
from ..jobs.live import RedisServer, Worker, _free_port, celery_client, wait_until, worker_database_url
from ..private_storage import isolate
from ..workflow.helpers import council_session, draft_decision, nomination_form, open_task, url
from .conftest import requires_s3

pytestmark = [
    pytest.mark.postgres,
    requires_s3,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the hosts must share a real database"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MINUTES = b"%PDF-1.4\n% bien ban hop xet, tai len o may A\n%%EOF\n"
REPORT = b"%PDF-1.4\n% bao cao thanh tich\n%%EOF\n"
# Those who log in over HTTP; production's hasher list has no MD5 (the test settings' fast hasher).
HTTP_USERS = ("canbo_vinhtrai", "chutich_vinhtrai", "thamdinh_noivu", "chutich_ubnd", "canbo_dongkinh")


class Host:
    """One gunicorn server (config.wsgi) on its own port, logging to a file."""

    def __init__(self, name: str, env: dict, folder: Path):
        self.name, self.port = name, _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{name}.log"
        command = [GUNICORN, "config.wsgi:application", "--bind", self.address, "--workers", "1", "--threads", "4"]
        command += ["--access-logfile", "-", "--error-logfile", "-", "--timeout", "120"]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def answers(self) -> bool:
        assert self.process.poll() is None, self.tail()
        try:
            # The first request imports the application: give it time on a loaded box.
            return requests.get(f"http://{self.address}/accounts/login/", timeout=30, headers=HTTPS).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else "(no log)"
        return f"---- {self.log.name} ----\n" + "\n".join(text.splitlines()[-lines:])


# The proxy terminates TLS and says so; the app then sets Secure cookies and checks the Origin as for HTTPS.
HTTPS = {"X-Forwarded-Proto": "https"}


class Person:
    """A browser of one person: one cookie jar for both hosts (cookies do not tell ports apart), CSRF as a form
    page sends it. Secure cookies are sent by hand: the hosts speak plain HTTP behind the (absent) proxy."""

    def __init__(self, username: str):
        self.username, self.cookies = username, {}

    def request(self, host: Host, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**HTTPS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers |= {"Origin": f"https://{host.address}", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        response = requests.request(
            method, f"http://{host.address}{path}", headers=headers, allow_redirects=False, timeout=120, **kwargs
        )
        self.cookies |= {cookie.name: cookie.value for cookie in response.cookies}
        assert response.status_code < 500, (response.status_code, host.tail())
        return response

    def get(self, host, path):
        return self.request(host, "GET", path)

    def post(self, host, path, data=None, files=None):
        response = self.request(host, "POST", path, data=data or {}, files=files)
        assert response.status_code == 302, (host.name, path, response.status_code, response.text[-2000:])
        return response

    def log_in(self, host):
        assert self.get(host, "/accounts/login/").status_code == 200  # the CSRF cookie
        self.post(host, "/accounts/login/", {"username": self.username, "password": DEMO_PASSWORD})

    def act(self, host, process, node, data=None):
        """Take the open task ``node`` of ``process`` if needed, and do it, on ``host``."""
        task = open_task(process, node)
        if task.status == STATUS.NEW:
            self.post(host, url(node, "assign", task))
        return self.post(host, url(node, "execute", task), data)


@pytest.fixture
def stack(committed_demo, settings, tmp_path, monkeypatch):
    """Redis, a worker and hosts A and B on the test database and one prefix of the S3 bucket."""
    isolate(settings, tmp_path)
    hasher = PBKDF2PasswordHasher()
    for user in get_user_model().objects.filter(username__in=HTTP_USERS):
        user.password = hasher.encode(DEMO_PASSWORD, hasher.salt())
        user.save(update_fields=["password"])

    redis = RedisServer(tmp_path)
    redis.start()
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": worker_database_url(),
        "THIDUA_DB_POOL": "1",
        "THIDUA_DB_POOL_MAX": "4",
        "CELERY_BROKER_URL": redis.url,
        "THIDUA_CACHE_URL": redis.url.rsplit("/", 1)[0] + "/1",
        "THIDUA_S3_PREFIX": settings.STORAGES["default"]["OPTIONS"]["location"],
        # The test's keys, so that the trail the hosts extend is the one this process checks.
        "THIDUA_AUDIT_KEY": settings.THIDUA_AUDIT_KEY,
        "THIDUA_AUDIT_ANCHOR_KEY": settings.THIDUA_AUDIT_ANCHOR_KEY,
        "THIDUA_AUDIT_ANCHOR_PATH": "",
        "PYTHONUNBUFFERED": "1",
    }
    for name, value in production.items():
        monkeypatch.setenv(name, value)  # the worker takes this process's environment
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    env = {k: v for k, v in os.environ.items() if k != "CELERY_RESULT_BACKEND"}

    started = []
    try:
        worker = Worker(redis.url, tmp_path / "unused", tmp_path / "worker.log")
        started.append(worker)
        a, b = Host("A", env, tmp_path), Host("B", env, tmp_path)
        started += [a, b]
        worker.wait_ready(celery_client(redis.url))
        wait_until(lambda: a.answers() and b.answers(), 60, "both hosts answering")
        yield a, b, worker
    except BaseException:
        for process in started:
            print(process.tail())
        raise
    finally:
        for process in started:
            process.stop()
        redis.stop()


def test_a_journey_split_across_two_hosts(stack, client, celery_inline):
    a, b, worker = stack
    users = scenario.users()
    clerk, head, reviewer, chairman, outsider = (Person(name) for name in HTTP_USERS)

    # The clerk logs in on A; B knows the session (it is in the database, not in A's memory).
    clerk.log_in(a)
    assert clerk.get(b, reverse("dossiers:index")).status_code == 200
    clerk.post(
        a,
        reverse("nomination:start:execute"),
        {
            "campaign": Campaign.objects.get(code="dien-tap").pk,
            "unit": OrgUnit.objects.get(code="p-ky-lua").pk,
            "title": "Tờ trình đề nghị",
        },
    )
    process = F.process_class.objects.filter(flow_class=F).latest("pk")
    submission = process.artifact
    clerk.post(b, f"/dossiers/submissions/{submission.pk}/nominations/add/", nomination_form(submission, "Mạc Thị Sen"))
    nomination = Nomination.objects.get(submission=submission)
    # Files uploaded on A, one of them after the dossier was moved on from B.
    attach = f"/dossiers/submissions/{submission.pk}/attachments/add/"
    clerk.post(a, attach, {"kind": "review_minutes"}, {"file": ("bien-ban.pdf", MINUTES, "application/pdf")})
    clerk.post(
        a,
        attach,
        {"kind": "achievement_report", "nomination": nomination.pk},
        {"file": ("bao-cao.pdf", REPORT, "application/pdf")},
    )
    clerk.act(b, process, F.prepare)

    head.log_in(a)
    head.act(a, process, F.head_approval, {"decision": "submit"})

    # The reviewer, on B, reads the file A stored (from the bucket, not A's disk), and accepts.
    minutes = Attachment.objects.get(submission=submission, kind="review_minutes")
    reviewer.log_in(b)
    download = reviewer.get(b, reverse("dossiers:attachment", args=[minutes.pk]))
    assert download.status_code == 200 and download.content == MINUTES
    assert reviewer.get(a, reverse("dossiers:attachment", args=[minutes.pk])).content == MINUTES
    reviewer.act(b, process, F.review, {f"choice_{nomination.pk}": "accept", f"note_{nomination.pk}": ""})
    nomination.refresh_from_db()
    assert scenario.waiting_for_the_council(process)

    # The council passes it and the secretary drafts the decision (this process: the same pages).
    council_session(client, users, [nomination])
    decision_process = draft_decision(client, users, [nomination])
    decision = decision_process.artifact
    assert isinstance(decision, Decision)

    # The chairman signs on A; the worker makes the documents and the certificate into the bucket.
    chairman.log_in(a)
    chairman.act(a, decision_process, DecisionFlow.sign, {"decision": "sign", "comment": "", "password": DEMO_PASSWORD})
    wait_until(lambda: scenario.decision_made(decision), 120, "the documents made by the worker", alive=[worker])
    assert default_storage.exists(decision.pdf.name)  # in this test's prefix of the bucket

    # ...and downloads them from B.
    pdf = chairman.get(b, reverse("decisions:file", args=[decision.pk, "pdf"]))
    with decision.pdf.open("rb") as stored:
        assert pdf.status_code == 200 and pdf.content == stored.read() and pdf.content.startswith(b"%PDF")
    certificates = chairman.get(b, reverse("decisions:certificates", args=[decision.pk]))
    assert certificates.status_code == 200 and certificates.content.startswith(b"PK")
    # Another ward's clerk gets nothing from either host.
    outsider.log_in(b)
    for host in (a, b):
        assert outsider.get(host, reverse("decisions:file", args=[decision.pk, "pdf"])).status_code == 404
        assert outsider.get(host, reverse("dossiers:attachment", args=[minutes.pk])).status_code == 404
    # Both servers took steps (their access logs), each on its own port.
    for host in (a, b):
        assert '"POST /' in host.log.read_text() and host.process.poll() is None
