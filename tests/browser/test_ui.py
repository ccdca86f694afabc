"""End to end in a real browser: login, inbox, search, and unit scoping, as the users see them."""

import re

import pytest

from nominations.demo import DEMO_PASSWORD

from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

LOGIN = re.compile(r".*/accounts/login/.*")


def log_in(page, username, next_url):
    page.goto(next_url)
    page.wait_for_url(LOGIN)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.vf-form button[type=submit]")
    # The form posts through Turbo (fetch): wait for the URL to leave the login page, not for a load
    # event. A `next` that answers 404 would leave the URL on the login page: log in to a page that exists.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_clerk_and_heads_in_the_browser(new_page, ui_data, artifacts):
    # 1. Anonymous: / sends to the Vietnamese login page.
    page = new_page()
    page.goto("/")
    page.wait_for_url(LOGIN)
    assert "next=/" in page.url
    body = page.locator("body")
    assert "Đăng nhập" in page.title() and "thidua" in page.title()
    assert "thidua" in body.inner_text()
    assert page.locator("form.vf-form button[type=submit]").text_content().strip() == "Đăng nhập"
    page.screenshot(path=artifacts / "login.png")

    # 2. The Vĩnh Trại clerk logs in through the form and lands on her inbox.
    page.fill("input[name=username]", "canbo_vinhtrai")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.vf-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/nomination/inbox/")
    rows = page.locator("table.vf-list__table tbody tr[data-row-id]")
    rows.first.wait_for()
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "Phường Kỳ Lừa (minh họa)" in row and "Hoàn thiện hồ sơ" in row
    page_text = body.inner_text()
    assert "Hộp công việc" in page_text and "Hoàng Thị Lan" in page_text  # menu label, the user's name
    assert "Phường Đông Kinh" not in page_text
    page.screenshot(path=artifacts / "inbox.png", full_page=True)

    # The dossier page (screenshot for review).
    response = page.goto(f"/dossiers/submissions/{ui_data['own_pk']}/")
    assert response.status == 200
    assert "Hoàng Văn Thắng" in body.inner_text()
    page.screenshot(path=artifacts / "dossier.png", full_page=True)

    # 3. Dossier list: an accent-free search finds "Hoàng Văn Thắng" and only him.
    page.goto("/dossiers/")
    table = page.locator("table.thidua-table tbody")
    assert "Nguyễn Thị Bích Ngọc" in table.inner_text()  # unfiltered: the ward's other nominees
    page.fill("input[name=q]", "thang")
    page.locator("input[name=q]").press("Enter")
    page.wait_for_url(re.compile(r".*[?&]q=thang\b.*"))
    names = [n.strip() for n in table.locator("tr td:first-child").all_inner_texts()]
    assert names == ["Hoàng Văn Thắng"]
    page.screenshot(path=artifacts / "search.png", full_page=True)

    # 4a. The Vĩnh Trại head (own context): the Đông Kinh dossier waiting for its head is not in his queue.
    head = new_page()
    log_in(head, "chutich_vinhtrai", "/nomination/queue/")
    head.wait_for_url(re.compile(r".*/nomination/queue/$"))
    head.locator("table.vf-list__table").wait_for()
    queue = head.locator("body").inner_text()
    assert "Hàng chờ" in queue and "Lương Văn Minh" in queue
    assert "Phường Đông Kinh" not in queue
    assert head.locator("table.vf-list__table tbody tr[data-row-id]").count() == 0
    head.screenshot(path=artifacts / "queue.png", full_page=True)

    # 4b. The Đông Kinh clerk opening the Vĩnh Trại dossier by URL gets a 404.
    other = new_page()
    log_in(other, "canbo_dongkinh", "/dossiers/")
    response = other.goto(f"/dossiers/submissions/{ui_data['own_pk']}/")
    assert response.status == 404
    not_found = other.locator("body").inner_text()
    assert "404" in not_found and "Hoàng Văn Thắng" not in not_found
    other.screenshot(path=artifacts / "not_found.png")
    # …while her own ward's dossier opens.
    assert other.goto(f"/dossiers/submissions/{ui_data['other_pk']}/").status == 200
    assert ui_data["other_nominee"] in other.locator("body").inner_text()
