"""The issuer's administrator in Chromium (issue 13): `quantri_ubnd` founds a ward, adds a person with a role
(invited by e-mail) and seats them on the province's council, all through the pages; the person chooses a
password through the invitation's link, logs in and opens a dossier for the new ward; the chairman grants the
vice-chairman signing power, which shows in force. Only what is on screen is clicked, picked or typed; axe-core
checks every page of the administrator's.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest

from . import ui
from .a11y import Audit
from .conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

WARD = "Phường Hữu Nghị (minh họa)"
PERSON = "Lò Thị Mới"
USERNAME = "canbo_huunghi"
PASSWORD = "Hữu-Nghị-mật-khẩu-2026"
COUNCIL_ISSUER = "Tỉnh Lạng Sơn"


@pytest.fixture
def admin_browser(committed_demo, private_storage, celery_inline, mailoutbox, live_server):
    """Chromium, started after every fixture that touches the database (Playwright runs an event loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _menu(page, label):
    """Click the side menu's entry ``label`` (its icon's name is not part of what a person reads)."""
    link = page.locator("nav.mdc-drawer__content a.mdc-list-item", has_text=label)
    path = link.first.get_attribute("href")
    link.first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    page.wait_for_load_state("networkidle")


def _select(page, name, label):
    """Pick ``label`` in the plain select ``name`` of the administration pages."""
    page.locator(f"select[name={name}]").select_option(label=label)


def _date(page, name, day):
    page.locator(f"input[name={name}]").fill(day.isoformat())


def _save(page, leaving):
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(lambda url: leaving not in url)


def test_the_administrator_sets_up_a_ward_a_person_and_a_council_seat_and_the_person_acts(
    admin_browser, live_server, artifacts, mailoutbox, request
):
    today = datetime.date.today()
    contexts, audit, shots = [], Audit(), ui.Screenshots(artifacts)

    def new_page():
        context = admin_browser.new_context(locale="vi-VN", viewport=VIEWPORT, base_url=live_server.url)
        context.set_default_timeout(60_000)  # see tests/browser/conftest.py: bounds a failure only
        contexts.append(context)
        return context.new_page()

    def shot(page, name):
        shots(page, name)
        audit(page, name)

    pages = {}
    try:
        admin = pages["quantri_ubnd"] = new_page()
        ui.log_in(admin, "quantri_ubnd")

        # A ward under the province.
        ui.side_menu(admin, "Quản trị")
        _menu(admin, "Cơ cấu tổ chức")
        admin.get_by_role("link", name="Thành lập đơn vị").click()
        admin.wait_for_url(re.compile(r".*/units/new/$"))
        _select(admin, "parent", "Tỉnh Lạng Sơn")
        ui.fill(admin, "code", "p-huu-nghi")
        ui.fill(admin, "name", WARD)
        _select(admin, "kind", "Phường")
        _select(admin, "level", "Cấp xã")
        _date(admin, "valid_from", today)
        shot(admin, "admin-unit-form")
        _save(admin, "/units/new/")
        assert WARD in ui.visible_text(admin)
        shot(admin, "admin-units")

        # A person with a role in it, invited by e-mail.
        _menu(admin, "Người dùng và vai trò")
        admin.get_by_role("link", name="Thêm người dùng").click()
        admin.wait_for_url(re.compile(r".*/people/new/$"))
        ui.fill(admin, "username", USERNAME)
        ui.fill(admin, "full_name", PERSON)
        ui.fill(admin, "email", "moi@thidua.invalid")
        _select(admin, "unit", WARD)
        _select(admin, "role", "Cán bộ thi đua của đơn vị")
        ui.fill(admin, "title", "Công chức Văn hóa – Xã hội")
        _date(admin, "valid_from", today)
        assert admin.get_by_label("Gửi thư mời đặt mật khẩu").is_checked()
        shot(admin, "admin-person-form")
        _save(admin, "/people/new/")
        assert PERSON in ui.visible_text(admin)
        shot(admin, "admin-people")

        # A seat on the province's council.
        _menu(admin, "Hội đồng thi đua")
        heading = admin.locator("h2", has_text=f"– {COUNCIL_ISSUER}")
        heading.locator("xpath=following-sibling::p[1]").get_by_role("link", name="Bổ nhiệm thành viên").click()
        admin.wait_for_url(re.compile(r".*/seats/new/$"))
        _select(admin, "user", f"{PERSON} ({USERNAME})")
        _select(admin, "position", "Ủy viên")
        _date(admin, "valid_from", today)
        shot(admin, "admin-seat-form")
        _save(admin, "/seats/new/")
        assert PERSON in ui.visible_text(admin)
        shot(admin, "admin-councils")

        # The person follows the invitation's link and chooses a password.
        invitations = [m for m in mailoutbox if m.to == ["moi@thidua.invalid"]]
        assert len(invitations) == 1
        link = re.search(r"https?://\S+/accounts/reset/\S+/", invitations[0].body).group(0)
        person = pages[USERNAME] = new_page()
        person.goto(link)
        person.locator("input[name=new_password1]").fill(PASSWORD)
        person.locator("input[name=new_password2]").fill(PASSWORD)
        person.locator("form [type=submit]").click()
        person.wait_for_url(re.compile(r".*/accounts/reset/done/$"))

        # They log in with it and open a dossier for their ward.
        person.goto("/")
        person.wait_for_url(ui.LOGIN)
        person.fill("input[name=username]", USERNAME)
        person.fill("input[name=password]", PASSWORD)
        person.click("form.vf-form button[type=submit]")
        person.wait_for_url(lambda url: "/accounts/login/" not in url)
        ui.side_menu(person, "Đề nghị khen thưởng")
        person.get_by_role("link", name="Lập hồ sơ đề nghị").first.click()
        person.wait_for_url(re.compile(r".*/start/$"))
        ui.choose(person, "campaign", re.compile("Đợt diễn tập: Phong trào thi đua đặc biệt"))
        ui.choose(person, "unit", WARD)
        ui.fill(person, "title", f"Tờ trình đề nghị khen thưởng – {WARD}")
        shot(person, "person-start")
        ui.submit(person, leaving="/start/")
        person.get_by_text(re.compile("Đã lập hồ sơ đề nghị")).first.wait_for()
        # The dossier's next step is theirs: it waits in their inbox.
        ui.side_menu(person, "Hộp công việc")
        row = person.locator("table tbody tr", has_text=WARD).filter(has_text="Hoàn thiện hồ sơ, trình thủ trưởng")
        row.first.wait_for()
        shot(person, "person-inbox")

        # The chairman grants the vice-chairman signing power; it shows in force.
        chairman = pages["chutich_ubnd"] = new_page()
        ui.log_in(chairman, "chutich_ubnd")
        ui.side_menu(chairman, "Quyết định")
        _menu(chairman, "Ủy quyền ký")
        chairman.get_by_role("link", name="Ủy quyền ký mới").first.click()
        chairman.wait_for_url(re.compile(r".*/delegations/issuers/\d+/new/$"))
        _select(chairman, "delegate", "Hoàng Minh Đức")
        _date(chairman, "valid_from", today)
        _date(chairman, "valid_to", today + datetime.timedelta(days=30))
        ui.fill(chairman, "basis", "Quyết định phân công nhiệm vụ (minh họa)")
        shot(chairman, "delegation-form")
        chairman.locator("form button.mdc-button--raised").click()
        chairman.wait_for_url(re.compile(r".*/delegations/$"))
        row = chairman.locator("table tbody tr", has_text="Hoàng Minh Đức")
        assert "Đang hiệu lực" in row.first.inner_text()
        shot(chairman, "delegations")

        assert not audit.found, "axe-core:\n" + audit.report()
    except Exception:
        for username, page in pages.items():
            request.node.add_report_section("call", f"page of {username}", page.url)
            page.screenshot(path=artifacts / f"failure-admin-{username}.png", full_page=True)
            (artifacts / f"failure-admin-{username}.html").write_text(page.content(), encoding="utf-8")
        raise
    finally:
        for context in contexts:
            context.close()
