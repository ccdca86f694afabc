"""What a person does in viewflow's Material frontend, written once: log in, pick, tick, submit.

Only what Playwright's actionability checks allow: every element clicked or filled must be visible,
stable, enabled and the one under the pointer. Nothing is forced, nothing is set by script.
"""

import re
from urllib.parse import urlsplit

from nominations.demo import DEMO_PASSWORD

LOGIN = re.compile(r".*/accounts/login/.*")


class Screenshots:
    """journey-NN-<name>.png, numbered in the order they are taken."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def __call__(self, page, name):
        self.count += 1
        path = self.folder / f"journey-{self.count:02d}-{name}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")


def log_in(page, username):
    page.goto("/")
    page.wait_for_url(LOGIN)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.vf-form button[type=submit]")
    # Turbo posts the form by fetch: wait for the URL to leave the login page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def side_menu(page, label):
    """Click an entry of the side menu (the apps, and each flow's inbox, queue… with their counts)."""
    name = re.compile(rf"^\s*{re.escape(label)}(\s+\d+)?\s*$")
    link = page.locator("nav.mdc-drawer__content").get_by_role("link", name=name).first
    path = link.get_attribute("href")
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    page.wait_for_load_state("networkidle")  # viewflow swaps pages in place: let it finish before the next click


def choose(page, name, option):
    """Pick ``option`` (a label or a compiled pattern) in the Material select of field ``name``."""
    field = page.locator(f"vf-field-select[name={name}]")
    field.locator(".mdc-select__anchor").click()
    field.get_by_role("option", name=option).click()
    field.locator(f"input[name={name}]").wait_for(state="attached")
    selected = field.locator(".mdc-select__selected-text")
    if isinstance(option, str):
        assert selected.inner_text().strip() == option
    else:
        assert option.search(selected.inner_text())


def tick(page, label):
    """Tick the checkbox labelled ``label`` (exact text)."""
    page.get_by_label(label, exact=True).check()


def pick_radio(page, label):
    page.get_by_label(label, exact=True).check()


def fill(page, name, text):
    """Type into the text field, text area or password field ``name``."""
    page.locator(f"[name={name}]:is(input, textarea):visible").fill(text)


def submit(page, leaving=None):
    """Press the form's primary button and wait until the page has moved on.

    ``leaving``: a part of the URL the page must leave (the form stays on it, answering 422, when invalid).
    """
    url = page.url
    page.locator("form button.mdc-button--raised:visible").last.click()
    if leaving is None:
        page.wait_for_url(lambda now: now != url)
    else:
        page.wait_for_url(lambda now: leaving not in now)


def submit_invalid(page):
    """Press the primary button expecting the form back with errors (viewflow answers 422)."""
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator("form button.mdc-button--raised:visible").last.click()
    assert response.value.status == 422, response.value.status
    page.locator("form.vf-form").wait_for()


def row_link(page, text):
    """The first link of the list row containing ``text``."""
    return page.locator("table tbody tr", has_text=text).first.get_by_role("link").first


def visible_text(page):
    return page.locator("body").inner_text()
