"""The chairman never waits (issue 18 item 4): signing a 500-awardee decision, p95 of 10 runs ≤ 1 s, with a worker and
inline (``make run``'s mode: no broker, the jobs run in the server's process after the response).

    scripts/services.sh start && eval "$(scripts/services.sh env)"
    .venv/bin/python -m bench.signing                   # both modes, 10 runs each, 500 awardees
    .venv/bin/python -m bench.signing --runs 3 --awardees 100 --only inline

Needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL). It works in a database of its own,
``<name>_signbench`` on the same server (created fresh, dropped at the end unless ``--keep-db``), stores files in a
temporary folder, and starts its own worker (``celery -A config worker -Q workflow,documents``) on that database.

Each run drafts a fresh decision of N council-passed nominations (as the council secretary, through the page), then
times the chairman's signing request through Django's whole stack (the test client: middleware, the step view,
viewflow's lock and activation, the signing service, the commit and its on-commit sends; no network). After each
run it waits until the documents and certificates are made (the progress page's figures), so that a run starts
on an idle worker, and reports how long they took: what the chairman no longer waits for.

Next to each wall time, the CPU time of the request's own thread (``time.thread_time``): on a shared, loaded box
it is the better estimate of what an idle box's wall time would be (Argon2's lanes run in threads of their own:
the floor line shows the process's CPU of the password check too) (PostgreSQL's own time is not in it; the step
runs a fixed 61 statements whatever the decision's size, tests/test_step_query_counts.py).
"""

import argparse
import contextlib
import cProfile
import datetime
import os
import pstats
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
GOAL = 1.0  # seconds, p95 of the signing request


def _database(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_signbench"
    return parts._replace(path="/" + name).geturl(), name


def _recreate(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _pct(values, p: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return ordered[int(rank) - 1]


class Worker:
    """``celery -A config worker -Q workflow,documents`` on the bench database, in its own process group."""

    def __init__(self, log: Path):
        self.hostname = f"signbench-{os.getpid()}@localhost"
        command = [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "-Q", "workflow,documents"]
        command += ["-c", "2", "-l", "info", "--without-gossip", "--without-mingle", "--hostname", self.hostname]
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 90) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the worker exited during start-up:\n" + self.log.read_text()[-3000:])
            if app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        raise RuntimeError(f"the worker did not answer ping within {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _passed_nominations(count: int, tag: str):
    """``count`` council-passed Giấy khen nominations of the demo's rehearsal campaign, in dossiers of 50."""
    from nominations.models import AwardType, Campaign, Candidate, Nomination, OrgUnit, Submission
    from nominations.text import fold, person_sort_key

    campaign = Campaign.objects.get(code="dien-tap")
    award = AwardType.objects.get(code="giay-khen")
    unit = OrgUnit.objects.get(code="p-ky-lua")
    clerk = Submission.objects.filter(campaign=campaign).first().created_by
    nominations = []
    for start in range(0, count, 50):
        submission = Submission.objects.create(
            campaign=campaign, unit=unit, title=f"Tờ trình {tag}-{start}", created_by=clerk
        )
        people = Candidate.objects.bulk_create(
            Candidate(
                kind="individual",
                name=f"Người {tag} {i}",
                gender="female" if i % 2 else "male",
                unit=unit,
                search_name=fold(f"Người {tag} {i}"),
                sort_name=person_sort_key(f"Người {tag} {i}"),
            )
            for i in range(start, min(start + 50, count))
        )
        nominations += Nomination.objects.bulk_create(
            Nomination(
                submission=submission,
                candidate=person,
                sort_name=person.sort_name,
                award_type=award,
                achievement="Hoàn thành xuất sắc nhiệm vụ.",
                status=Nomination.Status.COUNCIL_PASSED,
            )
            for person in people
        )
    return campaign, award, nominations


def _draft(client, users, count: int, tag: str):
    from django.urls import reverse

    from workflow.flows import DecisionFlow

    campaign, award, nominations = _passed_nominations(count, tag)
    client.force_login(users["thuky_hoidong"])
    response = client.post(
        reverse("decision:start:execute"),
        {"campaign": campaign.pk, "award_type": award.pk, "subject": "", "nominations": [n.pk for n in nominations]},
    )
    assert response.status_code == 302, response.status_code
    return DecisionFlow.process_class.objects.filter(flow_class=DecisionFlow).latest("pk")


def _sign(client, users, process, profile=None) -> float:
    """Take the chairman's task (not timed), then time the signing request."""
    from django.urls import reverse
    from viewflow.workflow.status import STATUS

    from nominations.demo import DEMO_PASSWORD
    from workflow.flows import DecisionFlow

    task = process.task_set.get(flow_task=DecisionFlow.sign, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    client.force_login(users["chutich_ubnd"])
    if task.status == STATUS.NEW:
        assert client.post(reverse("decision:sign:assign", args=[process.pk, task.pk])).status_code == 302
    data = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    started, cpu = time.perf_counter(), time.thread_time()
    with profile or contextlib.nullcontext():
        response = client.post(reverse("decision:sign:execute", args=[process.pk, task.pk]), data)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    assert response.status_code == 302 and "/progress/" in response["Location"], response.status_code
    return elapsed, cpu


def _wait_made(decision, wait: str, timeout: float = 1800) -> float:
    from nominations.models import Decision
    from nominations.services.decision_progress import decision_progress

    started = time.perf_counter()
    while True:
        progress = decision_progress(Decision.objects.get(pk=decision.pk))
        documents = progress.documents_done == progress.documents_total
        if wait == "none" or progress.done or (wait == "documents" and documents):
            return time.perf_counter() - started
        if progress.given_up or time.perf_counter() - started > timeout:
            raise RuntimeError(f"documents not made: {progress}")
        time.sleep(0.2)


def _password_floor(users, runs: int = 5) -> dict:
    """The step-up password check alone (on purpose slow): part of every signature, with the chairman's hash
    (the first of PASSWORD_HASHERS: Argon2 since issue 18) and, for comparison, the same password under PBKDF2
    (the hasher before). {algorithm: (wall, CPU of this thread, CPU of the process)} per check: Argon2 computes its
    lanes in threads of its own, which the request thread's CPU does not see."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher

    from nominations.demo import DEMO_PASSWORD

    current = users["chutich_ubnd"].password
    hashes = {identify_hasher(current).algorithm: current}
    hashes.setdefault("pbkdf2_sha256", PBKDF2PasswordHasher().encode(DEMO_PASSWORD, PBKDF2PasswordHasher().salt()))
    floors = {}
    for algorithm, encoded in hashes.items():
        check_password(DEMO_PASSWORD, encoded)  # warm-up (the library's first load)
        started, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        for _ in range(runs):
            assert check_password(DEMO_PASSWORD, encoded)
        floors[algorithm] = tuple(
            x / runs for x in (time.perf_counter() - started, time.thread_time() - cpu, time.process_time() - process)
        )
    return floors


def bench_mode(mode: str, runs: int, awardees: int, wait: str, profile: bool = False) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from config.celery import app

    # The prefixed name: Django's settings are read with the CELERY namespace, where CELERY_TASK_ALWAYS_EAGER
    # (False here: a broker is configured) wins over an unprefixed ``task_always_eager`` set on the app. Setting
    # that one changed nothing: the inline runs published their jobs to Redis, which no worker read any more,
    # and waited for documents that never came (the "hang" of 2026-12-05).
    app.conf.CELERY_TASK_ALWAYS_EAGER = mode == "inline"
    if app.conf.task_always_eager != (mode == "inline"):
        raise RuntimeError(f"{mode}: Celery's task_always_eager is {app.conf.task_always_eager}")
    users = {u.username: u for u in get_user_model().objects.all()}
    client = Client()
    timings, cpus, made = [], [], []
    # One warm-up run (imports, first template renders, the worker's first documents), not counted.
    for run in range(runs + 1):
        process = _draft(client, users, awardees, f"{mode}{run}")
        profiler = cProfile.Profile(time.thread_time) if profile and run == runs else None  # the request's CPU
        elapsed, cpu = _sign(client, users, process, profiler)
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
        process.refresh_from_db()
        after = _wait_made(process.artifact, wait)
        if run:
            timings.append(elapsed)
            cpus.append(cpu)
            made.append(after)
        what = {"documents": "the decision's documents", "all": f"documents and {awardees} certificates"}.get(wait)
        what = what or "(not waited for)"
        label = f"{mode:7} run {run:2}{' (warm-up)' if not run else ''}"
        answered = f"signing answered in {elapsed * 1000:7.1f} ms (CPU {cpu * 1000:5.0f} ms)"
        print(f"  {label}: {answered}; {what} made {after:6.1f} s later", flush=True)
    if wait != "documents":  # all: waited already; none: the last documents are behind every certificate
        return {"timings": timings, "cpus": cpus, "made": made}
    started = time.perf_counter()
    _wait_made(process.artifact, "documents")
    print(f"  {mode:7} the last decision's documents made {time.perf_counter() - started:.1f} s after the last check")
    return {"timings": timings, "cpus": cpus, "made": made}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--awardees", type=int, default=500)
    parser.add_argument("--only", choices=["worker", "inline"])
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile (thread CPU) of the last signing request")
    parser.add_argument(
        "--wait",
        choices=["documents", "all", "none"],
        default="documents",
        help="between runs, wait for the decision's documents (default; certificates keep being made meanwhile, "
        "as on a busy day), for every certificate too, or for nothing (back-to-back signatures while the earlier "
        "decisions' work goes on)",
    )
    args = parser.parse_args()

    source, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not source.startswith("postgres") or not broker:
        sys.exit('DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL: eval "$(scripts/services.sh env)"')
    url, name = _database(source)
    _recreate(source, name)
    storage = Path(tempfile.mkdtemp(prefix="signbench-"))
    os.environ.update(
        DATABASE_URL=url,
        THIDUA_PRIVATE_STORAGE=str(storage),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="signbench-throw-away-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        THIDUA_INLINE_AFTER_RESPONSE="1",
    )
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    os.environ.setdefault("THIDUA_AUDIT_KEY", "signbench-audit-key-throw-away")
    os.environ.setdefault("THIDUA_AUDIT_ANCHOR_KEY", "signbench-anchor-key-throw-away")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    worker = None
    try:
        call_command("migrate", verbosity=0, interactive=False)
        from workflow.demo import load_demo

        load_demo()
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        print(f"# bench.signing · {stamp} · {os.cpu_count()} CPU · load average {load}")
        print(f"# {args.awardees} awardees per decision, {args.runs} runs per mode (after one warm-up)")
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.all()}
        for n, (algorithm, (wall, cpu, process)) in enumerate(_password_floor(users).items()):
            what = "the step-up password check alone" if n == 0 else "compare: the same check under"
            print(
                f"  floor: {what} ({algorithm}) {wall * 1000:.0f} ms (CPU: request thread {cpu * 1000:.0f} ms, "
                f"process {process * 1000:.0f} ms)"
            )
        results = {}
        for mode in [args.only] if args.only else ["worker", "inline"]:
            if mode == "worker":
                worker = Worker(storage / "worker.log")
                worker.wait_ready()
            results[mode] = bench_mode(mode, args.runs, args.awardees, args.wait, args.profile)
            if worker:
                worker.stop()
                worker = None
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"# {datetime.date.today():%Y-%m-%d}, load average at the end {load}")
        for mode, result in results.items():
            t = result["timings"]
            p95 = _pct(t, 95)
            verdict = "met" if p95 <= GOAL else f"MISSED ({p95 / GOAL:.1f}x)"
            print(
                f"  {mode:7} signing p50 {_pct(t, 50) * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms"
                f"  max {max(t) * 1000:6.0f} ms  (request thread's CPU p95 {_pct(result['cpus'], 95) * 1000:.0f} ms)"
                f"  (goal p95 <= {GOAL * 1000:.0f} ms: {verdict}); made after (--wait {args.wait})"
                f" p50 {_pct(result['made'], 50):.1f} s"
            )
    finally:
        if worker:
            worker.stop()
        from jobs import inline

        inline.stop_all()
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _recreate(source, name, drop_only=True)
        shutil.rmtree(storage, ignore_errors=True)


if __name__ == "__main__":
    main()
