"""The bell and the deadline in a real browser (issue 17): a task arrives for the reviewer, the bell's count rises,
the list shows it, marking it read lowers the count; 'Việc của tôi' shows the task's due date in working days.

Only what a person sees is clicked. The bell is read by reloading the page, as a person does: with a live worker
(the PostgreSQL stage) the notification is written by the worker a moment after the head's click.
"""

import re

import pytest

from . import ui
from .conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

TASK = "Thẩm định hồ sơ"
DOSSIER = "Phường Đông Kinh"


@pytest.fixture
def expected_due(ui_data):
    """The appraisal's due date as the reviewer must see it: 20 working days (the province's rule) from today.
    Worked out before the browser starts (no ORM once Playwright runs)."""
    from django.utils import timezone

    from nominations.workdays import add_working_days

    return f"{add_working_days(timezone.localdate(), 20):%d/%m/%Y}"


def bell(page) -> int:
    count = page.locator("a.thidua-bell .thidua-bell__count")
    return int(count.inner_text()) if count.count() else 0


def reload_until_bell(page, expected: int, attempts: int = 30) -> int:
    """Reload as a person would until the bell shows ``expected`` (at once when jobs run inline)."""
    for _ in range(attempts):
        if bell(page) == expected:
            break
        page.wait_for_timeout(1_000)
        page.reload()
        page.wait_for_load_state("networkidle")
    return bell(page)


def test_the_bell_rises_when_a_task_arrives_and_the_task_shows_its_deadline(expected_due, ui_data, new_page):
    reviewer = new_page()
    ui.log_in(reviewer, "thamdinh_noivu")
    ui.side_menu(reviewer, "Việc của tôi")
    before = bell(reviewer)

    # The ward's head sends the dossier on: the appraisal task lands in the standing body's work.
    head = new_page()
    ui.log_in(head, "chutich_dongkinh")
    ui.side_menu(head, "Việc của tôi")
    row = head.locator("table.thidua-my-work tbody tr", has_text=DOSSIER).filter(has_text="Thủ trưởng đơn vị duyệt")
    row.get_by_role("button", name=re.compile("^Nhận việc")).click()
    head.wait_for_url(re.compile(r".*/execute/$"))
    ui.pick_radio(head, "Ký, trình hồ sơ")
    ui.submit(head, leaving="/execute/")

    assert reload_until_bell(reviewer, before + 1) == before + 1

    # The list shows the new task; marking it read lowers the count.
    reviewer.locator("a.thidua-bell").click()
    reviewer.wait_for_url(re.compile(r".*/notifications/.*"))
    item = reviewer.locator("ul.thidua-notifications li.is-unread", has_text=f"Việc mới: {TASK}").filter(
        has_text=DOSSIER
    )
    assert item.count() == 1
    item.get_by_role("button", name="Đánh dấu đã đọc").click()
    reviewer.wait_for_load_state("networkidle")
    assert bell(reviewer) == before
    read = reviewer.locator("ul.thidua-notifications li.is-read", has_text=f"Việc mới: {TASK}").filter(has_text=DOSSIER)
    assert read.count() == 1

    # "Xem" leads to the task; from there, 'Việc của tôi' shows its due date and the working days left.
    read.get_by_role("button", name="Xem").click()
    reviewer.wait_for_url(lambda url: "/notifications/" not in url)
    reviewer.wait_for_load_state("networkidle")
    ui.side_menu(reviewer, "Việc của tôi")
    task_row = reviewer.locator("table.thidua-my-work tbody tr", has_text=DOSSIER).filter(has_text=TASK)
    due = task_row.locator(".thidua-due").inner_text()
    assert due.startswith(expected_due) and "còn 20 ngày làm việc" in due, due
    assert "Hạn xử lý" in reviewer.locator("table.thidua-my-work thead").inner_text()
