"""Due dates in the lists (issue 17): 'Việc của tôi', the inbox, the queue and /api/tasks/ show each task's due
date and working days left, mark overdue work in words, sort and filter by it, at a cost flat in the tasks."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.models import Campaign, OrgUnit, StepDeadline
from workflow.flows import NominationFlow

D = datetime.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=HANOI)


@pytest.fixture
def clerk(demo):
    return get_user_model().objects.get(username="canbo_vinhtrai")


def _dossier(clerk, title):
    campaign, unit = Campaign.objects.get(code="dien-tap"), OrgUnit.objects.get(code="p-ky-lua")
    return NominationFlow.start_from_code.run(actor=clerk, campaign=campaign, unit=unit, title=title)


@pytest.fixture
def two_tasks(clerk):
    """'Tờ trình Cũ' created 02/03/2026 under a 10-day limit (due 16/03), 'Tờ trình Mới' on 09/03 under the
    2-day limit in force from 06/03 (due 11/03). Seen on 12/03: the newer one is overdue, the older is not."""
    StepDeadline.objects.create(step="prepare", working_days=10, valid_from=D(2026, 1, 1), valid_to=D(2026, 3, 5))
    StepDeadline.objects.create(step="prepare", working_days=2, valid_from=D(2026, 3, 6))
    with time_machine.travel(at(D(2026, 3, 2)), tick=False) as traveller:
        _dossier(clerk, "Tờ trình Cũ")
        traveller.move_to(at(D(2026, 3, 9)))
        _dossier(clerk, "Tờ trình Mới")
        traveller.move_to(at(D(2026, 3, 12)))
        yield traveller


def _row(page, title):
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{title}.*?</tr>", page, re.S).group()


def _titles(page):
    return re.findall(r"Tờ trình (Cũ|Mới)</td>", page)


def test_my_work_shows_the_due_date_the_days_left_and_overdue_in_words(client, clerk, two_tasks):
    client.force_login(clerk)
    page = client.get("/viec-cua-toi/").content.decode()
    late, fresh = _row(page, "Tờ trình Mới"), _row(page, "Tờ trình Cũ")
    assert "11/03/2026" in late and "Quá hạn 1 ngày làm việc" in late and 'class="thidua-overdue"' in late
    assert "16/03/2026" in fresh and "còn 2 ngày làm việc" in fresh and "Quá hạn" not in fresh


def test_my_work_sorts_and_filters_by_due_date(client, clerk, two_tasks):
    client.force_login(clerk)
    assert _titles(client.get("/viec-cua-toi/").content.decode()) == ["Cũ", "Mới"]  # waiting longest first
    assert _titles(client.get("/viec-cua-toi/?sap-xep=han").content.decode()) == ["Mới", "Cũ"]  # due first
    assert _titles(client.get("/viec-cua-toi/?han=qua-han").content.decode()) == ["Mới"]
    assert _titles(client.get("/viec-cua-toi/?han=1").content.decode()) == ["Mới"]
    assert _titles(client.get("/viec-cua-toi/?han=2&sap-xep=han").content.decode()) == ["Mới", "Cũ"]
    # A nonsense filter is no filter, never an error.
    assert _titles(client.get("/viec-cua-toi/?han=abc").content.decode()) == ["Cũ", "Mới"]


def test_the_inbox_shows_due_dates_and_filters_the_overdue(client, clerk, two_tasks):
    client.force_login(clerk)
    page = client.get("/nomination/inbox/").content.decode()
    assert "Hạn xử lý" in page and "11/03/2026" in page and "Quá hạn 1 ngày làm việc" in page
    assert "16/03/2026" in page and "còn 2 ngày làm việc" in page
    overdue = client.get("/nomination/inbox/?han=qua-han").content.decode()
    assert "Tờ trình Mới" in overdue and "Tờ trình Cũ" not in overdue


def test_the_queue_shows_due_dates(client, clerk, two_tasks):
    head = get_user_model().objects.get(username="chutich_vinhtrai")
    StepDeadline.objects.create(step="head_approval", working_days=5, valid_from=D(2026, 1, 1))
    from .helpers import F, act, add_nomination, complete_dossier, start  # noqa: PLC0415

    process = start(client, clerk)
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, clerk, process, F.prepare)  # 12/03 + 5 working days → 19/03
    client.force_login(head)
    page = client.get("/nomination/queue/").content.decode()
    assert "19/03/2026" in page and "còn 5 ngày làm việc" in page
    assert "19/03/2026" not in client.get("/nomination/queue/?han=3").content.decode()
    assert "19/03/2026" in client.get("/nomination/queue/?han=5").content.decode()


def test_the_api_gives_due_dates_and_filters_by_them(client, clerk, two_tasks):
    client.force_login(clerk)
    rows = client.get("/api/tasks/").json()["results"]
    due = {r["submission"]["title"]: (r["due_on"], r["working_days_left"]) for r in rows if r["submission"]}
    assert due["Tờ trình Mới"] == ("2026-03-11", -1) and due["Tờ trình Cũ"] == ("2026-03-16", 2)
    overdue = client.get("/api/tasks/", {"overdue": "true"}).json()["results"]
    assert [r["submission"]["title"] for r in overdue] == ["Tờ trình Mới"]
    soon = client.get("/api/tasks/", {"due_within": 2}).json()["results"]
    assert {r["submission"]["title"] for r in soon} == {"Tờ trình Mới", "Tờ trình Cũ"}
    bad = client.get("/api/tasks/", {"due_within": "-4"})
    assert bad.status_code == 400 and "due_within" in bad.json()["errors"]


def _statements(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


@pytest.mark.parametrize("path", ["/api/tasks/", "/api/tasks/?due_within=5", "/viec-cua-toi/?sap-xep=han"])
def test_due_dates_cost_the_same_for_2_and_12_tasks(client, clerk, two_tasks, path):
    client.force_login(clerk)
    _statements(client, path)  # warm the content types and the session
    small = _statements(client, path)
    for i in range(10):
        _dossier(clerk, f"Tờ trình thêm {i}")
    _statements(client, path)  # her new tasks moved her cached counters (workflow.counters): counted again once
    assert _statements(client, path) == small
