"""The whole procedure in Chromium: every role does its step through the pages, by clicking what it sees.

See tests/browser/journey.py for the steps. Background tasks run in the live server's process (inline),
on SQLite in `make test` and on PostgreSQL in `make test-pg`; a screenshot per step goes to the artifacts.
"""

import pytest

from .a11y import Audit
from .conftest import requires_chromium
from .journey import Journey
from .ui import Screenshots

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def journey_data(committed_demo, private_storage, celery_inline):
    """The demo, committed for the live server, with background tasks run inline in its thread.

    The documents and certificates made after signing are then ready when the signing request answers
    (a live worker, in the PostgreSQL stage, would write to its own storage, not this test's).
    """
    return committed_demo


@pytest.fixture
def journey_browser(journey_data, live_server):
    """Chromium, started after every fixture that touches the database (Playwright runs an event loop)."""
    from playwright.sync_api import sync_playwright

    from .conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_every_role_does_its_step_in_the_browser(journey_browser, live_server, artifacts, tmp_path, request):
    contexts = []

    def new_page():
        context = journey_browser.new_context(
            locale="vi-VN", viewport={"width": 1366, "height": 850}, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(60_000)  # see tests/browser/conftest.py: bounds a failure only
        contexts.append(context)
        return context.new_page()

    files = tmp_path / "uploads"
    files.mkdir()
    audit = Audit()
    journey = Journey(new_page, Screenshots(artifacts), files, audit)
    try:
        journey.clerk_prepares()
        journey.head_submits()
        journey.reviewer_asks_for_completion()
        journey.clerk_completes()
        journey.reviewer_accepts()
        journey.secretary_opens_session()
        receipts = journey.members_vote()
        assert len(receipts) == 5
        journey.secretary_drafts_decision()
        journey.chairman_signs()
        journey.documents_and_certificates()
        journey.public_pages()
        journey.chairman_revokes()
        # axe-core on every page the journey showed: no serious or critical WCAG 2.1 AA violation.
        assert len(audit.pages) >= 30, audit.pages
        assert not audit.found, "axe-core:\n" + audit.report()
    except Exception:
        for username, page in journey.pages.items():
            request.node.add_report_section("call", f"page of {username}", page.url)
            page.screenshot(path=artifacts / f"failure-{username}.png", full_page=True)
            (artifacts / f"failure-{username}.html").write_text(page.content(), encoding="utf-8")
        raise
    finally:
        for context in contexts:
            context.close()
