"""Pages (issue 7, benchmark 3): inbox, nomination list and council ballot page at 100k nominations.

    .venv/bin/python -m bench.pages                   # wrk, 1 and 8 clients, 10 s each
    .venv/bin/python -m bench.pages --seconds 5 --only ballot
    .venv/bin/python -m bench.pages --explain         # also: statements and the slowest SQL of each page, in-process
    .venv/bin/python -m bench.pages --in-process      # only those (no server), with the time of view and template

Server: ``gunicorn config.wsgi -w 2`` with production settings on the bench database (bench/common.py). Load:
``wrk -c N`` on loopback with a Lua script that sends the session cookie of a logged-in user; latency is what wrk
measures per request (server time plus queueing on the 2 workers, nothing else on loopback). Every page is
checked to answer 200 with its real content before it is measured.

Pages and users (from ``python -m bench.generate``):

* ``inbox``: ``/nomination/inbox/`` of the district reviewer with the most assigned tasks; ``queue`` too.
* ``dossiers``: ``/dossiers/`` (50 per page, by name) for that reviewer (~10k visible nominations) and for
  ``bp-thanhtra`` (a global grant: all 100k), page 1 and a deep page (the last but one).
* ``api``: ``/api/nominations/`` (cursor pagination), first page and a cursor near the end, as ``bp-thanhtra``.
* ``ballot``: a council member's vote page (``/council/<process>/vote/<task>/execute/``) in a session of 500 items.
* ``viec-cua-toi``: 'Việc của tôi' of that reviewer (every task she holds or may take, three flows) and of the
  council member (her open ballots, ``?viec=council.vote``).
* ``session``: that session's page (``/sessions/<id>/``, its 500-item agenda); ``decision``: the page of the
  decision with the most awardees (``/decisions/<id>/``).

Goal: p95 ≤ 100 ms at 8 clients; deep pages ≤ 2× page 1 (p50, 1 client). The floor is
``/api/org-units/<province>/`` (session, user, one query).
"""

import argparse
import base64
import sys
from urllib.parse import quote, urlencode

from bench import common

GOAL_P95_MS = 100.0


def targets():
    """[(name, username, path, marker expected in the page)]."""
    from django.db.models import Count
    from django.urls import reverse
    from viewflow.workflow.models import Task

    from nominations.models import Decision, Nomination, OrgUnit
    from workflow import permissions as perms
    from workflow.flows import CouncilFlow, NominationFlow

    busiest = (
        Task.objects.filter(status="ASSIGNED", owner__username__startswith="nv-", flow_task=NominationFlow.review)
        .values("owner__username")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    reviewer = busiest["owner__username"]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=reviewer)
    visible = perms.visible_nominations(user).count()
    last = -(-visible // 50)
    everyone = Nomination.objects.count()
    last_all = -(-everyone // 50)
    vote = Task.objects.filter(flow_task=CouncilFlow.vote, status="ASSIGNED").select_related("owner").first()
    items = vote.process.artifact.items.count()
    province = OrgUnit.objects.get(code="bp").pk
    session = vote.process.artifact
    decision = Decision.objects.annotate(n=Count("items")).select_related("drafted_by").order_by("-n", "pk").first()
    oldest = Nomination.objects.order_by("pk").values_list("pk", flat=True)[60]
    cursor = base64.b64encode(urlencode({"p": oldest}).encode()).decode()
    print(
        f"users: {reviewer} ({busiest['n']} assigned reviews, {visible:,} visible nominations), "
        f"bp-thanhtra ({everyone:,}), {vote.owner.username} (ballot of {items} items)"
    )
    pages = [
        ("floor /api/org-units/<id>/", reviewer, f"/api/org-units/{province}/", '"code"'),
        ("inbox", reviewer, "/nomination/inbox/", "Thẩm định"),
        ("queue", reviewer, "/nomination/queue/", "Thẩm định"),
        ("viec-cua-toi (reviewer)", reviewer, "/viec-cua-toi/", "Thẩm định"),
        ("viec-cua-toi (council member)", vote.owner.username, "/viec-cua-toi/?viec=council.vote", "Bỏ phiếu"),
        (f"session ({items} items)", vote.owner.username, f"/sessions/{session.pk}/", session.title[:20]),
        ("dossiers p1 (reviewer)", reviewer, "/dossiers/", "page"),
        (f"dossiers p{last - 1} (reviewer)", reviewer, f"/dossiers/?page={last - 1}", "page"),
        ("dossiers p1 (all 100k)", "bp-thanhtra", "/dossiers/", "page"),
        (f"dossiers p{last_all - 1} (all 100k)", "bp-thanhtra", f"/dossiers/?page={last_all - 1}", "page"),
        ("api nominations first", "bp-thanhtra", "/api/nominations/", '"results"'),
        ("api nominations deep cursor", "bp-thanhtra", f"/api/nominations/?cursor={quote(cursor)}", '"results"'),
        (
            f"ballot ({items} items)",
            vote.owner.username,
            reverse("council:vote:execute", args=[vote.process_id, vote.pk]),
            "item_",
        ),
    ]
    if decision is not None:
        # Its drafter (the council's secretary) may see it.
        pages.append(
            (
                f"decision ({decision.n} items)",
                decision.drafted_by.username,
                f"/decisions/{decision.pk}/",
                decision.subject[:20],
            )
        )
    return pages


def explain(pages, top: int = 3, repeat: int = 9):
    """In-process: statements per page, the slowest of them, and the request's total time split into the
    template's rendering (the frame and the rows), the view's own work (the list's SQL and rows) and the rest
    (middleware, session, user, rights, the frame's context). A view that renders its template itself (not a
    TemplateResponse) counts it as the view's. CPU: the process's own time per request (``time.thread_time``,
    the median of ``repeat``), the honest figure on a shared box; the split below is one request's wall time."""
    import time

    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.template.response import SimpleTemplateResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.views.generic.base import View

    spent = {}

    def timed(cls, name, key):
        original = getattr(cls, name)
        call = original.fget if isinstance(original, property) else original

        def wrapper(self, *args, **kwargs):
            t = time.perf_counter()
            try:
                return call(self, *args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0) + (time.perf_counter() - t) * 1000

        setattr(cls, name, property(wrapper) if isinstance(original, property) else wrapper)

    timed(SimpleTemplateResponse, "rendered_content", "render")
    timed(View, "dispatch", "view")
    client = Client()
    for name, username, path, _marker in pages:
        client.force_login(get_user_model().objects.get(username=username))
        client.get(path)
        cpus = []
        for _ in range(repeat):  # the CPU figure is the median of ``repeat`` requests (a shared box is noisy)
            t = time.thread_time()
            client.get(path)
            cpus.append((time.thread_time() - t) * 1000)
        cpu = sorted(cpus)[len(cpus) // 2]
        reset_queries()
        spent.clear()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - t) * 1000
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        view, render = spent.get("view", 0.0), spent.get("render", 0.0)
        print(
            f"\n{name}: {response.status_code}, {len(ctx.captured_queries)} statements, CPU {cpu:.1f} ms (median of "
            f"{repeat}); {total:.1f} ms in-process of which SQL {sql_ms:.1f} ms; view {view:.1f} ms, template "
            f"{render:.1f} ms, the rest (middleware, session, user, rights, the frame's context) "
            f"{total - view - render:.1f} ms"
        )
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:top]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="page latency at 100k nominations")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--in-process", action="store_true", help="only --explain's figures: no server, no wrk")
    parser.add_argument("--repeat", type=int, default=9, help="requests per page for the in-process CPU median")
    args = parser.parse_args(argv)
    common.setup_django()
    from bench.generate import is_generated

    if not is_generated():
        sys.exit("run `python -m bench.generate` first")
    if args.in_process:
        explain([p for p in targets() if args.only in p[0] or p[0].startswith("floor")], repeat=args.repeat)
        return 0
    if not common.wrk_available():
        sys.exit("wrk is missing: apt-get install -y wrk")
    common.header("bench.pages: wrk on gunicorn -w 2, production settings, bench database")
    pages = [p for p in targets() if args.only in p[0] or p[0].startswith("floor")]
    levels = [int(c) for c in args.clients.split(",")]
    results = {}
    with common.gunicorn(workers=2) as (base, _server):
        clients = common.login_all(base, sorted({u for _n, u, _p, _m in pages}))
        for name, username, path, marker in pages:
            client = clients[username]
            for _ in range(3):
                response = client.get(path)
            body = response.content.decode(errors="replace")
            if response.status_code != 200 or marker not in body:
                raise RuntimeError(f"{name}: {response.status_code}, marker {marker!r} missing; {body[:300]}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            for n in levels:
                r = common.run_wrk(base + path, cookie, n, args.seconds)
                results[(name, n)] = r
                good = r["p95"] <= GOAL_P95_MS and not r["timeouts"] and not r["non2xx"]
                flag = "" if n != 8 or name.startswith("floor") else f"  {common.verdict(good)}"
                print(
                    f"{name:<34} c={n}: p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
                    f"{r['rps']:6.1f} req/s  n={r['requests']} non-2xx {r['non2xx']} timeouts {r['timeouts']}{flag}",
                    flush=True,
                )
    print()
    for page, deep in (
        ("dossiers p1 (reviewer)", "(reviewer)"),
        ("dossiers p1 (all 100k)", "(all 100k)"),
        ("api nominations first", "api nominations deep"),
    ):
        # The deep page of the same list (same first word: "dossiers", "api").
        deep_name = next((n for n, _c in results if n != page and deep in n and n.split()[0] == page.split()[0]), None)
        if (page, 1) in results and deep_name and (deep_name, 1) in results:
            ratio = results[(deep_name, 1)]["p50"] / results[(page, 1)]["p50"]
            print(f"DEEP   {deep_name} / {page}: {ratio:.2f}× (p50, 1 client; goal ≤ 2×): {common.verdict(ratio <= 2)}")
    worst = max((r["p95"], n) for (n, c), r in results.items() if c == 8 and not n.startswith("floor"))
    print(
        f"P95@8  worst page {worst[1]}: {worst[0]:.1f} ms (goal ≤ {GOAL_P95_MS:.0f} ms): "
        f"{common.verdict(worst[0] <= GOAL_P95_MS)}"
    )
    if args.explain:
        explain(pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
