"""Throughput (issue 7, benchmark 2): completed human steps per second over HTTP, 2 gunicorn workers.

    .venv/bin/python -m bench.throughput                       # 8 clients, 20 s
    .venv/bin/python -m bench.throughput --clients 16 --seconds 30
    .venv/bin/python -m bench.throughput --profile             # then a second, py-spy-sampled run
    .venv/bin/python -m bench.throughput --inline              # no broker: jobs run in the server (make run)

Server: ``gunicorn config.wsgi -w 2`` on 127.0.0.1 with production settings (DJANGO_DEBUG=0, a throw-away secret
key, ALLOWED_HOSTS=127.0.0.1, DJANGO_SECURE_SSL_REDIRECT=0, persistent connections) on the bench database, and as
in production (README: the two-host layout) a Celery worker (``-c 1``) on Redis (database 6 of ``CELERY_BROKER_URL``'s
server) running each step's job, the next task's notice. The worker shares this box's cores: its CPU per step is
reported beside the server's, and the rate counts the steps answered while it works. The notices run in bursts
(jobs/outbox.py ``burst``: one message per THIDUA_OUTBOX_BURST_WINDOW, 0.5 s by default, one run for all the
window's jobs; ``THIDUA_OUTBOX_BURST_WINDOW=0`` for one message per notice).
``--inline`` runs the server
with no broker instead: each job runs in the server's own threads after its response (``make run``,
jobs/inline.py), a second figure.

Load: fresh dossiers in the clerk's ``prepare`` step (documents attached, task assigned to the unit's clerk), one
clerk per client thread; each client logs in once (before timing), then POSTs ``execute`` of its tasks back to
back, as fast as the server answers (``requests``, CSRF token, session cookie). A step counts when the answer is
the 302 to the next page. Afterwards the database must show exactly one ``head_approval`` task created per counted
step (none lost, none doubled). The floor is a trivial authenticated GET (session, user,
one small query, JSON: ``/api/org-units/<id>/``) on the same server, same clients, 5 s just before the steps and 5 s
just after them; the ratio is taken against the mean of the two.
"""

import argparse
import datetime
import sys
import threading
import time

from bench import common

GOAL = 200.0  # steps/s
RATIO_GOAL = 3.0  # a step costs at most this many trivial authenticated GETs (issue 18)


def prepare(clients: int, per_client: int, seed: int):
    """Dossiers in the ``prepare`` step for ``clients`` units (one clerk each): {clerk: [(process, task)]}."""
    from bench.generate import make_dossiers
    from nominations.models import OrgUnit

    units = list(OrgUnit.objects.filter(path__startswith="bp/", level__gt=2).select_related("parent").order_by("?"))
    units = units[:clients]
    per_unit = {}
    dossiers = make_dossiers("prepare", clients * per_client, size=1, units=units, seed=seed)
    for d in dossiers:
        per_unit.setdefault(f"cb-{d.unit.code}", []).append((d.process.pk, d.tasks["prepare"].pk))
    return per_unit


def hammer(clients: dict, work: dict, seconds: float, path_of):
    """Each client works through its list until it is empty or time is up; returns (latencies, codes, wall)."""
    latencies, codes, lock = [], {}, threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    stop_at = [0.0]

    def run(name):
        client, items = clients[name], work.get(name)
        items = list(items) if items is not None else None
        mine, my_codes = [], {}
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            path, data = path_of(items)
            if path is None:
                break
            t = time.perf_counter()
            response = client.post(path, data) if data is not None else client.get(path)
            mine.append(time.perf_counter() - t)
            my_codes[response.status_code] = my_codes.get(response.status_code, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in my_codes.items():
                codes[code] = codes.get(code, 0) + n

    threads = [threading.Thread(target=run, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    return latencies, codes, time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description="human steps per second over HTTP")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--per-client", type=int, default=0, help="dossiers per client (default: enough for 250/s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="a second run sampled by py-spy")
    parser.add_argument("--inline", action="store_true", help="no broker or worker: jobs run in the server")
    args = parser.parse_args(argv)
    import os
    import re

    broker = os.environ.get("CELERY_BROKER_URL", "")  # setup_django() drops it for this process
    if not args.inline and not broker.startswith("redis://"):
        sys.exit("CELERY_BROKER_URL (Redis) is needed for the worker, or pass --inline")
    broker = "" if args.inline else re.sub(r"(/\d*)?$", "/6", broker.rstrip("/"), count=1)
    common.setup_django()
    from django.urls import reverse

    from bench.generate import is_generated
    from workflow.flows import NominationFlow

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    from django.conf import settings

    window = settings.THIDUA_OUTBOX_BURST_WINDOW  # the servers and the worker read the same environment
    jobs = "jobs inline in the server" if args.inline else f"jobs on a Celery worker -c 1, notice bursts {window} s"
    common.header(
        f"bench.throughput: prepare steps over HTTP, gunicorn -w {args.workers}, {args.clients} clients, {jobs}"
    )
    # Enough for 25% above the goal; one nomination each (the step's per-nomination work is one rule-set query),
    # so that repeated runs do not inflate the 100k data set the page benchmark measures.
    per_client = args.per_client or int(GOAL * 1.25 * args.seconds / args.clients) + 10
    runs = 2 if args.profile else 1
    t = time.perf_counter()
    work = prepare(args.clients, per_client * runs, seed=int(time.time()))
    print(f"prepared {sum(map(len, work.values()))} dossiers for {len(work)} clerks in {time.perf_counter() - t:.1f} s")
    node = NominationFlow.prepare
    from nominations.models import OrgUnit

    floor_unit = OrgUnit.objects.get(code="bp").pk

    def next_step(items):
        if not items:
            return None, None
        process, task = items.pop(0)
        return reverse("nomination:prepare:execute", args=[process, task]), {"comment": ""}

    from bench.council_load import _start_worker

    celery = None if args.inline else _start_worker(broker, name="bench-throughput")
    try:
        return _run(args, work, per_client, floor_unit, next_step, node, broker, celery)
    finally:
        if celery is not None:
            os.killpg(celery.pid, 15)
            celery.wait(timeout=30)


def _run(args, work, per_client, floor_unit, next_step, node, broker, celery):
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from bench.council_load import _drained
    from workflow.flows import NominationFlow

    env = {"CELERY_BROKER_URL": broker} if broker else {}
    with common.gunicorn(workers=args.workers, **env) as (base, server):
        t = time.perf_counter()
        clients = common.login_all(base, list(work))
        print(f"{len(clients)} clients logged in in {time.perf_counter() - t:.1f} s (password hashing, before timing)")
        # Warm-up: every worker loads its code paths; 2 steps per client.
        warm = {name: [work[name].pop(0) for _ in range(2)] for name in work}
        hammer(clients, warm, 30, next_step)
        floor_path = f"/api/org-units/{floor_unit}/"

        def floor():
            lat, codes, wall = hammer(clients, {n: None for n in clients}, 5, lambda _i: (floor_path, None))
            return lat, codes, len(lat) / wall

        floor_lat, floor_codes, floor_rps = floor()
        done_before = set(
            Task.objects.filter(
                flow_task=node, status="DONE", process_id__in=[p for v in work.values() for p, _ in v]
            ).values_list("process_id", flat=True)
        )
        todo = {name: work[name][:per_client] for name in work}
        if celery is not None:
            _drained(celery, timezone.now() - datetime.timedelta(minutes=5))  # the warm-up's jobs
        workers = common.worker_pids(server)
        backends = common.bench_backends()
        job_pids = [] if celery is None else [celery.pid, *common.worker_pids(celery)]
        before = common.cpu_snapshot(workers, backends)
        jobs_before = sum(common._proc_cpu(p) for p in job_pids)
        since = timezone.now()
        latencies, codes, wall = hammer(clients, todo, args.seconds, next_step)
        steps = codes.get(302, 0)
        cpu = common.cpu_report(before, common.cpu_snapshot(workers, backends), max(steps, 1))
        jobs_during = sum(common._proc_cpu(p) for p in job_pids) - jobs_before
        drained = _drained(celery, since) if celery is not None else 0.0
        jobs_cpu = sum(common._proc_cpu(p) for p in job_pids) - jobs_before
        rate = steps / wall
        # The floor again right after the steps: this virtual machine's speed drifts by 10-30 % within minutes, so
        # the ratio is taken against the mean of a floor measured just before and one just after the steps.
        after_lat, after_codes, after_rps = floor()
        if args.profile:
            from pathlib import Path

            out = Path(common.BASE_DIR / "var" / "bench-throughput.txt")
            again = {name: work[name][per_client:] for name in work}
            with common.py_spy(common.worker_pids(server), out):
                p_lat, p_codes, p_wall = hammer(clients, again, args.seconds, next_step)
            print(f"(profiled run: {p_codes.get(302, 0) / p_wall:.0f} steps/s under py-spy)")
            files = sorted(out.parent.glob(out.stem + "-*" + out.suffix))
            print("\nprofile (share of worker samples, inclusive):")
            for name, share in common.summarise_collapsed(files, top=40):
                print(f"  {share:5.1f}%  {name[:150]}")
            for f in files:
                f.unlink()
    processes = [p for v in todo.values() for p, _ in v]
    done = Task.objects.filter(flow_task=node, status="DONE", process_id__in=processes).exclude(
        process_id__in=done_before
    )
    heads = Task.objects.filter(flow_task=NominationFlow.head_approval, process_id__in=processes)
    doubled = heads.count() - heads.values("process_id").distinct().count()
    print()
    for when, lat, codes_, rps in (
        ("before", floor_lat, floor_codes, floor_rps),
        ("after", after_lat, after_codes, after_rps),
    ):
        print(
            f"FLOOR  GET {floor_path} (session, user, 1 query), {when} the steps: {rps:.0f} req/s, "
            f"p50 {common.pct(lat, 50) * 1000:.1f} ms, p95 {common.pct(lat, 95) * 1000:.1f} ms, codes {codes_}"
        )
    floor_rps = (floor_rps + after_rps) / 2
    print(
        f"STEPS  {steps} prepare steps in {wall:.1f} s = {rate:.0f} steps/s (goal ≥ {GOAL:.0f}): "
        f"{common.verdict(rate >= GOAL)}; p50 {common.pct(latencies, 50) * 1000:.1f} ms, "
        f"p95 {common.pct(latencies, 95) * 1000:.1f} ms; codes {codes}"
    )
    ratio = floor_rps / rate
    print(
        f"RATIO  floor (mean of before and after, {floor_rps:.0f} req/s) / step rate = {ratio:.2f}× "
        f"(one step costs that many trivial requests; goal ≤ {RATIO_GOAL:g}×): {common.verdict(ratio <= RATIO_GOAL)}"
    )
    print(f"CPU    {cpu}")
    if celery is not None:
        print(
            f"JOBS   the Celery worker (the next task's notices): {jobs_cpu / max(steps, 1) * 1000:.1f} ms of CPU per "
            f"step ({jobs_during / max(steps, 1) * 1000:.1f} ms while the steps ran, counted in 'others' above); "
            f"its queue drained {drained:.1f} s after the last step"
        )
    print(f"CHECK  tasks done {done.count()} = 302s {steps}; next tasks {heads.count()}, doubled {doubled}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
