"""Playwright driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot reach its CDN here, so the browser is the system
Chromium (`apt-get install chromium`); tests are skipped when it is absent.

The sync Playwright API runs an asyncio loop in the test thread: once it has
started, Django refuses ORM calls (SynchronousOnlyOperation). Every database
read or write therefore happens in fixtures that `browser` depends on, so
they are set up before Playwright starts and torn down after it stops.
"""

import os
import shutil
from pathlib import Path

import pytest

from workflow import counters

REAL_TTL = counters.TTL  # read at import: tests/conftest.py's fixture changes it during each test
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OTHER_NOMINEE = "Hà Thị Xuân"
VIEWPORT = {"width": 1366, "height": 850}

requires_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    setattr(item, f"report_{call.when}", outcome.get_result())


@pytest.fixture(autouse=True)
def counters_as_in_production(fresh_counters, monkeypatch):
    """The counters' real lifetime (tests/conftest.py keeps them for the whole test): with a live worker the bell's
    notification is written in the worker's process, whose cache the server's does not share, and a person sees it
    when the server's count expires, as in production without a shared cache."""
    monkeypatch.setattr(counters, "TTL", REAL_TTL)


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploads made while preparing the data go to the test's tmp dir, not var/private."""
    from ..private_storage import isolate

    isolate(settings, tmp_path / "private")


@pytest.fixture
def ui_data(committed_demo, private_storage, client):
    """Committed demo data plus one dossier of another ward waiting for its head; ORM work done here."""
    from nominations.models import Submission
    from workflow.flows import NominationFlow as F

    from ..workflow.helpers import act, add_nomination, complete_dossier, open_task, start

    users = committed_demo["users"]
    rehearsal = committed_demo["rehearsal"]

    # Phường Đông Kinh sends a dossier to its head: an unassigned task in the Đông Kinh heads' queue.
    clerk = users["canbo_dongkinh"]
    other = start(client, clerk, unit_code="p-dong-kinh-moi", title="Tờ trình đề nghị khen thưởng – Phường Đông Kinh")
    nominee = add_nomination(client, other.artifact, OTHER_NOMINEE)
    complete_dossier(client, other.artifact, [nominee])
    assert act(client, clerk, other, F.prepare).status_code == 302
    assert open_task(other, F.head_approval).owner is None
    # Positive control: the task is in a queue — Đông Kinh's head sees it there.
    client.force_login(users["chutich_dongkinh"])
    assert "Phường Đông Kinh" in client.get("/nomination/queue/").content.decode()
    client.logout()

    own = Submission.objects.get(campaign=rehearsal, unit__code="p-ky-lua")
    return {"own_pk": own.pk, "other_pk": other.artifact.pk, "other_nominee": OTHER_NOMINEE}


@pytest.fixture
def artifacts(tmp_path):
    """Where screenshots go: pytest's tmp dir; copied to $THIDUA_ARTIFACTS_DIR when that is set."""
    shots = tmp_path / "screenshots"
    shots.mkdir()
    yield shots
    target = os.environ.get("THIDUA_ARTIFACTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for shot in [*shots.glob("*.png"), *shots.glob("*.html")]:
            shutil.copy2(shot, Path(target) / shot.name)


@pytest.fixture
def browser(ui_data, live_server):
    """A headless Chromium, started only after the data fixtures have done their ORM work."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(request, browser, live_server, artifacts):
    """new_page() → a page in a fresh context (own cookies), in Vietnamese.

    When the test fails, every page's URL goes into the report and its screenshot and HTML into
    the artifacts (failure-<n>.png / .html).
    """
    contexts = []

    def make():
        context = browser.new_context(locale="vi-VN", viewport=VIEWPORT, base_url=live_server.url)
        # Generous: a CI box with two cores also runs PostgreSQL, Redis and a worker; a wait only ends early
        # when the element is there, so this bounds failures, never slows a passing run.
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    pages = [page for context in contexts for page in context.pages]
    if report is not None and report.failed:
        for n, page in enumerate(pages, 1):
            report.sections.append((f"browser page {n}", page.url))
            try:
                page.screenshot(path=artifacts / f"failure-{n}.png", timeout=5_000)
                (artifacts / f"failure-{n}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # a crashed or hung page must not hide the test's own error
                report.sections.append((f"browser page {n} capture", repr(exc)))
    for context in contexts:
        context.close()
