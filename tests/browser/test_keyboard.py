"""Keyboard only: a council member votes with Tab, Space and Enter; a person goes through the side menu.

No click: each step presses a key and reads where the focus is (document.activeElement), as a person using
the keyboard sees the focus ring. Every focused control must show that ring (a visible outline).
"""

import re

import pytest

from nominations.demo import DEMO_PASSWORD

from .conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

SESSION = "Phiên họp biểu quyết bằng bàn phím"
FOCUS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const item = e.querySelector('.mdc-list-item__content');  // a menu entry: its text, not its icon's
    const label = (item ? item.innerText : '') || (e.labels && e.labels.length ? e.labels[0].innerText : '')
        || e.getAttribute('aria-label') || e.innerText || '';
    const style = getComputedStyle(e);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return {tag: e.tagName, type: e.type || '', name: e.name || '', label: label.trim(), checked: !!e.checked, ring,
            legend: e.closest('fieldset') ? e.closest('fieldset').querySelector('legend').innerText : '',
            menu: !!e.closest('nav.mdc-drawer__content')};
}"""


@pytest.fixture
def keyboard_data(committed_demo, private_storage, celery_inline, client):
    """A session open for voting, the demo's council present; ORM work before Playwright starts."""
    from ..workflow.helpers import accepted_dossier, council_session

    users = committed_demo["users"]
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình"])
    council_session(client, users, noms, title=SESSION, vote=False)
    return committed_demo


@pytest.fixture
def keyboard_page(keyboard_data, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="vi-VN", viewport=VIEWPORT, base_url=live_server.url)
            context.set_default_timeout(60_000)  # see conftest: bounds a failure only
            yield context.new_page()
        finally:
            chromium.close()


def tab_to(page, wanted, limit=150, key="Tab"):
    """Press Tab until the focused element matches ``wanted(focus)``; every stop must show its focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        seen.append(f"{focus['label'][:40]} {focus['name']}".strip())
        assert focus["ring"], f"no visible focus on {focus}"
        if wanted(focus):
            return focus
    raise AssertionError(f"never reached with {key}; focus went through: {seen}")


def log_in_by_keyboard(page, username):
    page.goto("/")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    focus = page.evaluate(FOCUS)  # the login form puts the focus on the user name itself
    if not (focus and focus["type"] == "text"):
        tab_to(page, lambda f: f["tag"] == "INPUT" and f["type"] == "text")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_council_member_votes_with_the_keyboard_only(keyboard_page):
    page = keyboard_page
    log_in_by_keyboard(page, "uyvien_2")
    # A council member lands on her open ballots ('Việc của tôi').
    page.wait_for_url(re.compile(r".*/viec-cua-toi/\?viec=council\.vote$"))
    tab_to(page, lambda f: f["tag"] == "A" and f["label"].startswith("Làm việc: Bỏ phiếu") and SESSION in f["label"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/vote/\d+/execute/$"))
    page.locator("fieldset.thidua-ballot").first.wait_for()
    items = [radio.get_attribute("name") for radio in page.locator("fieldset.thidua-ballot input[value=agree]").all()]
    assert len(items) == 2
    for name in items:
        # Tab enters each item's radio group on its first choice; Space ticks it.
        focus = tab_to(page, lambda f, name=name: f["type"] == "radio" and f["name"] == name)
        assert focus["label"] == "Tán thành" and focus["legend"]
        page.keyboard.press("Space")
        assert page.evaluate(FOCUS)["checked"]
    # The button is shown in capitals (CSS): compare without case.
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["label"].lower() == "gửi phiếu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sessions/\d+/receipt/$"))
    assert re.fullmatch(r"[A-Z0-9-]{6,}", page.locator(".thidua-receipt__code").inner_text().strip())


def test_the_side_menu_is_reached_and_followed_with_the_keyboard(keyboard_page):
    page = keyboard_page
    log_in_by_keyboard(page, "thuky_hoidong")
    page.wait_for_url(re.compile(r".*/viec-cua-toi/$"))
    # Every entry of the side menu is a Tab stop, in order: the secretary goes to the decisions.
    focus = tab_to(page, lambda f: f["menu"] and f["label"] == "Quyết định")
    assert focus["tag"] == "A"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/decisions/$"))
    # And back through the menu with Shift+Tab, to 'Việc của tôi'.
    tab_to(page, lambda f: f["menu"] and f["label"] == "Việc của tôi", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/viec-cua-toi/$"))
