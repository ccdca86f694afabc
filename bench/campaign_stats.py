"""Issue 16's bench: the progress table and the TT 02/2023 statistics at 500 units × 10 targets × 12 reports and
100,000 award records, over HTTP (gunicorn, production settings, PostgreSQL), 8 clients at once.

    scripts/services.sh start && eval "$(scripts/services.sh env)"
    .venv/bin/python -m bench.campaign_stats            # builds thidua_wfbench16 (about 1 minute), then measures
    .venv/bin/python -m bench.campaign_stats --requests 40

The data set is bulk-inserted (no services: the pages read it, nothing here is a step). The database is
``thidua_wfbench16`` on the same server, dropped and rebuilt each run; nothing else is touched. Figures: p50/p95
per URL over ``--requests`` requests from each of 8 threads, after a warm-up; the load average is printed (the
box is shared).
"""

import argparse
import datetime
import os
import random
import sys
import threading
import time
from decimal import Decimal

os.environ.setdefault("THIDUA_WFBENCH_DB", "thidua_wfbench16")

from . import common  # noqa: E402  (the database name is read when common is imported)

UNITS, TARGETS, REPORTS, AWARDS, CLIENTS = 500, 10, 12, 100_000, 8
DAY = datetime.date(2024, 3, 15)


def build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from nominations.models import (
        AwardRecord,
        AwardType,
        Campaign,
        Candidate,
        Membership,
        OrgUnit,
        ProgressReport,
        Registration,
        Role,
        Target,
        TargetPlan,
    )
    from nominations.services.award_records import award_record, tally_refresh

    rng = random.Random(16)
    user = get_user_model().objects.create(username="bench16", password=make_password(common.PASSWORD))
    city = OrgUnit.objects.create(code="tp-b", name="Thành phố Bench", kind="city", level=2, valid_from=DAY)
    office = OrgUnit.objects.create(
        code="noi-vu-b", name="Phòng Nội vụ", kind="agency", level=2, parent=city, valid_from=DAY
    )
    Membership.objects.create(user=user, unit=office, role=Role.REVIEWER, valid_from=DAY)
    units = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"u{n}", name=f"Đơn vị {n:03d}", kind="ward", level=3, parent=city, path=f"{city.path}u{n}/",
            valid_from=DAY,
        )
        for n in range(UNITS)
    )  # fmt: skip
    campaign = Campaign.objects.create(
        issuer=city, code="b16", title="Phong trào bench", period_start=DAY, period_end=DAY.replace(month=10),
        nomination_deadline=DAY.replace(month=10), registration_deadline=DAY.replace(month=5), status="launched",
        doc_date=DAY,
    )  # fmt: skip
    targets = Target.objects.bulk_create(
        Target(campaign=campaign, name=f"Chỉ tiêu {t}", unit_of_measure="%", assigned_value=80) for t in range(TARGETS)
    )
    registrations = Registration.objects.bulk_create(
        Registration(campaign=campaign, unit=u, status="accepted", created_by=user) for u in units
    )
    values = [[Decimal(rng.randint(0, 100)) for _ in range(REPORTS)] for _ in range(UNITS * TARGETS)]
    last = DAY + datetime.timedelta(days=14 * (REPORTS - 1))
    plans = TargetPlan.objects.bulk_create(
        # Each plan's latest report is set by the database's trigger on the reports (migration 0021), as for
        # every writer; checked below.
        TargetPlan(registration=r, target=t, planned_value=Decimal(rng.randint(50, 95)))
        for (r, t), v in zip(((r, t) for r in registrations for t in targets), values, strict=True)
    )  # fmt: skip
    ProgressReport.objects.bulk_create(
        (
            ProgressReport(
                registration_id=p.registration_id, target_id=p.target_id, created_by=user,
                day=DAY + datetime.timedelta(days=14 * k), value=v[k],
            )
            for p, v in zip(plans, values, strict=True)
            for k in range(REPORTS)
        ),
        batch_size=5000,
    )  # fmt: skip
    assert TargetPlan.objects.filter(latest_value=values[0][-1], latest_day=last, pk=plans[0].pk).exists()
    levels = [AwardType.objects.create(code=f"a{lv}", name=f"Hình thức {lv}", form="giay_khen", level=lv)
              for lv in ("state", "province", "local")]  # fmt: skip
    people = Candidate.objects.bulk_create(
        Candidate(
            kind=rng.choice(["individual"] * 6 + ["collective", "enterprise", "household"]), name=f"Người {n}",
            gender=rng.choice(["male", "female"]), ethnicity=rng.choice(["Kinh", "Tày", "Nùng", ""]),
            unit=units[n % UNITS], direct_worker=rng.random() < 0.3, business_person=rng.random() < 0.1,
            leader_level=rng.choice(["", "", "", "unit", "department", "province"]),
            search_name=f"nguoi {n}", sort_name=f"nguoi {n}",
        )
        for n in range(10_000)
    )  # fmt: skip
    records = AwardRecord.objects.bulk_create(
        (
            award_record(
                people[n % len(people)], award_type=levels[n % 3], campaign=campaign if n % 2 else None,
                decision_number=f"{n}/QĐ", decision_date=datetime.date(2024, 1 + n % 12, 1 + n % 28),
                issuer=units[n % UNITS] if n % 5 else city, unit=units[n % UNITS], unit_name="Đơn vị",
                prize_amount=710_000, revoked_at=None,
            )
            for n in range(AWARDS)
        ),
        batch_size=5000,
    )  # fmt: skip
    tally_refresh(records)  # as services.award_records.award_records_create does, after batched inserts
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return campaign.pk, city.pk, units[1].pk  # units[0] issues nothing (n % 5 == 0 is the city's)


def built():
    """(campaign, city, first unit) of the data an earlier run left, or None."""
    from nominations.models import Campaign, OrgUnit

    campaign = Campaign.objects.filter(code="b16").first()
    if campaign is None:
        return None
    return campaign.pk, campaign.issuer_id, OrgUnit.objects.get(code="u1").pk


def explain(campaign_id, city_id, unit_id):
    """EXPLAIN ANALYZE of the statements that carry the cost: the TT 02 aggregate (the city, one ward), the
    list behind a figure, and the progress table's counts per target, first page and one unit's plans."""
    from nominations.models import Campaign, OrgUnit
    from nominations.progress import PLAN_FIELDS, plans_query, target_counts_query
    from nominations.statistics import award_counts, cell_records, records_of, tallies_of

    campaign, city, unit = Campaign.objects.get(pk=campaign_id), OrgUnit.objects.get(pk=city_id), None
    unit = OrgUnit.objects.get(pk=unit_id)
    queries = {
        "TT 02 tallies, the city (100,000 records)": tallies_of(city, 2024).values_list("award_type_id", "counts"),
        "TT 02 tallies, one ward": tallies_of(unit, 2024).values_list("award_type_id", "counts"),
        "TT 02 recount of one ward's year (what a write costs)": records_of(unit, 2024)
        .values("award_type_id")
        .annotate(**award_counts()),
        "TT 02 list behind a figure (0603, women)": cell_records(city, 2024, form="0603", row="all", column="women"),
        "progress: the chart's counts (5,000 plans)": target_counts_query(campaign, day=DAY.replace(month=9)),
        "progress: first page (200 rows)": plans_query(campaign, unit_id=None, day=DAY.replace(month=9)).values_list(
            *PLAN_FIELDS
        )[:200],
        "progress: plans, one unit": plans_query(campaign, unit_id=unit_id).values_list(*PLAN_FIELDS),
    }
    from django.db import connection

    for name, queryset in queries.items():
        print(f"--- {name}")
        # Through the cursor: QuerySet.explain() puts EXPLAIN inside the subquery a window filter needs.
        sql, params = queryset if isinstance(queryset, tuple) else queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\n".join(line for (line,) in cursor.fetchall()))
    print("load average:", os.getloadavg())


def profile(paths: dict, runs: int, cprofile: str = "") -> None:
    """In-process, one request at a time (Django's test client, the bench's user): per URL the median over
    ``runs`` requests (after 2 warm-ups) of the request thread's CPU time, the SQL time and the statements.
    CPU time, not wall time: the box is shared, and another process's load shows in wall time, not in CPU.
    ``cprofile``: a URL name's prefix whose requests are profiled too (the top functions by own time)."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench16"))

    def backend_pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    backend = backend_pid()
    print(f"{'URL':44} {'CPU ms':>8} {'PG CPU':>8} {'SQL ms':>8} {'stmts':>6} {'bytes':>8}", end="")
    print(f"  (median of {runs}; PG: mean)")
    for name, path in paths.items():
        for _ in range(2):
            assert client.get(path).status_code == 200, (name, path)
        cpu, sql, profiler = [], [], None
        pg_start = _process_cpu(backend)
        if cprofile and name.startswith(cprofile):
            profiler = cProfile.Profile()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.thread_time()
                if profiler is not None:
                    profiler.enable()
                response = client.get(path)
                if profiler is not None:
                    profiler.disable()
                cpu.append((time.thread_time() - start) * 1000)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        pg = (_process_cpu(backend) - pg_start) / runs
        if backend_pid() != backend:  # the connection was closed and opened again: another backend's time
            pg, backend = float("nan"), backend_pid()
        size = len(response.content)
        print(
            f"{name:44} {common.median(cpu):8.1f} {pg:8.1f} {common.median(sql):8.1f} {len(ctx.captured_queries):6d} "
            f"{size:8d}"
        )
        if cprofile:
            for q in ctx.captured_queries:
                print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    print("load average:", os.getloadavg())


def _process_cpu(pid: int) -> float:
    """CPU milliseconds (user + system) a process has used so far: the request's PostgreSQL backend, on the same
    machine (``/proc``; clock ticks of 10 ms, hence a mean over the runs, not a median)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")  # another machine's database: no figure
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(base: str, paths: dict, requests_each: int) -> dict:
    clients = [common.Client(base).login("bench16") for _ in range(CLIENTS)]
    results = {}
    for name, path in paths.items():
        for _ in range(3):  # warm-up
            assert clients[0].get(path).status_code == 200, (name, path)
        timings, lock = [], threading.Lock()

        def run(client, path=path, timings=timings, lock=lock):
            for _ in range(requests_each):
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200, (path, response.status_code)
                with lock:
                    timings.append(elapsed)

        threads = [threading.Thread(target=run, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results[name] = (common.pct(timings, 50), common.pct(timings, 95), len(timings))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=25, help="requests per client and URL (default 25)")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run (built if missing)")
    parser.add_argument("--explain", action="store_true", help="print the plans of the main queries, then stop")
    parser.add_argument(
        "--in-process", type=int, default=0, metavar="RUNS",
        help="no server: each URL's CPU and SQL time in-process, median of RUNS requests, then stop",
    )  # fmt: skip
    parser.add_argument(
        "--only", default="", help="only URLs whose name contains one of these (comma-separated; the floor is kept)"
    )
    parser.add_argument("--cprofile", default="", help="with --in-process: cProfile the URLs whose name starts so")
    args = parser.parse_args()
    common.ensure_database(drop=not args.reuse)
    common.setup_django(migrate=True)
    common.header("Issue 16: progress table and TT 02 statistics")
    print(common.machine(), "| load average at start:", os.getloadavg())
    ids = built() if args.reuse else None
    if ids is None:
        started = time.perf_counter()
        ids = build()
        print(f"data: {UNITS} units × {TARGETS} targets × {REPORTS} reports, {AWARDS:,} award records "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    campaign, city, unit = ids
    if args.explain:
        return explain(campaign, city, unit)
    paths = {
        # The floor: a small authenticated API list, to read the others against on the same box and load.
        "floor: campaigns API (a small list)": "/api/campaigns/",
        "progress table page (chart of 5,000 plans)": f"/registrations/campaigns/{campaign}/progress/",
        "progress table page (one unit)": f"/registrations/campaigns/{campaign}/progress/?unit={unit}",
        "progress table API (first page, 200 rows)": f"/api/campaigns/{campaign}/progress/",
        "progress table API (one unit)": f"/api/campaigns/{campaign}/progress/?unit={unit}",
        "TT 02 statistics page": f"/decisions/statistics/{city}/?year=2024",
        "TT 02 statistics API": f"/api/statistics/{city}/?year=2024",
        "TT 02 Excel": f"/decisions/statistics/{city}.xlsx?year=2024",
    }
    if args.only:
        paths = {k: v for k, v in paths.items() if k.startswith("floor") or any(o in k for o in args.only.split(","))}
    if args.in_process:
        return profile(paths, args.in_process, args.cprofile)
    with common.gunicorn(workers=2) as (base, _proc):
        results = measure(base, paths, args.requests)
    print(f"{'URL':44} {'p50 ms':>8} {'p95 ms':>8} {'n':>5}  goal p95 ≤ 100 ms at {CLIENTS} clients")
    for name, (p50, p95, n) in results.items():
        print(f"{name:44} {p50:8.0f} {p95:8.0f} {n:5d}  {common.verdict(p95 <= 100)}")
    print("load average at end:", os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
