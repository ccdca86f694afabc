"""The campaign's life in a real browser, clicking only what a person sees: the Đông Kinh clerk registers, the
ward's head signs, the standing body returns it with a comment, the clerk corrects it, the head signs again,
the standing body accepts; the clerk reports progress; the standing body reads it in the progress table and
its chart, with no Content-Security-Policy violation on the way."""

import datetime

import pytest

from .conftest import requires_chromium
from .ui import Screenshots, log_in, side_menu, visible_text

pytestmark = [pytest.mark.browser, requires_chromium]

CAMPAIGN_LINK = "Đăng ký thi đua"
WORK = "Số hóa hồ sơ một cửa của phường"
RETURN_COMMENT = "Đề nghị bổ sung mức đăng ký cho chỉ tiêu thanh toán trực tuyến."
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
"""


@pytest.fixture
def fresh_unit(ui_data, committed_demo):
    """The demo registers every unit: Đông Kinh's registration is removed so that its clerk registers anew.
    Everything the test needs from the database is read here, before the browser starts (no ORM after)."""
    from django.contrib.auth import get_user_model

    from nominations.access import REGISTER
    from nominations.models import Campaign, Registration
    from workflow import roles

    clerk = get_user_model().objects.get(username="canbo_dongkinh")
    campaign = committed_demo["rehearsal"]
    Registration.objects.filter(campaign=campaign, unit_id__in=roles.units_with(clerk, REGISTER)).delete()
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {
        "title": campaign.title,
        "targets": [(t.name, t.unit_of_measure) for t in campaign.targets.order_by("id")],
        "areas": [(str(a), a.title) for a in campaign.content_areas.order_by("number")],
    }


def person(new_page, username):
    page = new_page()
    page.add_init_script(LISTEN)
    log_in(page, username)
    side_menu(page, "Đăng ký thi đua")
    return page


def open_registration(page, title):
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url("**/registrations/*/")


def no_csp_violation(page):
    assert page.evaluate("window.__csp") == []


def test_a_unit_registers_and_reports_and_the_standing_body_reads_the_table(fresh_unit, new_page, artifacts):
    title, targets, areas = fresh_unit["title"], fresh_unit["targets"], fresh_unit["areas"]
    shot = Screenshots(artifacts)

    # 1. The clerk registers: a commitment per content area, a plan per target, one dedicated work.
    clerk = person(new_page, "canbo_dongkinh")
    clerk.locator("li", has_text=title).get_by_role("link", name=CAMPAIGN_LINK, exact=True).click()
    clerk.wait_for_url("**/register/")
    for label, area in areas[:2]:
        clerk.get_by_label(label).fill(f"Thực hiện {area.lower()}")
    clerk.get_by_label("Công trình, phần việc mới").fill(WORK)
    clerk.get_by_label("Thời hạn hoàn thành").fill((datetime.date.today() + datetime.timedelta(days=20)).isoformat())
    shot(clerk, "registration-form")
    clerk.get_by_role("button", name="Lưu").click()
    clerk.wait_for_url("**/registrations/*/")
    assert "Đang soạn" in visible_text(clerk) and WORK in visible_text(clerk)
    registration_url = clerk.url
    no_csp_violation(clerk)

    # 2. The ward's head signs it.
    head = person(new_page, "chutich_dongkinh")
    open_registration(head, title)
    head.get_by_role("button", name="Ký đăng ký").click()
    head.get_by_text("Thủ trưởng đã ký đăng ký thi đua.").first.wait_for()

    # 3. The standing body finds it from its progress table and sends it back with a comment.
    reviewer = person(new_page, "thamdinh_noivu")
    reviewer.get_by_role("link", name=title).first.click()
    reviewer.wait_for_url("**/progress/")
    reviewer.locator("table tbody tr", has_text="Đông Kinh").first.get_by_role("link").first.click()
    reviewer.wait_for_url(registration_url)
    reviewer.get_by_label("Ý kiến").select_option(label="Trả lại")
    reviewer.get_by_label("Nhận xét").fill(RETURN_COMMENT)
    reviewer.get_by_role("button", name="Gửi ý kiến").click()
    reviewer.get_by_text("Đã trả lại đăng ký thi đua.").first.wait_for()
    shot(reviewer, "registration-returned")

    # 4. The clerk sees the comment, corrects the last plan, and the head signs again.
    clerk.reload()
    assert "Trả lại để sửa" in visible_text(clerk) and RETURN_COMMENT in visible_text(clerk)
    clerk.get_by_role("link", name="Sửa đăng ký").click()
    clerk.wait_for_url("**/edit/")
    clerk.get_by_label(f"{targets[-1][0]} ({targets[-1][1]})").fill("50")
    clerk.get_by_role("button", name="Lưu").click()
    clerk.get_by_text("Đã lưu đăng ký thi đua.").first.wait_for()
    head.reload()
    head.get_by_role("button", name="Ký đăng ký").click()
    head.get_by_text("Thủ trưởng đã ký đăng ký thi đua.").first.wait_for()

    # 5. The standing body accepts.
    reviewer.reload()
    reviewer.get_by_label("Ý kiến").select_option(label="Chấp thuận")
    reviewer.get_by_role("button", name="Gửi ý kiến").click()
    reviewer.get_by_text("Đã chấp thuận đăng ký thi đua.").first.wait_for()

    # 6. The clerk reports the first target reached.
    clerk.reload()
    clerk.get_by_role("link", name="Báo cáo tiến độ").click()
    clerk.wait_for_url("**/report/")
    clerk.get_by_label("Chỉ tiêu / công trình").select_option(label=f"Chỉ tiêu: {targets[0][0]}")
    clerk.get_by_label("Ngày báo cáo").fill(datetime.date.today().isoformat())
    clerk.get_by_label("Giá trị đạt được (công trình: % hoàn thành)").fill("96")
    clerk.get_by_role("button", name="Gửi báo cáo").click()
    clerk.get_by_text("Đã ghi báo cáo tiến độ.").first.wait_for()
    no_csp_violation(clerk)

    # 7. The standing body reads the table, filtered to the unit, and its chart.
    side_menu(reviewer, "Đăng ký thi đua")
    reviewer.get_by_role("link", name=title).first.click()
    reviewer.wait_for_url("**/progress/")
    unit_name = reviewer.get_by_label("Đơn vị", exact=True).locator("option", has_text="Đông Kinh").first.inner_text()
    reviewer.get_by_label("Đơn vị", exact=True).select_option(label=unit_name)
    reviewer.get_by_role("button", name="Lọc").click()
    reviewer.wait_for_url("**/progress/?unit=*")
    row = reviewer.locator("table.thidua-table tbody tr", has_text=targets[0][0]).last
    assert "96" in row.inner_text() and "Đã đạt" in row.inner_text()
    chart = reviewer.get_by_role("img", name="Biểu đồ tiến độ theo chỉ tiêu")
    assert chart.is_visible()
    shot(reviewer, "progress-table")
    no_csp_violation(reviewer)
