"""The standing body's board (issue 17): every open dossier of the issuer's campaigns with its stage, age in working
days, due date and holder, overdue first; filters, Excel, API; only the issuer's standing body and committee roles;
a cost flat in the dossiers."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from nominations.models import Campaign, OrgUnit, StepDeadline
from workflow.flows import NominationFlow

from .helpers import F, act, add_nomination, complete_dossier, start

D = datetime.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day):
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=HANOI)


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def issuer(demo):
    return Campaign.objects.get(code="dien-tap").issuer


def _prepared(client, users, name):
    """A dossier sent by the clerk and the head: waiting for the standing body's appraisal."""
    process = start(client, users["canbo_vinhtrai"], title=f"Tờ trình {name}")
    nomination = add_nomination(client, process.artifact, name)
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    return process


def _preparing(users, title):
    campaign, unit = Campaign.objects.get(code="dien-tap"), OrgUnit.objects.get(code="p-ky-lua")
    return NominationFlow.start_from_code.run(actor=users["canbo_vinhtrai"], campaign=campaign, unit=unit, title=title)


@pytest.fixture
def board_world(client, users):
    """On Monday 02/03/2026 a dossier reaches the appraisal (3 working days: due 05/03) and another is being
    prepared (no time limit of its own); on 09/03 the board is read."""
    StepDeadline.objects.filter(step="review").delete()
    StepDeadline.objects.create(step="review", working_days=3, valid_from=D(2026, 1, 1))
    with time_machine.travel(at(D(2026, 3, 2)), tick=False) as traveller:
        appraisal = _prepared(client, users, "Hoàng Thị Ánh")
        preparing = _preparing(users, "Tờ trình đang soạn")
        traveller.move_to(at(D(2026, 3, 9)))
        yield {"appraisal": appraisal.artifact, "preparing": preparing, "traveller": traveller}


def test_the_board_lists_open_dossiers_overdue_first_with_stage_age_due_and_holder(client, users, issuer, board_world):
    client.force_login(users["thamdinh_noivu"])
    page = client.get(f"/viec-cua-toi/theo-doi/{issuer.pk}/").content.decode()
    first, second = page.index(board_world["appraisal"].title), page.index("Tờ trình đang soạn")
    assert first < second  # the overdue dossier on top, though both are as old
    row = page[first : page.index("</tr>", first)]
    assert "Thẩm định" in row and "Chưa ai nhận (hàng chờ)" in row
    assert "05/03/2026" in row and "Quá hạn 2 ngày làm việc" in row  # 06/03 and 09/03
    assert "<td>5</td>" in row  # submitted 02/03: 03, 04, 05, 06, 09/03
    other = page[second : page.index("</tr>", second)]
    clerk = users["canbo_vinhtrai"]
    assert "Hoàn thiện hồ sơ" in other and (clerk.get_full_name() or clerk.username) in other  # she holds it
    overdue = client.get(f"/viec-cua-toi/theo-doi/{issuer.pk}/?han=qua-han").content.decode()
    assert board_world["appraisal"].title in overdue and "Tờ trình đang soạn" not in overdue


def test_the_side_menu_leads_the_standing_body_to_its_board(client, users, issuer, board_world):
    client.force_login(users["thamdinh_noivu"])
    assert "Theo dõi hồ sơ" in client.get("/viec-cua-toi/").content.decode()
    assert client.get("/viec-cua-toi/theo-doi/")["Location"] == f"/viec-cua-toi/theo-doi/{issuer.pk}/"
    client.force_login(users["canbo_vinhtrai"])
    assert "Theo dõi hồ sơ" not in client.get("/viec-cua-toi/").content.decode()
    assert client.get("/viec-cua-toi/theo-doi/").status_code == 403


@pytest.mark.parametrize("username", ["thamdinh_noivu", "thuky_hoidong", "chutich_ubnd"])
def test_the_standing_body_and_committee_roles_read_the_board(client, users, issuer, board_world, username):
    client.force_login(users[username])
    assert client.get(f"/viec-cua-toi/theo-doi/{issuer.pk}/").status_code == 200
    assert client.get(f"/api/org-units/{issuer.pk}/board/").status_code == 200


@pytest.mark.parametrize("username", ["canbo_vinhtrai", "chutich_vinhtrai", "uyvien_1", "canbo_dongkinh"])
def test_nobody_else_reads_the_board(client, users, issuer, board_world, username):
    client.force_login(users[username])
    for path in (f"/viec-cua-toi/theo-doi/{issuer.pk}/", f"/viec-cua-toi/theo-doi/{issuer.pk}.xlsx"):
        assert client.get(path).status_code == 403
    for path in (f"/api/org-units/{issuer.pk}/board/", f"/api/org-units/{issuer.pk}/board.xlsx"):
        assert client.get(path).status_code == 403


def test_another_issuers_board_is_refused_and_an_unknown_one_is_404(client, users, issuer, board_world):
    client.force_login(users["thamdinh_noivu"])
    other = OrgUnit.objects.get(code="tp-ls")  # the city's committee, whose roles ended with the 2025 reform
    assert client.get(f"/viec-cua-toi/theo-doi/{other.pk}/").status_code == 403
    assert client.get(f"/api/org-units/{other.pk}/board/").status_code == 403
    assert client.get("/viec-cua-toi/theo-doi/999999/").status_code == 404


def test_the_board_downloads_as_excel_overdue_first(client, users, issuer, board_world):
    client.force_login(users["thamdinh_noivu"])
    response = client.get(f"/viec-cua-toi/theo-doi/{issuer.pk}.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("Tờ trình", "Đơn vị", "Phong trào", "Bước đang xử lý")
    assert rows[2][0] == board_world["appraisal"].title and rows[2][6].date() == D(2026, 3, 5)
    assert (rows[2][7], rows[2][8]) == (-2, "Quá hạn")
    assert [r for r in rows if r[0] == "Tờ trình đang soạn"][0][6] is None
    api = client.get(f"/api/org-units/{issuer.pk}/board.xlsx", {"han": "qua-han"})
    titles = [r[0] for r in load_workbook(io.BytesIO(api.content)).active.iter_rows(min_row=3, values_only=True)]
    assert titles == [board_world["appraisal"].title]


def test_the_api_gives_the_board_and_refuses_a_bad_filter(client, users, issuer, board_world):
    client.force_login(users["thamdinh_noivu"])
    mine = {board_world["appraisal"].title, "Tờ trình đang soạn"}
    rows = [r for r in client.get(f"/api/org-units/{issuer.pk}/board/").json() if r["title"] in mine]
    assert [r["title"] for r in rows] == [board_world["appraisal"].title, "Tờ trình đang soạn"]
    top = rows[0]
    assert (top["node"], top["due_on"], top["working_days_left"], top["overdue"], top["age"]) == (
        "review",
        "2026-03-05",
        -2,
        True,
        5,
    )
    unit = OrgUnit.objects.get(code="p-ky-lua").pk
    assert client.get(f"/api/org-units/{issuer.pk}/board/", {"unit": unit + 1000}).json() == []
    bad = client.get(f"/api/org-units/{issuer.pk}/board/", {"han": "sớm"})
    assert bad.status_code == 400 and "han" in bad.json()["errors"]


def _statements(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


@pytest.mark.parametrize("path", ["/viec-cua-toi/theo-doi/{}/", "/api/org-units/{}/board/"])
def test_the_board_costs_the_same_for_2_and_8_dossiers(client, users, issuer, board_world, path):
    path = path.format(issuer.pk)
    client.force_login(users["thamdinh_noivu"])
    _statements(client, path)  # warm the content types and the session
    small = _statements(client, path)
    _prepared(client, users, "Lục Văn Bình")
    _prepared(client, users, "Vi Thị Cúc")
    for i in range(4):
        _preparing(users, f"Tờ trình thêm {i}")
    client.force_login(users["thamdinh_noivu"])
    assert _statements(client, path) == small
    # Pinned: session, user, roles (3), processes, dossiers, tasks, the deadlines (levels, receipts, pauses, rules,
    # calendar), the issuer; the page adds the issuers and the campaigns of its menus (the bell's count is read from
    # the per-user cache since issue 18, workflow.counters). A change says why. −1 (issue 18, s25rights): the
    # global and group permissions in one statement (workflow.backends.PermissionSetBackend).
    assert small == (15 if path.startswith("/viec") else 13)
