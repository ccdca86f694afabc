"""Import people with roles from Excel: template, dry run with per-row Vietnamese errors, all-or-nothing import."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nominations.models import Membership
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today().strftime("%d/%m/%Y")


@pytest.fixture
def admin_client(client, demo):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    return client


def sheet(*rows):
    book = Workbook()
    book.active.append(
        ["Tên đăng nhập", "Họ và tên", "E-mail", "Mã đơn vị", "Vai trò", "Chức vụ", "Từ ngày", "Đến ngày"]
    )
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("nguoi-dung.xlsx", out.getvalue())


GOOD = ("canbo_excel", "Hà Thị Excel", "excel@thidua.invalid", "p-ky-lua", "Cán bộ thi đua của đơn vị", "", TODAY, "")
BAD_ROWS = [
    ("canbo_sai_1", "Sai Ngày", "", "p-ky-lua", "unit_clerk", "", "31/02/2026", ""),
    ("canbo_sai_2", "Sai Đơn Vị", "", "khong-co", "unit_clerk", "", TODAY, ""),
    ("canbo_sai_3", "Sai Vai Trò", "", "p-ky-lua", "Giám đốc", "", TODAY, ""),
    ("canbo_dongkinh", "Trùng", "", "p-vinh-trai", "unit_clerk", "", TODAY, ""),
]


def test_the_template_downloads_with_its_headers(admin_client):
    response = admin_client.get(reverse("administration:people_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:2] == ["Tên đăng nhập", "Họ và tên"]


def test_a_dry_run_shows_each_rows_errors_in_vietnamese_and_writes_nothing(admin_client):
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = admin_client.post(
        reverse("administration:people_import"), {"file": sheet(GOOD, *BAD_ROWS), "dry_run": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Có lỗi: chưa ghi dòng nào" in page
    assert "không đúng dạng dd/mm/yyyy" in page
    assert "không có đơn vị mã “khong-co”" in page
    assert "vai trò “Giám đốc” không có trong danh mục" in page
    assert "không hoạt động" in page  # the old ward, dissolved with the 2025 reform
    results = response.context["results"]
    assert [r.number for r in results if r.errors] == [3, 4, 5, 6]
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_an_import_with_one_bad_row_writes_nothing(admin_client):
    before = (User.objects.count(), Membership.objects.count())
    response = admin_client.post(reverse("administration:people_import"), {"file": sheet(GOOD, BAD_ROWS[0])})
    assert response.status_code == 200
    assert (User.objects.count(), Membership.objects.count()) == before
    assert not User.objects.filter(username="canbo_excel").exists()


def test_a_clean_sheet_imports_all_rows_audited(admin_client):
    second = ("canbo_excel_2", "Lý Văn Hai", "", "p-ky-lua", "ward_reviewer", "Công chức", TODAY, "31/12/2030")
    response = admin_client.post(reverse("administration:people_import"), {"file": sheet(GOOD, second)})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="canbo_excel").role == "unit_clerk"
    assert Membership.objects.get(user__username="canbo_excel_2").valid_to == datetime.date(2030, 12, 31)
    assert AuditEvent.objects.filter(event_type="person.created").count() == 2


def test_a_file_that_is_not_excel_is_refused_in_vietnamese(admin_client):
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = admin_client.post(reverse("administration:people_import"), {"file": bad})
    assert response.status_code == 200 and "không phải bảng tính Excel" in response.content.decode()


def test_others_get_403(client, demo):
    client.force_login(User.objects.get(username="canbo_dongkinh"))
    assert client.get(reverse("administration:people_template")).status_code == 403
    response = client.post(reverse("administration:people_import"), {"file": sheet(GOOD)})
    assert response.status_code == 403
    assert not User.objects.filter(username="canbo_excel").exists()
