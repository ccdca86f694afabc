"""Import of units and of council members from Excel (issue 13): template, dry run with each row's Vietnamese
errors, then all rows or none; the same through the API; someone else gets 403 and nothing is written."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nominations.models import CouncilMember, OrgUnit
from workflow import audit
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today().strftime("%d/%m/%Y")


@pytest.fixture
def admin_client(client, demo):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    return client


def sheet(*rows, width=6):
    book = Workbook()
    book.active.append([f"cột {i}" for i in range(width)])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tep.xlsx", out.getvalue())


UNIT_GOOD = [
    ("x-nhap", "Xã Nhập Khẩu", "Xã", "Cấp xã", "ls", TODAY),
    ("x-nhap-thon-1", "Thôn 1, xã Nhập Khẩu", "residential", "4", "x-nhap", TODAY),
]
UNIT_BAD = [
    ("x-sai-1", "Xã Sai Loại", "Quận", "Cấp xã", "ls", TODAY),
    ("x-sai-2", "Xã Sai Cấp Trên", "Xã", "Cấp xã", "khong-co", TODAY),
    ("x-sai-3", "Xã Sai Ngày", "Xã", "Cấp xã", "ls", "31/02/2026"),
    ("ls-noi-vu", "Trùng mã", "Xã", "Cấp xã", "ls", TODAY),
]


@pytest.mark.parametrize(
    ("name", "columns"),
    [("administration:units_template", "Mã đơn vị"), ("administration:council_template", "Mã cơ quan")],
)
def test_the_templates_download_with_their_vietnamese_headers(admin_client, name, columns):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.cell(1, 1).value == columns


def test_units_dry_run_shows_each_rows_errors_and_an_import_writes_all_or_nothing(admin_client):
    url = reverse("administration:units_import")
    page = admin_client.post(url, {"file": sheet(*UNIT_GOOD, *UNIT_BAD), "dry_run": "on"}).content.decode()
    assert "loại đơn vị “Quận” không có trong danh mục" in page
    assert "không có đơn vị mã “khong-co”" in page
    assert "Hiệu lực từ “31/02/2026” không đúng dạng dd/mm/yyyy" in page
    assert "Mã đơn vị “ls-noi-vu” đã có." in page
    response = admin_client.post(url, {"file": sheet(*UNIT_GOOD, UNIT_BAD[0])})
    assert response.status_code == 200 and "Có lỗi: chưa ghi dòng nào" in response.content.decode()
    assert not OrgUnit.objects.filter(code__in=["x-nhap", "x-nhap-thon-1"]).exists()
    assert not AuditEvent.objects.filter(event_type=audit.ORGUNIT_CREATED).exists()
    response = admin_client.post(url, {"file": sheet(*UNIT_GOOD)})
    assert response.status_code == 302
    child = OrgUnit.objects.get(code="x-nhap-thon-1")
    assert child.parent.code == "x-nhap" and child.kind == "residential" and child.level == 4
    assert AuditEvent.objects.filter(event_type=audit.ORGUNIT_CREATED).count() == 2


def test_council_members_dry_run_and_all_or_nothing(admin_client):
    url = reverse("administration:council_import")
    good = ("ls", "canbo_dongkinh", "Ủy viên", TODAY, "")
    bad = [
        ("ls", "khong_ai", "Ủy viên", TODAY, ""),
        ("ls", "canbo_vinhtrai", "Thư ký", TODAY, ""),
        # A department has no council of its own (the wards have theirs since the 2025 reform).
        ("ls-vhttdl", "canbo_vinhtrai", "member", TODAY, ""),
        ("ls", "chutich_vinhtrai", "Trưởng ban", TODAY, ""),
    ]
    page = admin_client.post(url, {"file": sheet(good, *bad, width=5), "dry_run": "on"}).content.decode()
    assert "không có người dùng “khong_ai” trong cơ quan" in page
    assert "Thư ký đang là Lăng Văn Hùng" in page
    assert "chưa có hội đồng thi đua – khen thưởng" in page
    assert "chức danh “Trưởng ban” không có trong danh mục" in page
    before = CouncilMember.objects.count()
    assert "Có lỗi" in admin_client.post(url, {"file": sheet(good, bad[0], width=5)}).content.decode()
    assert CouncilMember.objects.count() == before
    assert admin_client.post(url, {"file": sheet(good, width=5)}).status_code == 302
    seat = CouncilMember.objects.get(user__username="canbo_dongkinh")
    assert seat.position == "member" and seat.council.issuer.code == "ls"


def test_others_get_403_and_the_api_imports_the_same(admin_client, api):
    client = Client()
    client.force_login(User.objects.get(username="canbo_dongkinh"))
    for name in ("units_import", "units_template", "council_import", "council_template"):
        assert client.get(reverse(f"administration:{name}")).status_code == 403
    assert client.post(reverse("administration:units_import"), {"file": sheet(*UNIT_GOOD)}).status_code == 403
    url = reverse("api:admin-units-import")
    assert api("canbo_dongkinh").post(url, {"file": sheet(*UNIT_GOOD)}, format="multipart").status_code == 403
    dry = api("quantri_ubnd").post(url, {"file": sheet(*UNIT_GOOD, UNIT_BAD[1]), "dry_run": True}, format="multipart")
    assert dry.status_code == 200 and dry.json()["written"] is False
    assert dry.json()["rows"][2]["errors"] == ["không có đơn vị mã “khong-co”"]
    done = api("quantri_ubnd").post(url, {"file": sheet(*UNIT_GOOD)}, format="multipart")
    assert done.json()["written"] is True and OrgUnit.objects.filter(code="x-nhap-thon-1").exists()
    seats = reverse("api:admin-council-import")
    body = {"file": sheet(("ls", "canbo_dongkinh", "Ủy viên", TODAY, ""), width=5)}
    assert api("quantri_ubnd").post(seats, body, format="multipart").json()["written"] is True
