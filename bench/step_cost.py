"""Step cost (issue 7, benchmark 1): one workflow step with audit and permission grants vs the bare ORM floor.

    .venv/bin/python -m bench.step_cost                  # 3 runs × 200 steps, floor 3 × 2,000
    .venv/bin/python -m bench.step_cost --explain        # also list the statements of one step
    .venv/bin/python -m bench.step_cost --profile        # also a pyinstrument profile of 200 steps
    .venv/bin/python -m bench.step_cost --http           # only the HTTP step in-process (below)

The step is the unit head's "sign and submit" (``head_approval``), run exactly as viewflow's view wrapper runs it
(``viewflow/workflow/flow/utils.py: wrap_view``): the flow's lock and a transaction, the task fetched, the
activation built, ``can_execute`` checked, ``activation.start``, then the step
(``workflow.steps.dossier.head_approval``: the review service with its audit event and the ``share_submission`` guardian
grant, and the process's decision) and ``activation.execute()`` (the gateways and the next task). No HTTP.

Two variants split the cost: **flow only** does the same without the domain service (only the process's decision
is saved, so the gateways route the same way), **full** is the real step. The floor is one row UPDATE + one
INSERT in a transaction through the Django ORM, measured in the same run (bench/common.py: orm_floor).

Issue 18 item 3: each variant runs twice in the same run, with viewflow's **stock** step (``workflow.nodes.LEAN =
False``: viewflow's wrapper, its If gateways) and with the **lean** one (``LEAN = True``, what the flows run: the task
read with its process, the owner compared by id, no savepoint inside the lock's transaction, each gateway's task
written once with no savepoint around its condition). The job a step leaves (the next task's notice,
notifications/signals.py) is held during the step, as a server holds it for its worker, and run afterwards: its
CPU is printed apart (a worker's, not the step's).

``--http`` (issue 18 item 3, the ratio of bench.throughput measured without the load of a shared box): the
clerk's ``prepare`` step POSTed through Django's whole stack in this process (test client: every middleware,
the session, the step's page; its form url-encoded, as a browser and bench.throughput send it; the job it leaves
held and run afterwards, as a worker would), against the floor of bench.throughput (a trivial authenticated GET,
``/api/org-units/<id>/``), alternated in one run. Each figure is
CPU: this thread's (``time.thread_time``) plus the PostgreSQL backend's (its ``/proc`` counters, when the
server runs on this machine); no wall time, so a box loaded by others changes little. The HTTP bench's ratio
also counts the client, the network and the worker's share of the cores.

Needs ``python -m bench.generate`` first (it uses that data's units and users; each run adds fresh dossiers).
"""

import argparse
import statistics
import sys
import time

from bench import common

GOAL_RATIO = 4.0


def prepare(count: int):
    """``count`` fresh dossiers whose ``head_approval`` task the head holds; units sitting right under a district
    (wards, district agencies), so that every step takes the same path (no ward review)."""
    from bench.generate import make_dossiers
    from nominations.models import OrgUnit

    units = list(OrgUnit.objects.filter(path__startswith="bp/", level__gt=2, parent__level=2).select_related("parent"))
    dossiers = make_dossiers("head_assigned", count, size=3, units=units)
    return [(d.tasks["head_approval"].pk, d.process.pk, d.unit.code) for d in dossiers]


def run_steps(items, *, full: bool, lean: bool = True, capture: list | None = None, jobs: list | None = None):
    """Run the head's step on each (task, process, unit) like the flow's view wrapper does.

    ``lean``: workflow.nodes.LEAN during the steps (False: viewflow's stock step). Returns (wall seconds per step,
    CPU seconds of this process per step). ``capture`` receives the statements of the first step as (sql, ms);
    ``jobs`` the CPU seconds of running each step's jobs afterwards (held during the step, as in a request).
    """
    import contextlib

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs import inline
    from workflow import nodes
    from workflow.choices import HeadDecision
    from workflow.flows import NominationFlow
    from workflow.steps import step_for

    node = NominationFlow.head_approval
    User = get_user_model()
    # Fresh user objects, as each request loads its own (outside the timing, like the session lookup).
    ids = dict(User.objects.filter(username__in=[f"tt-{c}" for _t, _p, c in items]).values_list("username", "pk"))
    users = [User.objects.get(pk=ids[f"tt-{code}"]) for _t, _p, code in items]
    walls, cpus = [], []
    was, nodes.LEAN = nodes.LEAN, lean
    try:
        for i, ((task_pk, process_pk, _code), head) in enumerate(zip(items, users, strict=True)):
            ctx = CaptureQueriesContext(connection) if capture is not None and i == 0 else contextlib.nullcontext()
            inline._request.held = []  # the step's jobs wait, as a request's wait for the worker (or the response)
            with ctx:
                started, cpu = time.perf_counter(), time.process_time()
                with NominationFlow.lock(process_pk), nodes.step_transaction():
                    task = nodes.read_task(NominationFlow, task_pk)
                    if task.process.flow_class is not NominationFlow:
                        raise RuntimeError("wrong flow")
                    activation = node.activation_class(task)
                    if not node.can_execute(head, task=task):
                        raise RuntimeError("not permitted")
                    activation.start(None)
                    if full:
                        step = step_for(node)
                        form = step.form_class(
                            data={"decision": HeadDecision.SUBMIT}, **step.form_kwargs(activation, head)
                        )
                        form.is_valid()
                        step.perform(activation, head, form)
                    else:
                        # The gateway reads the dossier's status: set in memory only, as the step would hand it back.
                        activation.process.artifact.status = activation.process.artifact.Status.SUBMITTED
                    activation.execute()
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
            held, inline._request.held = inline._request.held, None
            cpu = time.process_time()
            for job in held:
                inline.run_job(job.pk)
            if jobs is not None:
                jobs.append(time.process_time() - cpu)
            if capture is not None and i == 0:
                capture.extend((q["sql"], float(q["time"]) * 1000) for q in ctx.captured_queries)
    finally:
        nodes.LEAN = was
    return walls, cpus


def kinds(sql_list) -> str:
    counts = {}
    for sql, _ms in sql_list:
        word = sql.split(None, 1)[0].upper()
        word = "SAVEPOINT/RELEASE" if word in ("SAVEPOINT", "RELEASE") else word
        counts[word] = counts.get(word, 0) + 1
    return ", ".join(f"{n} {w}" for w, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def statements(item, *, full: bool, lean: bool = True):
    captured = []
    run_steps([item], full=full, lean=lean, capture=captured)
    return captured


def _backend_cpu_reader():
    """A function giving the CPU seconds so far of this connection's PostgreSQL backend (None: not readable,
    e.g. a server on another machine)."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = f"/proc/{pid}/stat"
    if not os.path.exists(path):
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def read():
        fields = open(path).read().rsplit(")", 1)[1].split()  # noqa: SIM115
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def http_cost(steps: int, rounds: int, explain: bool = False) -> int:
    """The ``prepare`` step over Django's stack in this process vs the floor GET (see the module's docstring)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.throughput import prepare as prepare_http
    from jobs import inline
    from nominations.models import OrgUnit

    per_round = steps // rounds
    work = prepare_http(1, per_round * rounds + 8, seed=int(time.time()))
    clerk, items = next(iter(work.items()))
    client = Client()
    client.force_login(get_user_model().objects.get(username=clerk))
    floor_path = f"/api/org-units/{OrgUnit.objects.get(code='bp').pk}/"
    held = []

    def post():
        process, task = items.pop(0)
        client.cookies.pop("messages", None)  # bench.throughput's clients keep only the session and CSRF cookies
        # Url-encoded, as a browser sends the step's form (no file field) and bench.throughput's clients send it;
        # the test client's default (multipart) costs a little parsing (~0.07 ms) a browser never asks for.
        path = reverse("nomination:prepare:execute", args=[process, task])
        response = client.post(path, "comment=", content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise RuntimeError(f"the step answered {response.status_code}")

    def get():
        response = client.get(floor_path)
        if response.status_code != 200:
            raise RuntimeError(f"the floor answered {response.status_code}")

    was_dispatch = inline.dispatch
    inline.dispatch = held.append  # the step's jobs wait for the worker (run below, timed apart)
    try:
        for _ in range(4):  # warm-up: code paths, caches, the connection
            post()
            get()
        pg = _backend_cpu_reader()
        step_sql, floor_sql = [], []
        # Not CaptureQueriesContext: a request's start clears the connection's query log (reset_queries).
        with connection.execute_wrapper(lambda execute, sql, *args: step_sql.append(sql) or execute(sql, *args)):
            post()
        with connection.execute_wrapper(lambda execute, sql, *args: floor_sql.append(sql) or execute(sql, *args)):
            get()
        held.clear()
        if explain:
            print("statements of one prepare POST:")
            for i, sql in enumerate(step_sql, 1):
                print(f"  {i:2d}. {sql[:400]}")
        cpu = {"step": [], "floor": [], "step_pg": [], "floor_pg": [], "job": [], "burst": []}
        for _ in range(rounds):
            for name, call, count in (("floor", get, per_round * 2), ("step", post, per_round)):
                pg_before, before = pg() if pg else 0.0, time.thread_time()
                for _ in range(count):
                    call()
                cpu[name].append((time.thread_time() - before) / count * 1000)
                cpu[f"{name}_pg"].append(((pg() if pg else 0.0) - pg_before) / count * 1000)
            jobs = [job.pk if hasattr(job, "pk") else job for job in held]
            held.clear()
            alone, bursts = jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :]
            before = time.thread_time()
            for job in alone:
                inline.run_job(job)
            cpu["job"].append((time.thread_time() - before) / max(len(alone), 1) * 1000)
            before = time.thread_time()
            for first in range(0, len(bursts), BURST):
                _run_burst(bursts[first : first + BURST])
            cpu["burst"].append((time.thread_time() - before) / max(len(bursts), 1) * 1000)
    finally:
        inline.dispatch = was_dispatch
    med = {key: common.median(values) for key, values in cpu.items()}
    floor, step = med["floor"] + med["floor_pg"], med["step"] + med["step_pg"]
    pg_note = "" if pg else " (PostgreSQL's CPU not readable here: Python only)"
    print(
        f"HTTP FLOOR GET {floor_path}: {med['floor']:.2f} ms Python + {med['floor_pg']:.2f} ms PostgreSQL = "
        f"{floor:.2f} ms CPU, {len(floor_sql)} statements{pg_note}"
    )
    print(
        f"HTTP STEP  prepare POST: {med['step']:.2f} ms Python + {med['step_pg']:.2f} ms PostgreSQL = {step:.2f} ms "
        f"CPU, {len(step_sql)} statements ({kinds([(sql, 0) for sql in step_sql])})"
    )
    print(
        f"HTTP JOB   its notice (a worker's): {med['job']:.2f} ms Python per step run alone, {med['burst']:.2f} ms in "
        f"bursts of up to {BURST} (THIDUA_OUTBOX_BURST_WINDOW: one worker run per burst), half the steps each"
    )
    print(
        f"HTTP RATIO step / floor = {step / floor:.1f}× in CPU (goal ≤ 3×: {common.verdict(step / floor <= 3)}); "
        f"with the job {(step + med['job']) / floor:.1f}× alone, {(step + med['burst']) / floor:.1f}× in bursts; "
        f"{rounds} rounds of {per_round} steps and "
        f"{per_round * 2} GETs, medians"
    )
    return 0


# Notices per burst in --http's figure: about bench.throughput's rate (50 steps/s) times the 0.5 s window.
BURST = 25


def _run_burst(job_ids) -> None:
    """The jobs as a worker settles a burst: marked sent as the server marks the jobs that ride with the first
    (jobs.outbox._handed_to_burst), then the first one's run takes them all (jobs.outbox.burst)."""
    from django.utils import timezone

    from jobs import inline
    from jobs.models import OutboxJob

    OutboxJob.objects.filter(pk__in=job_ids).update(sent_at=timezone.now())
    inline.run_job(job_ids[0])
    left = OutboxJob.objects.filter(pk__in=job_ids, done_at=None).count()
    if left:
        raise RuntimeError(f"{left} jobs of the burst not done")


def main(argv=None):
    parser = argparse.ArgumentParser(description="workflow step cost vs the ORM floor")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor-steps", type=int, default=2000)
    parser.add_argument("--explain", action="store_true", help="print the statements of one full step")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of one run of full steps")
    parser.add_argument("--http", action="store_true", help="only the prepare step over HTTP in-process vs a GET")
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the test client's host (--http)
    common.setup_django()
    from bench.generate import is_generated

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    if args.http:
        common.header("bench.step_cost --http: the clerk's prepare step over Django's stack in-process vs a GET")
        return http_cost(args.steps, args.runs, explain=args.explain)
    common.header("bench.step_cost: head_approval step (audit + guardian grant) vs ORM UPDATE+INSERT floor")
    variants = [("stock", False), ("lean", True)]  # viewflow's stock step, then ours, in the same run
    total = args.runs * 4 * args.steps + 16 + (args.steps if args.profile else 0)
    t = time.perf_counter()
    pool = prepare(total)
    print(f"prepared {len(pool)} dossiers (head holds the task) in {time.perf_counter() - t:.1f} s")
    # Warm-up: caches (content types, permissions), connections, code paths.
    for _name, lean in variants:
        run_steps([pool.pop(), pool.pop()], full=True, lean=lean)
        run_steps([pool.pop(), pool.pop()], full=False, lean=lean)
    sql = {(name, full): statements(pool.pop(), full=full, lean=lean) for name, lean in variants for full in (1, 0)}
    floors = []
    wall = {key: [] for key in sql}
    cpu = {key: [] for key in sql}
    job_cpu = {name: [] for name, _lean in variants}
    for run in range(args.runs):
        floor_ms, floor_statements = common.orm_floor(args.floor_steps)
        floors.append(floor_ms)
        line = [f"run {run + 1}: floor {floor_ms:.3f} ms ({floor_statements} statements)"]
        for name, lean in variants:
            for full in (0, 1):
                jobs = job_cpu[name] if full else None
                w, c = run_steps([pool.pop() for _ in range(args.steps)], full=bool(full), lean=lean, jobs=jobs)
                wall[name, full].append(statistics.mean(w) * 1000)
                cpu[name, full].append(statistics.mean(c) * 1000)
                line.append(
                    f"{name} {'full' if full else 'flow'} {wall[name, full][-1]:.2f} ms "
                    f"(p50 {common.median(w) * 1000:.2f}, CPU {cpu[name, full][-1]:.2f})"
                )
        print(" · ".join(line))
    floor = common.median(floors)
    med = {key: common.median(v) for key, v in wall.items()}
    med_cpu = {key: common.median(v) for key, v in cpu.items()}
    print()
    print(f"FLOOR  ORM UPDATE+INSERT in a transaction: {floor:.3f} ms/step, {floor_statements} statements")
    for name, _lean in variants:
        flow, full = med[name, 0], med[name, 1]
        print(
            f"{name.upper():6} flow only {flow:.2f} ms = {flow / floor:.1f}× floor, {len(sql[name, 0])} statements · "
            f"full head submit {full:.2f} ms = {full / floor:.1f}× floor, {len(sql[name, 1])} statements "
            f"({kinds(sql[name, 1])})"
        )
        print(
            f"       CPU of this process per step: flow only {med_cpu[name, 0]:.2f} ms, full {med_cpu[name, 1]:.2f} ms;"
            f" then its job (the next task's notice, a worker's): {statistics.mean(job_cpu[name]) * 1000:.2f} ms"
        )
    stock, lean = med["stock", 1], med["lean", 1]
    print(
        f"LEAN   vs STOCK (same run): full step {lean:.2f} / {stock:.2f} ms = {lean / stock:.2f}×, "
        f"CPU {med_cpu['lean', 1]:.2f} / {med_cpu['stock', 1]:.2f} ms, statements {len(sql['lean', 1])} / "
        f"{len(sql['stock', 1])}"
    )
    ratio = lean / floor
    print(f"RATIO  {ratio:.1f}× floor (goal ≤ {GOAL_RATIO:.0f}×): {common.verdict(ratio <= GOAL_RATIO)}")
    print(f"RATE   {1000 / lean:.0f} steps/s in one process (stock {1000 / stock:.0f})")
    full_sql = sql["lean", 1]
    if args.explain:
        print("\nstatements of one full step:")
        for i, (sql, _ms) in enumerate(full_sql, 1):
            print(f"  {i:2d}. {sql[:170]}")
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            run_steps([pool.pop() for _ in range(args.steps)], full=True, lean=True)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
