"""The chairman never waits, in Chromium: signing lands on the progress page at once, the page updates itself while
the documents and certificates are made after the response (make run's mode, jobs/inline.py: threads of the live
server's process), reaches "done" and shows the document links; the decision page links to it.

The jobs are held at a gate until the page has shown the work under way, so the test sees both states whatever
the box's speed (nothing is timed).
"""

import contextlib
import re
import threading

import pytest

from . import ui
from .conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, requires_chromium
from .journey import Journey
from .ui import Screenshots

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def drafted(committed_demo, private_storage, celery_inline, client):
    """A decision drafted for two awardees, waiting for the chairman (ORM work before the browser starts)."""
    from ..jobs import scenario

    users = scenario.users()
    _process, noms, session, last = scenario.before_the_last_ballot(client, users)
    scenario.cast_the_last_ballot(client, session, last)
    return scenario.draft(client, users, noms).artifact.subject


@pytest.fixture
def gate(drafted, settings, monkeypatch):
    """make run's mode from here on; every job waits for the test's go before it runs."""
    from celery import current_app
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from jobs import inline

    settings.THIDUA_INLINE_AFTER_RESPONSE = True
    # make run has no broker: in the PostgreSQL stage (a broker and a live worker) the jobs still run here.
    # The prefixed names: read with the CELERY namespace, CELERY_TASK_ALWAYS_EAGER (False with a broker) wins
    # over an unprefixed task_always_eager, which therefore changed nothing (bench.signing's hang, 2026-12-05).
    monkeypatch.setattr(current_app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    monkeypatch.setattr(current_app.conf, "CELERY_TASK_EAGER_PROPAGATES", True)
    opened, run_job = threading.Event(), inline.run_job
    # The test database on SQLite is in memory, shared between threads with table locks that fail at once
    # instead of waiting ("database table is locked"); make run's file database waits for the writer
    # (config/settings.py: IMMEDIATE, timeout 20 s). One lock around each request and each job stands for
    # that wait here. PostgreSQL needs none.
    lock = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    handle = WSGIHandler.__call__

    def locked_request(self, environ, start_response):
        with lock:
            return handle(self, environ, start_response)

    def gated_job(job_id):
        opened.wait(120)
        with lock:
            return run_job(job_id)

    monkeypatch.setattr(WSGIHandler, "__call__", locked_request)
    monkeypatch.setattr(inline, "run_job", gated_job)
    yield opened
    opened.set()
    inline.stop_all()  # the threads finish before the data is flushed


@pytest.fixture
def chromium(gate, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_the_chairman_signs_and_watches_the_documents_being_made(
    chromium, drafted, gate, live_server, artifacts, tmp_path
):
    context = chromium.new_context(locale="vi-VN", viewport=VIEWPORT, base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(60_000)  # bounds a failure only (tests/browser/conftest.py)
    files = tmp_path / "files"
    files.mkdir()
    journey = Journey(lambda: context.new_page(), Screenshots(artifacts), files)
    try:
        page = journey.as_user("chutich_ubnd")
        csp = []  # the polling script is the page's own, allowed by the strict policy (tests/browser/test_csp.py)
        page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        journey.open_task(page, "Ký quyết định", "Ký quyết định", drafted)
        ui.pick_radio(page, "Ký ban hành")
        ui.fill(page, "password", ui.DEMO_PASSWORD)
        ui.submit(page, leaving="/execute/")

        # The request has answered: the chairman is on the progress page while the documents are still to come.
        page.wait_for_url(re.compile(r".*/decisions/\d+/progress/$"))
        region = page.locator("#signing-progress")
        assert region.get_attribute("aria-live") == "polite"
        assert "Đang tạo văn bản và giấy khen…" in region.inner_text()
        assert "Văn bản (Quyết định, Tờ trình): 0/4" in region.inner_text()
        assert page.get_by_role("link", name="Quyết định (DOCX)").count() == 0
        journey.shot(page, "signing-progress-running")
        navigations = page.evaluate("performance.getEntriesByType('navigation').length")
        address = page.url

        gate.set()  # the documents job may go on: the page must notice by itself
        page.get_by_text("Đã hoàn tất: văn bản và giấy khen đã sẵn sàng.").wait_for()
        text = region.inner_text()
        assert "Văn bản (Quyết định, Tờ trình): 4/4" in text and "Giấy khen: 2/2" in text, text
        # Updated in place: the same document, not a reload.
        assert page.url == address
        assert page.evaluate("performance.getEntriesByType('navigation').length") == navigations
        journey.shot(page, "signing-progress-done")
        assert csp == []
        with page.expect_download() as download:
            page.get_by_role("link", name="Quyết định (DOCX)").click()
        assert download.value.suggested_filename.endswith(".docx")
        with page.expect_download() as download:
            page.get_by_role("link", name="Giấy khen (zip)").click()
        assert download.value.suggested_filename.endswith(".zip")

        # The decision page leads to the same view.
        page.get_by_role("link", name="Xem quyết định").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
        page.get_by_role("link", name="Tiến độ tạo văn bản và giấy khen").click()
        page.wait_for_url(re.compile(r".*/decisions/\d+/progress/$"))
        assert "Đã hoàn tất" in page.locator("#signing-progress").inner_text()
    except Exception:
        for username, opened in journey.pages.items():
            opened.screenshot(path=artifacts / f"failure-signing-{username}.png", full_page=True)
            (artifacts / f"failure-signing-{username}.html").write_text(opened.content(), encoding="utf-8")
        raise
    finally:
        context.close()
