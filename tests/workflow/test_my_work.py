"""'Việc của tôi': one page for every task a user holds or may take, across the three flows; each role's landing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from nominations.models import Campaign, OrgUnit
from workflow import audit
from workflow.flows import CouncilFlow as C
from workflow.models import AuditEvent

from .helpers import F, accepted_dossier, act, add_nomination, complete_dossier, council_session, open_task, start

PAGE = "/viec-cua-toi/"


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _dossiers(clerk, count, tag):
    campaign, unit = Campaign.objects.get(code="dien-tap"), OrgUnit.objects.get(code="p-ky-lua")
    for i in range(count):
        F.start_from_code.run(actor=clerk, campaign=campaign, unit=unit, title=f"Tờ trình {tag} số {i}")


def _statements(client, path=PAGE):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]), response.content.decode()


def test_the_page_costs_the_same_for_1_and_30_tasks(client, users):
    clerk = users["canbo_vinhtrai"]
    _dossiers(clerk, 1, "A")
    client.force_login(clerk)
    _statements(client)  # warm the content types and the session, as in a running server
    small, page = _statements(client)
    assert page.count("<td>Tờ trình A số") == 1
    _dossiers(clerk, 29, "B")
    _statements(client)  # her new tasks moved her cached counters (workflow.counters): counted again once
    large, page = _statements(client)
    assert page.count("<td>Tờ trình A số") + page.count("<td>Tờ trình B số") == 30
    # Session, user, unit grants, tasks, dossiers, visibility (none to take here)… pinned: a change says why.
    # 7, +1 the header's unread notifications (the bell), +3 the tasks' deadlines (issuing levels, step rules,
    # calendar exceptions: workflow.deadlines.task_deadlines, flat in the number of tasks); −1: the bell's count
    # is cached for a few seconds (workflow.counters); +1 (issue 18): the list is read as ids, and only the
    # page's tasks are loaded whole (workflow.my_work.page). −1 (issue 18 item 1): the issuing levels are read with
    # the rows' dossiers (their words and levels in one query of values), not again by the deadlines. −1 (issue 18,
    # s25rights): the global and group permissions in one statement (workflow.backends.PermissionSetBackend).
    # −1 (issue 18, s26lists): the page's tasks are read with their dossiers' words and levels in one statement
    # (workflow.task_lists.page_tasks).
    assert large == small == 8, (small, large)


def test_the_first_pages_read_the_deadlines_of_their_own_rows_only(client, users, monkeypatch):
    """Oldest first, a page loads and dates its own 50 rows, not every task the user has (issue 18): the same
    rows, in the same order, as the whole list cut into pages."""
    from workflow import deadlines, my_work

    clerk = users["canbo_vinhtrai"]
    _dossiers(clerk, 55, "C")
    whole = [row.task.pk for row in my_work.rows(clerk)]
    assert len(whole) > 55  # hers and the demo's
    dated = []
    deadlines_of = deadlines.deadlines_of
    monkeypatch.setattr(
        deadlines, "deadlines_of", lambda clocks, *a: dated.append(len(clocks)) or deadlines_of(clocks, *a)
    )
    client.force_login(clerk)
    first, second = client.get(PAGE).content.decode(), client.get(PAGE + "?page=2").content.decode()
    assert dated == [50, len(whole) - 50]
    assert re.findall(r"<td>Tờ trình C số (\d+)</td>", first + second) == [str(i) for i in range(55)]
    assert f"1–50 trên {len(whole)}" in first and f"51–{len(whole)} trên {len(whole)}" in second


def test_rows_say_what_where_and_for_which_campaign(client, users):
    clerk = users["canbo_vinhtrai"]
    _dossiers(clerk, 1, "C")
    client.force_login(clerk)
    page = client.get(PAGE).content.decode()
    row = re.search(r"<tr>\s*<td>Hoàn thiện hồ sơ, trình thủ trưởng</td>.*?Tờ trình C số 0.*?</tr>", page, re.S).group()
    assert "Phường Kỳ Lừa (minh họa)" in row
    assert "Đợt diễn tập" in row
    assert "Làm việc" in row and "Nhận việc" not in row  # the flow gave it to her: straight to the task
    assert "<td>—</td>" in row  # the preparation has no time limit of its own (the campaign's deadline governs)


def test_a_task_of_a_queue_is_taken_from_the_list_and_opened(client, users):
    process = start(client, users["canbo_vinhtrai"], title="Tờ trình chờ thủ trưởng")
    complete_dossier(client, process.artifact, [add_nomination(client, process.artifact, "Hoàng Thị Ánh")])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    task = open_task(process, F.head_approval)
    assert task.status == STATUS.NEW
    # Another ward's head does not see it; the unit's head does, with a button to take it.
    client.force_login(users["chutich_dongkinh"])
    assert "Tờ trình chờ thủ trưởng" not in client.get(PAGE).content.decode()
    client.force_login(users["chutich_vinhtrai"])
    page = client.get(PAGE).content.decode()
    assert "Tờ trình chờ thủ trưởng" in page and "Nhận việc" in page
    assign = f"/nomination/{process.pk}/head_approval/{task.pk}/assign/"
    assert f'action="{assign}"' in page
    response = client.post(assign, {"_continue": "1"})
    assert response.status_code == 302
    # On to the task: its page sends the one who holds it to the form.
    assert client.get(response.url).url.endswith(f"/head_approval/{task.pk}/execute/")
    task.refresh_from_db()
    assert task.owner == users["chutich_vinhtrai"] and task.status == STATUS.ASSIGNED
    taken = AuditEvent.objects.filter(event_type=audit.TASK_ASSIGNED, task_id=task.pk)
    assert taken.filter(actor=users["chutich_vinhtrai"]).exists()
    # Now held: a link to the task, no longer a button to take it.
    page = client.get(PAGE).content.decode()
    assert f"/head_approval/{task.pk}/" in page and f'action="{assign}"' not in page


def test_a_council_member_finds_the_ballot_among_her_tasks(client, users):
    _process, noms = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    session = council_session(client, users, noms, title="Phiên họp tháng Mười", vote=False)
    client.force_login(users["uyvien_1"])
    page = client.get(PAGE + "?viec=council.vote").content.decode()
    assert "Phiên họp tháng Mười" in page and "Bỏ phiếu" in page
    ballot = session.task_set.get(flow_task=C.vote, owner=users["uyvien_1"])
    assert f"/council/{session.pk}/vote/{ballot.pk}/" in page
    # Another member's ballot is not hers.
    others = session.task_set.filter(flow_task=C.vote).exclude(owner=users["uyvien_1"])
    assert all(f"/vote/{t.pk}/" not in page for t in others)


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        ("chutich_ubnd", "/viec-cua-toi/?viec=decision.sign"),
        ("thamdinh_noivu", "/viec-cua-toi/?viec=nomination.review"),
        ("uyvien_2", "/viec-cua-toi/?viec=council.vote"),
        ("canbo_vinhtrai", "/dossiers/"),
        ("thuky_hoidong", "/viec-cua-toi/"),
    ],
)
def test_each_role_lands_where_its_work_is(client, users, username, lands_on):
    client.force_login(users[username])
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == lands_on
    assert client.get(response.url).status_code == 200


def test_my_work_comes_first_in_the_side_menu(client, users):
    client.force_login(users["uyvien_2"])
    page = client.get(PAGE).content.decode()
    menu = page[page.index("vf-page__menu") :]
    assert menu.index("Việc của tôi") < menu.index("Đề nghị khen thưởng")
