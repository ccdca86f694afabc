"""The frame every HTML page shares (issue 18 item 1): CPU per request in-process, on the bench database.

    .venv/bin/python -m bench.frame                 # 40 requests per URL after 3 warm-up requests
    .venv/bin/python -m bench.frame --requests 100

Read-only on the bench database (``python -m bench.generate`` first; sessions are written by the logins). Each
figure is the median ``time.thread_time()`` of a request through Django's test client with production settings
(bench/common.py), so other processes on the box count for little; next to it, PostgreSQL's own CPU per request
(the mean over the requests of its server process's user + system time, read from ``/proc`` when the database
runs on this host; clock ticks of 10 ms, so a mean over 40 requests is good to ~0.3 ms). Printed:

* ``floor``: a trivial authenticated API GET (session, user, one query), as in ``bench.pages``;
* ``frame only``: a page of each kind of application (ours, viewflow's flow, 'Việc của tôi') whose view is
  replaced here by an empty ``workflow/page.html``: the base page, side menu, bell, language switch and a11y script
  with nothing in the body. Goal: ≤ floor + 3 ms;
* ``rights check``: ``permissions.can`` on a unit for a user loaded afresh (the roles in force and the global
  permissions, as the first check of every request reads them), without a request around it;
* the light pages of ``bench.pages`` (council member's 'Việc của tôi', the session page, the inbox): goal ≤ ~18 ms,
  the figure at one client at which a page meets p95 ≤ 100 ms at 8 clients on this box.
"""

import argparse
import os
import statistics
import time

from bench import common

_pids = {}


def _server_cpu_ms() -> float | None:
    """CPU time (ms) used so far by the PostgreSQL process serving this connection, or None when it cannot be
    read (another host, no /proc)."""
    from django.db import connection

    connection.ensure_connection()
    pid = _pids.get(id(connection.connection))
    if pid is None:  # asked once per connection: the question is not part of what is measured
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = _pids[id(connection.connection)] = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime + stime


def _measure(call, requests: int) -> tuple[float, float | None]:
    """(median CPU ms of this process per call, mean CPU ms of PostgreSQL's server process per call or None)."""
    times = []
    server = _server_cpu_ms()
    for _ in range(requests):
        t = time.thread_time()
        call()
        times.append((time.thread_time() - t) * 1000)
    after = _server_cpu_ms()
    return statistics.median(times), None if server is None or after is None else (after - server) / requests


def _cpu_ms(client, path, requests: int) -> tuple[float, float | None, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    statements = len(ctx.captured_queries)  # now: the next request's start empties the log
    return *_measure(lambda: client.get(path), requests), statements


def _rights_ms(username: str, requests: int) -> tuple[float, float | None, int]:
    """``permissions.can`` on a unit the user does not act for, by the user loaded afresh (not measured)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nominations.models import OrgUnit
    from workflow import permissions as perms

    users = get_user_model().objects
    pk = users.get(username=username).pk
    unit = OrgUnit.objects.order_by("-pk").first()
    fresh = []

    def check():
        perms.can(fresh.pop(), perms.REVIEW, unit)

    for _ in range(3):
        fresh.append(users.get(pk=pk))
        check()
    fresh.append(users.get(pk=pk))
    with CaptureQueriesContext(connection) as ctx:
        check()
    times, server = [], 0.0
    for _ in range(requests):
        fresh.append(users.get(pk=pk))
        ms, server_ms = _measure(check, 1)
        times.append(ms)
        server = None if server is None or server_ms is None else server + server_ms
    return statistics.median(times), None if server is None else server / requests, len(ctx.captured_queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description="CPU of the frame every HTML page shares")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    common.setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.response import TemplateResponse
    from django.test import Client
    from django.urls import resolve

    from bench.pages import targets

    settings.ALLOWED_HOSTS = ["*"]
    pages = {name: (u, p) for name, u, p, _m in targets()}
    floor_user, floor_path = pages["floor /api/org-units/<id>/"]
    member, _ = pages["viec-cua-toi (council member)"]
    session = next((u, p) for n, (u, p) in pages.items() if n.startswith("session"))
    inbox = pages["inbox"]
    measured = [
        ("floor", floor_user, floor_path),
        ("frame only, sessions app", member, "/sessions/"),
        ("frame only, flow app (inbox)", floor_user, "/nomination/inbox/"),
        ("frame only, viec-cua-toi", member, "/viec-cua-toi/"),
        ("viec-cua-toi (council member)", member, "/viec-cua-toi/?viec=council.vote"),
        ("session page (500 items)", *session),
        ("inbox (reviewer)", *inbox),
    ]
    client = Client()
    users = {}
    print(f"bench.frame: CPU per request in-process, median of {args.requests} (PostgreSQL: mean)")

    def show(name, ms, server_ms, statements, where):
        server = "   n/a" if server_ms is None else f"{server_ms:6.1f}"
        print(f"{name:<32} {ms:6.1f} ms CPU + PostgreSQL {server} ms  {statements:2d} statements  ({where})")

    show("rights check (can on a unit)", *_rights_ms(floor_user, args.requests), floor_user)
    for name, username, path in measured:
        view = resolve(path.split("?")[0]).func.view_class
        original = view.get
        if name.startswith("frame only"):
            view.get = lambda self, request, *a, **k: TemplateResponse(request, "workflow/page.html", {})
        try:
            users.setdefault(username, get_user_model().objects.get(username=username))
            client.force_login(users[username])
            ms, server_ms, statements = _cpu_ms(client, path, args.requests)
        finally:
            view.get = original
        show(name, ms, server_ms, statements, f"{username} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
