"""/api/admin/: the administrator's people, roles and campaigns through the same forms and services as the pages."""

import datetime

from django.contrib.auth import get_user_model

from nominations.models import AwardType, Campaign, Membership, OrgUnit
from workflow.models import AuditEvent

from .helpers import ok

TODAY = datetime.date.today()
User = get_user_model()


def _person(**changes):
    body = {
        "username": "canbo_api",
        "full_name": "Lường Văn Api",
        "email": "api@thidua.invalid",
        "unit": OrgUnit.objects.get(code="p-dong-kinh-moi").pk,
        "role": "unit_clerk",
        "valid_from": TODAY.isoformat(),
        "invite": True,
    }
    return {**body, **changes}


def test_the_administrator_creates_a_person_lists_and_ends_the_role(api):
    admin = api("quantri_ubnd")
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()  # the demo's 2025 reform
    created = ok(admin.post("/api/admin/people/", _person(), format="json"), 201)
    assert created["role"] == "unit_clerk" and created["user_name"] == "Lường Văn Api"
    listed = ok(admin.get("/api/admin/memberships/"))
    assert created["id"] in [m["id"] for m in listed]
    ended = ok(
        admin.post(f"/api/admin/memberships/{created['id']}/end/", {"last_day": TODAY.isoformat()}, format="json")
    )
    assert ended["valid_to"] == TODAY.isoformat()
    events = AuditEvent.objects.filter(scope__startswith="administration:", id__gt=before)
    types = set(events.values_list("event_type", flat=True))
    assert types == {"person.created", "person.invited", "membership.added", "membership.ended"}


def test_bad_input_is_a_400_in_vietnamese_and_writes_nothing(api):
    admin = api("quantri_ubnd")
    before = (User.objects.count(), Membership.objects.count())
    response = admin.post("/api/admin/people/", _person(username="canbo_dongkinh"), format="json")
    assert response.status_code == 400
    assert "đã có người dùng" in response.content.decode()
    response = admin.post("/api/admin/people/", _person(unit=OrgUnit.objects.get(code="p-vinh-trai").pk), format="json")
    assert response.status_code == 400 and "không hoạt động" in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == before


def test_others_get_403_and_404(api, users):
    clerk = api("canbo_dongkinh")
    assert clerk.get("/api/admin/memberships/").status_code == 403
    assert clerk.post("/api/admin/people/", _person(), format="json").status_code == 403
    assert not User.objects.filter(username="canbo_api").exists()
    # The administrator cannot end a role outside their committees (a unit of no committee they run).
    outsider_unit = OrgUnit.objects.create(
        code="khac", name="Tỉnh khác", kind="province", level=1, valid_from=datetime.date(2000, 1, 1)
    )
    other = Membership.objects.create(
        user=users["canbo_dongkinh"], unit=outsider_unit, role="unit_clerk", valid_from=datetime.date(2024, 1, 1)
    )
    response = api("quantri_ubnd").post(f"/api/admin/memberships/{other.pk}/end/", {"last_day": TODAY.isoformat()})
    assert response.status_code == 404
    assert Membership.objects.get(pk=other.pk).valid_to is None


def test_the_administrator_creates_and_launches_a_campaign(api):
    admin = api("quantri_ubnd")
    issuer = OrgUnit.objects.get(code="ls")
    body = {
        "code": "pt-api",
        "title": "Phong trào qua API",
        "period_start": TODAY.isoformat(),
        "period_end": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "nomination_deadline": (TODAY + datetime.timedelta(days=40)).isoformat(),
        "content_areas": "Nội dung một\nNội dung hai",
        "award_types": [AwardType.objects.get(code="giay-khen").pk],
        "quotas": "p-ky-lua; giay-khen; 2; 1",
    }
    created = ok(admin.post(f"/api/admin/campaigns/?issuer={issuer.pk}", body, format="json"), 201)
    assert created["status"] == "draft" and created["content_areas"] == ["Nội dung một", "Nội dung hai"]
    launched = ok(admin.post(f"/api/admin/campaigns/{created['id']}/launch/"))
    assert launched["status"] == "launched"
    again = admin.post(f"/api/admin/campaigns/{created['id']}/launch/")
    assert again.status_code == 400 and again.json()["code"] == "wrong_state"
    assert api("canbo_dongkinh").post(f"/api/admin/campaigns/{created['id']}/close/").status_code == 403
    assert Campaign.objects.get(pk=created["id"]).status == "launched"


def test_the_administrator_keeps_the_unit_tree_through_the_api(api):
    admin = api("quantri_ubnd")
    body = {
        "parent": OrgUnit.objects.get(code="p-ky-lua").pk,
        "code": "api-khoi",
        "name": "Khối API",
        "kind": "residential",
        "level": 4,
        "valid_from": TODAY.isoformat(),
    }
    created = ok(admin.post("/api/admin/units/", body, format="json"), 201)
    tree = ok(admin.get("/api/admin/units/"))
    assert [u["depth"] for u in tree if u["id"] == created["id"]] == [2]
    renamed = ok(
        admin.post(
            f"/api/admin/units/{created['id']}/rename/",
            {"name": "Tổ API", "effective": (TODAY + datetime.timedelta(days=2)).isoformat()},
            format="json",
        )
    )
    assert renamed["name"] == "Tổ API"
    bad = admin.post(f"/api/admin/units/{created['id']}/dissolve/", {"last_day": "2000-01-01"}, format="json")
    assert bad.status_code == 400 and "last_day" in bad.json()["errors"]
    assert api("canbo_dongkinh").get("/api/admin/units/").status_code == 403


def test_the_import_dry_run_and_errors_through_the_api(api):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Tên đăng nhập", "Họ và tên", "E-mail", "Mã đơn vị", "Vai trò", "Chức vụ", "Từ ngày"])
    book.active.append(["canbo_xl", "Hà Văn Xl", "", "p-ky-lua", "unit_clerk", "", TODAY.strftime("%d/%m/%Y")])
    book.active.append(["canbo_xl2", "Sai", "", "khong-co", "unit_clerk", "", TODAY.strftime("%d/%m/%Y")])

    def upload(dry_run):
        out = io.BytesIO()
        book.save(out)
        out.name = "x.xlsx"
        out.seek(0)
        return api("quantri_ubnd").post("/api/admin/people/import/", {"file": out, "dry_run": dry_run})

    result = ok(upload(True))
    assert result["written"] is False
    assert [(r["row"], bool(r["errors"])) for r in result["rows"]] == [(2, False), (3, True)]
    assert "không có đơn vị mã" in result["rows"][1]["errors"][0]
    assert ok(upload(False))["written"] is False
    assert not User.objects.filter(username="canbo_xl").exists()
    book.active.delete_rows(3)
    assert ok(upload(False))["written"] is True
    assert Membership.objects.get(user__username="canbo_xl").unit.code == "p-ky-lua"
