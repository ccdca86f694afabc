"""The journey's steps up to the ballot, with the completion round's file replacement and the reviewer's
per-round changes, and a ballot sent with "Tán thành tất cả…" after its confirmation; axe-core on every page.

tests/browser/rounds_journey.py holds the steps; tests/browser/test_journey.py the whole procedure.
"""

import re

import pytest

from .a11y import Audit
from .conftest import requires_chromium
from .rounds_journey import RoundsJourney, RoundsScreenshots

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def rounds_data(committed_demo, private_storage, celery_inline):
    return committed_demo


@pytest.fixture
def rounds_browser(rounds_data, live_server):
    """Chromium, started after every fixture that touches the database (Playwright runs an event loop)."""
    from playwright.sync_api import sync_playwright

    from .conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_a_file_replaced_in_the_completion_round_and_a_ballot_agreed_to_all(
    rounds_browser, live_server, artifacts, tmp_path, request
):
    contexts = []

    def new_page():
        context = rounds_browser.new_context(
            locale="vi-VN", viewport={"width": 1366, "height": 850}, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(60_000)  # see tests/browser/conftest.py: bounds a failure only
        contexts.append(context)
        return context.new_page()

    files = tmp_path / "uploads"
    files.mkdir()
    audit = Audit()
    journey = RoundsJourney(new_page, RoundsScreenshots(artifacts), files, audit)
    try:
        journey.clerk_prepares()
        journey.head_submits()
        journey.reviewer_asks_for_completion()
        journey.clerk_completes()
        journey.reviewer_accepts()
        journey.secretary_opens_session()
        code = journey.first_member_agrees_to_all()
        assert re.fullmatch(r"[A-Z0-9-]{6,}", code), code
        assert not audit.found, "axe-core:\n" + audit.report()
    except Exception:
        for username, page in journey.pages.items():
            request.node.add_report_section("call", f"page of {username}", page.url)
            page.screenshot(path=artifacts / f"failure-rounds-{username}.png", full_page=True)
        raise
    finally:
        for context in contexts:
            context.close()
