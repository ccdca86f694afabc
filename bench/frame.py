"""The frame every HTML page shares (issue 18 item 1): CPU per request in-process, on the bench database.

    .venv/bin/python -m bench.frame                 # 40 requests per URL after 3 warm-up requests
    .venv/bin/python -m bench.frame --requests 100

Read-only on the bench database (``python -m bench.generate`` first; sessions are written by the logins). Each
figure is the median ``time.thread_time()`` of a request through Django's test client with production settings
(bench/common.py), so other processes on the box count for little. Printed:

* ``floor``: a trivial authenticated API GET (session, user, one query), as in ``bench.pages``;
* ``frame only``: a page of each kind of application (ours, viewflow's flow, 'Việc của tôi') whose view is
  replaced here by an empty ``workflow/page.html``: the base page, side menu, bell, language switch and a11y script
  with nothing in the body. Goal: ≤ floor + 3 ms;
* the light pages of ``bench.pages`` (council member's 'Việc của tôi', the session page, the inbox): goal ≤ ~18 ms,
  the figure at one client at which a page meets p95 ≤ 100 ms at 8 clients on this box.
"""

import argparse
import statistics
import time

from bench import common


def _cpu_ms(client, path, requests: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    statements = len(ctx.captured_queries)  # now: the next request's start empties the log
    times = []
    for _ in range(requests):
        t = time.thread_time()
        client.get(path)
        times.append((time.thread_time() - t) * 1000)
    return statistics.median(times), statements


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
    print(f"bench.frame: CPU per request in-process, median of {args.requests}")
    for name, username, path in measured:
        view = resolve(path.split("?")[0]).func.view_class
        original = view.get
        if name.startswith("frame only"):
            view.get = lambda self, request, *a, **k: TemplateResponse(request, "workflow/page.html", {})
        try:
            users.setdefault(username, get_user_model().objects.get(username=username))
            client.force_login(users[username])
            ms, statements = _cpu_ms(client, path, args.requests)
        finally:
            view.get = original
        print(f"{name:<32} {ms:6.1f} ms CPU  {statements:2d} statements  ({username} {path})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
