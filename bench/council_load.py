"""Council load (issue 7, benchmark 4): 30 members voting on 500 agenda items at once, over HTTP.

    .venv/bin/python -m bench.council_load                  # open a session over HTTP, then 30 ballots at once
    .venv/bin/python -m bench.council_load --doubles 3      # 3 members also send their ballot a second time
    .venv/bin/python -m bench.council_load --warm-sessions 0  # a cold server (no untimed sessions first)
    .venv/bin/python -m bench.council_load --profile        # py-spy on the workers while the ballots run
    .venv/bin/python -m bench.council_load --inline         # no broker: background tasks run in the request
    .venv/bin/python -m bench.council_load --cpu            # in-process: CPU of one 500-item ballot (issue 18: ≤ 15 ms)

Server: ``gunicorn config.wsgi -w 2``, production settings, bench database (bench/common.py), and as in
production a Celery worker (``-c 1``) on Redis (database 7 of ``CELERY_BROKER_URL``'s server): the ballot that
closes the session hands the waiting dossiers to ``resume_dossiers_task`` once it has committed.

1. The council secretary of the district with the most nominations ready for a council (those the page offers:
   whole dossier appraised, on no open session) opens a session of 500 of them with all 30 voting members
   present (``/council/start/execute/``, the real form and flow).
2. The 30 members log in (before timing). First (untimed, ``--warm-sessions``, 2 by default) they vote small
   sessions (``--warm-items``, 10) on the same server: a server that has been up has run the ballot's code in each
   worker and prepared its statements on each connection (psycopg on a statement's 5th run, PostgreSQL's generic
   plan after 5 more). Each request (url-encoded body, headers, session cookie) is built before the barrier, as a
   browser builds it on the member's machine, and sent over a plain socket (``common.send_raw``: the client's
   share of this box's CPU stays out of the server's way). Behind a barrier, each POSTs its ballot of 500
   choices to its vote task's execute URL at the same moment; ``--doubles N`` members send theirs twice, concurrently.
3. Counted: votes/s = 30 × 500 / (time from the barrier to the last answer), latency per ballot (p50, p95, max),
   then the database: ``BallotCast`` = 30, ``SecretVote`` = 30 × 500, and every item's tally equals the
   choices sent (a deterministic pattern: even items pass 27/30, odd items fail 10/15/5), so that no vote is
   lost or doubled and the session closes by itself (the flow's join, tally, conclusion) with the last ballot.
4. Then the worker's share: how long after the closing ballot's answer the dossiers have all moved on, and how
   many are still waiting at the council step (must be 0).

Goal: ≥ 500 votes/s, p95 ≤ 200 ms, 0 lost, 0 doubled.

``--cpu`` (issue 18: a 500-item ballot costs ≤ 15 ms of CPU on the server) opens a session the same way but in this
process (Django's test client: the middleware, the step view, the form, the sealed ballot, the lock and the task;
no network, no gunicorn) and sends the members' ballots one after the other, each timed with ``time.process_time``
(the test client's own share included), the last one (the close: tally, conclusion) apart.
"""

import argparse
import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import common

GOAL_VOTES = 500.0
GOAL_P95_MS = 200.0


def choice_for(member_index: int, item_index: int) -> str:
    """Even items: 27 agree, 3 disagree (passes). Odd items: 10 agree, 15 disagree, 5 abstain (fails, no tie)."""
    if item_index % 2 == 0:
        return "disagree" if member_index < 3 else "agree"
    return "agree" if member_index < 10 else ("disagree" if member_index < 25 else "abstain")


def pick_district(items: int):
    """The current campaign with the most nominations its secretary's page offers for an agenda (appraisal over
    for the whole dossier, on no open session: ``workflow.forms.council.eligible_nominations``), and the first
    ``items`` of them."""
    from django.db.models import Count

    from nominations.models import Campaign, Nomination
    from workflow.forms.council import eligible_nominations

    offered = Nomination.objects.none()
    for campaign in Campaign.objects.filter(status="launched").select_related("issuer__council"):
        offered |= eligible_nominations(campaign.issuer.council).filter(submission__campaign=campaign)
    best = offered.values("submission__campaign").annotate(n=Count("id")).order_by("-n").first()
    if not best or best["n"] < items:
        sys.exit(f"fewer than {items} nominations ready for a council: run `python -m bench.generate --reset`")
    campaign = Campaign.objects.select_related("issuer__council").get(pk=best["submission__campaign"])
    nominations = list(
        eligible_nominations(campaign.issuer.council)
        .filter(submission__campaign=campaign)
        .order_by("pk")
        .values_list("pk", flat=True)[:items]
    )
    return campaign, nominations


def main(argv=None):
    parser = argparse.ArgumentParser(description="30 members voting on 500 items at once")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--doubles", type=int, default=0, help="members who also send a second, concurrent ballot")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--inline", action="store_true", help="no broker or worker: tasks run in the request")
    parser.add_argument("--cpu", action="store_true", help="in-process: CPU per ballot, one ballot at a time")
    parser.add_argument("--explain", action="store_true", help="with --cpu: list the statements of one ballot")
    parser.add_argument(
        "--warm-sessions",
        type=int,
        default=2,
        help="sessions of --warm-items items voted (untimed) on the same server first; 0: a cold server",
    )
    parser.add_argument("--warm-items", type=int, default=10)
    args = parser.parse_args(argv)
    if args.cpu:
        return ballot_cpu(args)
    broker = os.environ.get("CELERY_BROKER_URL", "")  # setup_django() drops it for this process
    if not args.inline and not broker.startswith("redis://"):
        sys.exit("CELERY_BROKER_URL (Redis) is needed, or pass --inline")
    broker = re.sub(r"(/\d*)?$", "/7", broker.rstrip("/"), count=1) if not args.inline else ""
    common.setup_django()
    from django.utils import timezone

    from bench.generate import is_generated
    from nominations.services.council import voting_members

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    common.header(f"bench.council_load: 30 members × {args.items} items at once, gunicorn -w 2")
    warm = 0 if args.cpu else args.warm_sessions * args.warm_items
    campaign, nominations = pick_district(args.items + warm)
    council = campaign.issuer.council
    members = list(voting_members(council, timezone.localdate()))
    secretary = f"tk-{campaign.issuer.code}"
    print(f"council of {campaign.issuer.name}: {len(members)} voting members; campaign {campaign.code}")
    result = {}
    worker = None if args.inline else _start_worker(broker)
    try:
        return _run(args, broker, worker, campaign, nominations, council, members, secretary, result, warm)
    finally:
        if worker is not None:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=30)


def _start_worker(broker: str, name: str = "bench-council") -> subprocess.Popen:
    """``celery -A config worker -c 1`` on the bench database and its own Redis database; waits for its ping.
    (bench.throughput starts one too, under another ``name``.)"""
    from celery import Celery

    hostname = f"{name}@{socket.gethostname()}"
    log = open(common.BASE_DIR / "var" / f"{name}-celery.log", "w")  # noqa: SIM115
    command = [str(common.VENV_BIN / "celery"), "-A", "config", "worker", "-c", "1", "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--hostname", hostname]
    env = common.server_env(CELERY_BROKER_URL=broker)
    proc = subprocess.Popen(
        command, cwd=common.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    app = Celery(broker=broker)
    app.control.purge()  # a queue left over by an interrupted run
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[hostname], timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start; see var/{name}-celery.log")
    proc.hostname, proc.app = hostname, app
    print(f"worker: celery -A config worker -c 1 on {broker}")
    return proc


def _drained(worker, since, timeout: float = 600) -> float:
    """Seconds until the broker's queues are empty, the worker runs nothing and the outbox's jobs recorded since
    ``since`` are done (twice in a row)."""
    import redis
    from django.conf import settings

    from jobs.models import OutboxJob

    client = redis.Redis.from_url(worker.app.conf.broker_url)
    queues = list(settings.CELERY_TASK_QUEUES)  # "workflow" and "documents" since the queues were split
    start, quiet = time.perf_counter(), 0
    while quiet < 2 and time.perf_counter() - start < timeout:
        inspect = worker.app.control.inspect(destination=[worker.hostname], timeout=1)
        # Running or prefetched (a prefetched task has left the queue's list); no answer (a busy worker on a
        # loaded box) is not "idle".
        running = 0
        for tasks in (inspect.active(), inspect.reserved()):
            running += 1 if tasks is None else sum(len(t) for t in tasks.values())
        # And every job of the outbox recorded since the ballots began is done (the task marks its row itself).
        unfinished = OutboxJob.objects.filter(created_at__gte=since, done_at=None).count()
        busy = sum(client.llen(queue) for queue in queues) + running + unfinished
        quiet = quiet + 1 if busy == 0 else 0
        time.sleep(0.2)
    return time.perf_counter() - start


def session_form(council, campaign, members, nominations, title: str) -> dict:
    """The secretary's form opening a session of ``nominations`` today with every member present."""
    from django.utils import timezone

    return {
        "council": council.pk,
        "campaign": campaign.pk,
        "title": f"{title} {timezone.now():%H:%M:%S}",
        "held_on": timezone.localdate().strftime("%d/%m/%Y"),
        "place": "Hội trường",
        "nominations": nominations,
        "present": [m.pk for m in members],
    }


def _open(sec, council, campaign, members, nominations, title: str):
    """The secretary opens a session of ``nominations`` with every member present, over HTTP (the real form and
    flow); returns (process, its agenda item ids in order, {username: vote task}, seconds it took)."""
    from django.urls import reverse
    from viewflow.workflow.models import Task

    from nominations.models import AgendaItem
    from workflow.flows import CouncilFlow

    before_pk = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).order_by("-pk").first().pk
    t = time.perf_counter()
    response = sec.post(
        reverse("council:start:execute"), session_form(council, campaign, members, nominations, title), timeout=600
    )
    opened = time.perf_counter() - t
    if response.status_code != 302:
        sys.exit(f"opening the session failed: {response.status_code} {response.text[:500]}")
    process = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow, pk__gt=before_pk).get()
    items = list(AgendaItem.objects.filter(session=process.artifact).order_by("number").values_list("pk", flat=True))
    tasks = {t.owner.username: t for t in Task.objects.filter(process=process, flow_task=CouncilFlow.vote)}
    return process, items, tasks, opened


def _ballot(client, index: int, items) -> bytes:
    """The member's form as its browser sends it: url-encoded on the member's own machine (here before the timing
    starts, so that the 30 bodies' encoding on this shared box does not count as the server's time)."""
    from urllib.parse import urlencode

    fields = {f"item_{pk}": choice_for(index, i) for i, pk in enumerate(items)}
    fields["csrfmiddlewaretoken"] = client.cookies.get("csrftoken", "")
    return urlencode(fields).encode()


def _warm_up(args, sec, council, campaign, members, clients, nominations, worker, since):
    """``--warm-sessions`` small sessions voted on the same server first, untimed: each worker process has run the
    ballot's code and compiled what it compiles once, and its database connection has prepared the ballot's
    statements (psycopg prepares a statement on its 5th run, PostgreSQL settles on a generic plan after 5 more),
    as on a server that has been up for a while (persistent connections). ``--warm-sessions 0``: a cold server."""
    from concurrent.futures import ThreadPoolExecutor

    from django.urls import reverse

    for n in range(args.warm_sessions):
        chunk = nominations[n * args.warm_items : (n + 1) * args.warm_items]
        process, items, tasks, _opened = _open(sec, council, campaign, members, chunk, "Phiên họp khởi động")

        def vote(index, process=process, items=items, tasks=tasks):
            member = members[index].user.username
            client = clients[member]
            path = reverse("council:vote:execute", args=[process.pk, tasks[member].pk])
            assert client.get(path).status_code == 200
            return client.post_body(path, _ballot(client, index, items), timeout=600).status_code

        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(vote, range(len(members))))
        if set(codes) != {302}:
            sys.exit(f"a warm-up ballot failed: {codes}")
        if worker is not None:
            _drained(worker, since)
    print(f"warm-up: {args.warm_sessions} sessions of {args.warm_items} items voted on this server (untimed)")


def _run(args, broker, worker, campaign, nominations, council, members, secretary, result, warm):
    from django.urls import reverse
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from nominations.models import BallotCast, Nomination, SecretVote
    from workflow.flows import NominationFlow

    with common.gunicorn(workers=2, **({"CELERY_BROKER_URL": broker} if broker else {})) as (base, server):
        sec = common.Client(base).login(secretary)
        usernames = [m.user.username for m in members]
        clients = common.login_all(base, usernames)
        if warm:
            _warm_up(args, sec, council, campaign, members, clients, nominations[args.items :], worker, timezone.now())
        process, items, tasks, opened = _open(
            sec, council, campaign, members, nominations[: args.items], "Phiên họp đo tải"
        )
        session = process.artifact
        print(f"session {session.pk} opened over HTTP in {opened:.1f} s ({len(items)} items, {len(tasks)} ballots)")
        ballots = []
        for index, member in enumerate(members):
            task = tasks[member.user.username]
            body = _ballot(clients[member.user.username], index, items)
            path = reverse("council:vote:execute", args=[process.pk, task.pk])
            request = clients[member.user.username].raw_post(path, body)
            ballots.append((member.user.username, path, request))
            if index < args.doubles:  # a second tab: the same session cookie on its own connection
                ballots.append((member.user.username, path, request))
        # Each member first opens its ballot page, as people do (not timed).
        for username, path, _data in ballots[: len(members) + args.doubles]:
            assert clients[username].get(path).status_code == 200
        workers = common.worker_pids(server)
        backends = common.bench_backends()
        barrier = threading.Barrier(len(ballots) + 1)
        answers = [None] * len(ballots)

        def vote(i):
            username, _path, request = ballots[i]
            barrier.wait()
            t0 = time.perf_counter()
            status = common.send_raw(base, request)
            answers[i] = (username, status, time.perf_counter() - t0, time.perf_counter())

        threads = [threading.Thread(target=vote, args=(i,)) for i in range(len(ballots))]
        for thread in threads:
            thread.start()
        before = common.cpu_snapshot(workers, backends)
        since = timezone.now()

        spy = (
            common.py_spy(workers, Path(common.BASE_DIR / "var" / "bench-council.txt"))
            if args.profile
            else contextlib.nullcontext()
        )
        with spy:
            start = time.perf_counter()
            barrier.wait()
            for thread in threads:
                thread.join()
        wall = max(a[3] for a in answers) - start
        cpu = common.cpu_report(before, common.cpu_snapshot(workers, backends), len(members), "ballot")
        drained = _drained(worker, since) if worker is not None else 0.0
    if args.profile:
        files = sorted(Path(common.BASE_DIR / "var").glob("bench-council-*.txt"))
        print("\nprofile of the workers while the ballots ran (share of samples, inclusive):")
        for name, share in common.summarise_collapsed(files, top=45):
            print(f"  {share:5.1f}%  {name[:150]}")
        for f in files:
            if not os.environ.get("THIDUA_BENCH_KEEP_PROFILE"):  # kept: grep the raw stacks for one frame
                f.unlink()
    ok = [a for a in answers if a[1] == 302]
    refused = [a for a in answers if a[1] != 302]
    latencies = sorted(a[2] for a in ok)
    closing = max(ok, key=lambda a: a[3])  # the 30th ballot completes the join: tally, shuffle, conclusion
    votes = len(ok) * len(items)
    session.refresh_from_db()
    casts = BallotCast.objects.filter(session=session, round=1).count()
    stored = SecretVote.objects.filter(item__session=session).count()
    expected = {}
    for index in range(len(members)):
        for i, pk in enumerate(items):
            expected.setdefault(pk, {"agree": 0, "disagree": 0, "abstain": 0})[choice_for(index, i)] += 1
    tallied = {i.pk: {"agree": i.agree, "disagree": i.disagree, "abstain": i.abstain} for i in session.items.all()}
    wrong = sum(1 for pk, counts in expected.items() if tallied.get(pk) != counts)
    process.refresh_from_db()
    rate = votes / wall
    p95 = common.pct(latencies, 95) * 1000
    print()
    print(
        f"BALLOTS {len(ok)} accepted (302), refused {[(u, c) for u, c, _l, _t in refused]} "
        f"(second ballots must be refused: {args.doubles})"
    )
    print(
        f"RATE    {votes:,} votes in {wall:.2f} s = {rate:,.0f} votes/s (goal ≥ {GOAL_VOTES:.0f}): "
        f"{common.verdict(rate >= GOAL_VOTES)}; {len(ok) / wall:.1f} ballots/s"
    )
    print(
        f"LATENCY p50 {common.pct(latencies, 50) * 1000:.0f} ms, p95 {p95:.0f} ms (goal ≤ {GOAL_P95_MS:.0f}): "
        f"{common.verdict(p95 <= GOAL_P95_MS)}, max {latencies[-1] * 1000:.0f} ms; first answer after "
        f"{latencies[0] * 1000:.0f} ms"
    )
    others = sorted(a[2] for a in ok if a is not closing)
    tail = " → dossiers" if worker is None else ""
    print(
        f"CLOSING the last ballot (join → tally → shuffle → conclusion{tail}) took {closing[2] * 1000:.0f} ms; "
        f"the other {len(others)}: p50 {common.pct(others, 50) * 1000:.0f} ms, "
        f"p95 {common.pct(others, 95) * 1000:.0f} ms"
    )
    print(f"CPU     {cpu}")
    dossiers = set(session.items.values_list("nomination__submission_id", flat=True))
    pending = set(
        Nomination.objects.filter(submission_id__in=dossiers, status=Nomination.Status.ACCEPTED).values_list(
            "submission_id", flat=True
        )
    )
    stuck = Task.objects.filter(
        flow_task=NominationFlow.council, status="NEW", process__artifact_object_id__in=sorted(dossiers - pending)
    ).count()
    where = f"the worker, {drained:.1f} s after the last answer" if worker is not None else "the closing request"
    print(f"DOSSIERS {len(dossiers)} in the session moved on by {where}; still waiting at the council step: {stuck}")
    lost = len(members) * len(items) - stored
    print(
        f"COUNTS  BallotCast {casts} (expected {len(members)}), SecretVote {stored:,} (expected "
        f"{len(members) * len(items):,}): lost {max(lost, 0)}, doubled {max(-lost, 0)}; items whose tally differs "
        f"from the ballots sent: {wrong}; session {session.status}, process {process.status}"
    )
    ok_counts = casts == len(members) and lost == 0 and wrong == 0 and len(refused) == args.doubles and stuck == 0
    print(f"CHECK   {'OK' if ok_counts else 'FAILED'}: none lost, none doubled")
    result.update(rate=rate, p95=p95)
    return 0 if ok_counts else 1


def ballot_cpu(args):
    """CPU of this process per ballot, the ballots sent one by one through Django's test client."""
    import cProfile
    import pstats
    import statistics
    from urllib.parse import urlencode

    common.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from bench.generate import is_generated
    from nominations.models import AgendaItem
    from nominations.services.council import voting_members
    from workflow.flows import CouncilFlow

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    common.header(f"bench.council_load --cpu: 30 ballots of {args.items} items, one at a time, in-process")
    campaign, nominations = pick_district(args.items)
    council = campaign.issuer.council
    members = list(voting_members(council, timezone.localdate()))
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[m.user.username for m in members])}
    sec = Client()
    sec.force_login(get_user_model().objects.get(username=f"tk-{campaign.issuer.code}"))
    before_pk = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).order_by("-pk").first().pk
    data = session_form(council, campaign, members, nominations, "Phiên họp đo CPU")
    response = sec.post(reverse("council:start:execute"), data)
    assert response.status_code == 302, response.status_code
    process = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow, pk__gt=before_pk).get()
    items = list(AgendaItem.objects.filter(session=process.artifact).order_by("number").values_list("pk", flat=True))
    tasks = {t.owner.username: t for t in Task.objects.filter(process=process, flow_task=CouncilFlow.vote)}
    cpus, walls, profile = [], [], cProfile.Profile(time.process_time)  # CPU, not wall: the box is shared
    with connection.cursor() as cursor:  # the test client's requests run on this process's connection
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pg_cpu = []  # the backend's CPU (s, /proc: 10 ms ticks, summed over the ballots) per ballot
    close_profile = cProfile.Profile(time.process_time)  # the last ballot: join, tally, conclusion
    for index, member in enumerate(members):
        client = Client()
        client.force_login(users[member.user.username])
        path = reverse("council:vote:execute", args=[process.pk, tasks[member.user.username].pk])
        ballot = urlencode({f"item_{pk}": choice_for(index, i) for i, pk in enumerate(items)})
        if index == 0:
            assert client.get(path).status_code == 200  # warm-up: the page once
            pages, page_pg = [], common._proc_cpu(backend)
            page_profile = cProfile.Profile(time.process_time)
            for _ in range(20):  # the ballot page (GET), as each member opens it: the items kept by the first
                page_cpu = time.process_time()
                with page_profile if args.profile else contextlib.nullcontext():
                    assert client.get(path).status_code == 200
                pages.append(time.process_time() - page_cpu)
            page_pg = (common._proc_cpu(backend) - page_pg) / len(pages)
        started, cpu, pg = time.perf_counter(), time.process_time(), common._proc_cpu(backend)
        last = index == len(members) - 1
        watch = close_profile if last else profile if 2 <= index else None
        with watch if args.profile and watch is not None else contextlib.nullcontext():
            watched = index == 1 or (last and args.explain)
            capture = CaptureQueriesContext(connection) if watched else contextlib.nullcontext()
            # As a browser sends a form (urlencoded; the test client's default, multipart, parses 500 parts slowly).
            with capture:
                response = client.post(path, ballot, content_type="application/x-www-form-urlencoded")
            if index == 1:
                statements = [q["sql"] for q in capture.captured_queries]
            elif watched:
                closing = sorted(capture.captured_queries, key=lambda q: -float(q["time"]))
        cpus.append(time.process_time() - cpu)
        pg_cpu.append(common._proc_cpu(backend) - pg)
        walls.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    from jobs import inline

    inline.stop_all()  # the close's jobs (the dossiers moved on, the notices) ran after its response: let them end
    body = cpus[1:-1]  # the first warms the code paths; the last closes the round
    print(
        f"BALLOT  CPU per {len(items)}-item ballot (ballots 2..{len(members) - 1}): mean "
        f"{statistics.mean(body) * 1000:.1f} ms, p50 {common.median(body) * 1000:.1f} ms, p95 "
        f"{common.pct(body, 95) * 1000:.1f} ms (goal ≤ 15 ms: {common.verdict(common.pct(body, 50) <= 0.015)}); "
        f"wall p50 {common.median(walls[1:-1]) * 1000:.1f} ms"
    )
    print(
        f"POSTGRES CPU of its backend per ballot (ballots 2..{len(members) - 1}, summed / {len(body)}): "
        f"{sum(pg_cpu[1:-1]) / len(body) * 1000:.1f} ms; the closing ballot {pg_cpu[-1] * 1000:.0f} ms"
    )
    page = common.median(pages) * 1000
    print(
        f"PAGE    CPU of the {len(items)}-item ballot page (GET, frame included): p50 {page:.1f} ms; PostgreSQL "
        f"{page_pg * 1000:.1f} ms (mean of {len(pages)})"
    )
    print(f"CLOSING the last ballot: CPU {cpus[-1] * 1000:.0f} ms, wall {walls[-1] * 1000:.0f} ms")
    print(f"STATEMENTS of one ballot (the second): {len(statements)}")
    if args.explain:
        for i, sql in enumerate(statements, 1):
            print(f"  {i:2d}. {sql[:170]}")
    if args.explain:
        total = sum(float(q["time"]) for q in closing)
        print(f"STATEMENTS of the closing ballot: {len(closing)}, {total * 1000:.0f} ms (wall); the slowest:")
        for q in closing[:15]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")
    if args.profile:
        dump = common.BASE_DIR / "var" / "bench-council-cpu.prof"
        dump.parent.mkdir(exist_ok=True)
        profile.dump_stats(dump)  # for a closer look: python -m pstats var/bench-council-cpu.prof
        print(f"profile of ballots 3..{len(members) - 1} written to {dump}")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(25)
        page_profile.dump_stats(dump.with_name("bench-council-page.prof"))
        close_profile.dump_stats(dump.with_name("bench-council-close.prof"))
        print("profile of the ballot page (GET), 20 times:")
        pstats.Stats(page_profile).sort_stats("cumulative").print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
