"""Step cost (issue 7, benchmark 1): one workflow step with audit and permission grants vs the bare ORM floor.

    .venv/bin/python -m bench.step_cost                  # 3 runs × 200 steps, floor 3 × 2,000
    .venv/bin/python -m bench.step_cost --explain        # also list the statements of one step
    .venv/bin/python -m bench.step_cost --profile        # also a pyinstrument profile of 200 steps

The step is the unit head's "sign and submit" (``head_approval``), run exactly as viewflow's view wrapper runs it
(``viewflow/workflow/flow/utils.py: wrap_view``): the flow's lock and a transaction, the task fetched, the
activation built, ``can_execute`` checked, ``activation.start``, then the step
(``workflow.steps.dossier.head_approval``: the review service with its audit event and the ``share_submission`` guardian
grant, and the process's decision) and ``activation.execute()`` (the gateways and the next task). No HTTP.

Two variants split the cost: **flow only** does the same without the domain service (only the process's decision
is saved, so the gateways route the same way), **full** is the real step. The floor is one row UPDATE + one
INSERT in a transaction through the Django ORM, measured in the same run (bench/common.py: orm_floor).

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


def run_steps(items, *, full: bool, capture: list | None = None):
    """Run the head's step on each (task, process, unit) like wrap_view does.

    Returns (wall seconds per step, CPU seconds of this process per step). ``capture`` receives the statements
    of the first step as (sql, ms).
    """
    import contextlib

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from viewflow.workflow.models import Task

    from workflow.choices import HeadDecision
    from workflow.flows import NominationFlow
    from workflow.steps import step_for

    node = NominationFlow.head_approval
    User = get_user_model()
    # Fresh user objects, as each request loads its own (outside the timing, like the session lookup).
    ids = dict(User.objects.filter(username__in=[f"tt-{c}" for _t, _p, c in items]).values_list("username", "pk"))
    users = [User.objects.get(pk=ids[f"tt-{code}"]) for _t, _p, code in items]
    walls, cpus = [], []
    for i, ((task_pk, process_pk, _code), head) in enumerate(zip(items, users, strict=True)):
        ctx = CaptureQueriesContext(connection) if capture is not None and i == 0 else contextlib.nullcontext()
        with ctx:
            started, cpu = time.perf_counter(), time.process_time()
            with NominationFlow.lock(process_pk), transaction.atomic():
                task = Task.objects.get(pk=task_pk)
                if task.process.flow_class is not NominationFlow:
                    raise RuntimeError("wrong flow")
                activation = node.activation_class(task)
                if not node.can_execute(head, task=task):
                    raise RuntimeError("not permitted")
                activation.start(None)
                if full:
                    step = step_for(node)
                    form = step.form_class(data={"decision": HeadDecision.SUBMIT}, **step.form_kwargs(activation, head))
                    form.is_valid()
                    step.perform(activation, head, form)
                else:
                    # The gateway reads the dossier's status: set in memory only, as the step would hand it back.
                    activation.process.artifact.status = activation.process.artifact.Status.SUBMITTED
                activation.execute()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        if capture is not None and i == 0:
            capture.extend((q["sql"], float(q["time"]) * 1000) for q in ctx.captured_queries)
    return walls, cpus


def kinds(sql_list) -> str:
    counts = {}
    for sql, _ms in sql_list:
        word = sql.split(None, 1)[0].upper()
        word = "SAVEPOINT/RELEASE" if word in ("SAVEPOINT", "RELEASE") else word
        counts[word] = counts.get(word, 0) + 1
    return ", ".join(f"{n} {w}" for w, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def statements(item, *, full: bool):
    captured = []
    run_steps([item], full=full, capture=captured)
    return captured


def main(argv=None):
    parser = argparse.ArgumentParser(description="workflow step cost vs the ORM floor")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor-steps", type=int, default=2000)
    parser.add_argument("--explain", action="store_true", help="print the statements of one full step")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of one run of full steps")
    args = parser.parse_args(argv)
    common.setup_django()
    from bench.generate import is_generated

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    common.header("bench.step_cost: head_approval step (audit + guardian grant) vs ORM UPDATE+INSERT floor")
    total = args.runs * 2 * args.steps + 8 + (args.steps if args.profile else 0)
    t = time.perf_counter()
    pool = prepare(total)
    print(f"prepared {len(pool)} dossiers (head holds the task) in {time.perf_counter() - t:.1f} s")
    # Warm-up: caches (content types, permissions), connections, code paths.
    run_steps(pool[:2], full=True)
    run_steps(pool[2:4], full=False)
    pool = pool[4:]
    full_sql = statements(pool.pop(), full=True)
    flow_sql = statements(pool.pop(), full=False)
    floors, fulls, flows, full_cpu, flow_cpu = [], [], [], [], []
    for run in range(args.runs):
        floor_ms, floor_statements = common.orm_floor(args.floor_steps)
        flow, cpu_flow = run_steps([pool.pop() for _ in range(args.steps)], full=False)
        full, cpu_full = run_steps([pool.pop() for _ in range(args.steps)], full=True)
        floors.append(floor_ms)
        flows.append(statistics.mean(flow) * 1000)
        fulls.append(statistics.mean(full) * 1000)
        flow_cpu.append(statistics.mean(cpu_flow) * 1000)
        full_cpu.append(statistics.mean(cpu_full) * 1000)
        print(
            f"run {run + 1}: floor {floor_ms:.3f} ms ({floor_statements} statements) · flow only "
            f"{flows[-1]:.2f} ms (p50 {common.median(flow) * 1000:.2f}) · full step {fulls[-1]:.2f} ms "
            f"(p50 {common.median(full) * 1000:.2f}, p95 {common.pct(full, 95) * 1000:.2f})"
        )
    floor, full, flow = common.median(floors), common.median(fulls), common.median(flows)
    ratio = full / floor
    cpu_full, cpu_flow = common.median(full_cpu), common.median(flow_cpu)
    print()
    print(f"FLOOR  ORM UPDATE+INSERT in a transaction: {floor:.3f} ms/step, {floor_statements} statements")
    print(
        f"FLOW   viewflow alone (lock, task, start, decision saved, execute): {flow:.2f} ms/step "
        f"= {flow / floor:.1f}× floor, {len(flow_sql)} statements"
    )
    print(
        f"STEP   full head submit (+ service, audit, guardian grant): {full:.2f} ms/step, {len(full_sql)} statements "
        f"({kinds(full_sql)})"
    )
    print(
        f"CPU    of this Python process per step: flow only {cpu_flow:.2f} ms, full {cpu_full:.2f} ms; the rest is "
        f"waiting for PostgreSQL (round trips: {full - cpu_full:.2f} ms full)"
    )
    print(
        f"RATIO  {ratio:.1f}× floor (goal ≤ {GOAL_RATIO:.0f}×): {common.verdict(ratio <= GOAL_RATIO)}; "
        f"our additions cost {full - flow:.2f} ms = {(full - flow) / floor:.1f}× floor"
    )
    print(f"RATE   {1000 / full:.0f} steps/s in one process")
    if args.explain:
        print("\nstatements of one full step:")
        for i, (sql, _ms) in enumerate(full_sql, 1):
            print(f"  {i:2d}. {sql[:170]}")
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            run_steps([pool.pop() for _ in range(args.steps)], full=True)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
