"""The registration API: the pages' actions with the same rules; wrong unit 404, wrong role 403, bad input 400
with Vietnamese field errors and nothing written."""

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nominations.models import Membership, ProgressReport, Registration, Role
from nominations.services import registrations
from tests.nominations.services.world import START, pdf
from workflow.models import AuditEvent

from .world import build_registration_world, registered


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_registration_world()
    world.ward_clerk = get_user_model().objects.create_user("canbo-phuong-dv")
    Membership.objects.create(user=world.ward_clerk, unit=world.ward, role=Role.UNIT_CLERK, valid_from=START)
    return world


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **extra):
    return {
        "campaign": world.campaign.pk,
        "commitments": [{"area": world.area.pk, "text": "Giải quyết hồ sơ đúng hạn"}],
        "plans": [{"target": world.online.pk, "planned_value": "85"}],
        "works": [{"title": "Số hóa hồ sơ", "due_date": world.today.isoformat(), "expected_result": "Xong"}],
        **extra,
    }


def test_register_sign_accept_and_report_over_the_api(world):
    created = api(world.clerk).post("/api/registrations/", body(world), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (created.json()["unit"], created.json()["plans"][0]["planned_value"]) == (world.school.pk, "85.00")
    assert api(world.head).post(f"/api/registrations/{pk}/sign/").json()["status"] == "signed"
    accepted = api(world.reviewer).post(f"/api/registrations/{pk}/review/", {"decision": "accept"}, format="json")
    assert accepted.json()["status"] == "accepted"
    report = api(world.clerk).post(
        f"/api/registrations/{pk}/reports/",
        {"target": world.online.pk, "day": world.today.isoformat(), "value": "90", "evidence": pdf()},
        format="multipart",
    )
    assert report.status_code == 201, report.content
    rows = api(world.reviewer).get(f"/api/campaigns/{world.campaign.pk}/progress/").json()["results"]
    assert [(r["unit_id"], r["latest"], r["status"]) for r in rows] == [(world.school.pk, "90.00", "done")]
    export = api(world.reviewer).get(f"/api/campaigns/{world.campaign.pk}/progress.xlsx")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert load_workbook(io.BytesIO(content)).active.cell(3, 1).value == world.school.name


def test_a_value_out_of_range_is_a_400_in_vietnamese_with_nothing_written(world):
    events = AuditEvent.objects.count()
    response = api(world.clerk).post(
        "/api/registrations/", body(world, plans=[{"target": world.online.pk, "planned_value": "120"}]), format="json"
    )
    assert response.status_code == 400
    assert "từ 0 đến 100" in response.content.decode()
    assert not Registration.objects.exists() and AuditEvent.objects.count() == events


def test_wrong_unit_is_404_and_wrong_role_403(world):
    registration = registered(world, accept=False)
    url = f"/api/registrations/{registration.pk}/"
    assert api(world.ward_clerk).get(url).status_code == 404
    assert api(world.ward_clerk).post(url + "sign/").status_code == 404
    assert api(world.clerk).post(url + "sign/").status_code == 403
    assert api(world.head).post(url + "review/", {"decision": "accept"}, format="json").status_code == 403
    assert api(world.reviewer).put(url, {}, format="json").status_code == 403
    assert api(world.clerk).get(f"/api/campaigns/{world.campaign.pk}/progress/").status_code == 403


def test_a_report_on_a_work_of_another_unit_is_a_400(world):
    mine = registered(world)
    other = registered(world, unit=world.ward)
    response = api(world.clerk).post(
        f"/api/registrations/{mine.pk}/reports/",
        {"work": other.works.get().pk, "day": world.today.isoformat(), "value": "50"},
        format="json",
    )
    assert response.status_code == 400
    assert "không thuộc đăng ký" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_target_of_another_campaign_is_refused_as_a_field_error(world):
    response = api(world.clerk).post(
        "/api/registrations/", body(world, plans=[{"target": 999999, "planned_value": "1"}]), format="json"
    )
    assert response.status_code == 400 and not Registration.objects.exists()


def _units(world, n, prefix="api"):
    from nominations.models import OrgUnit

    units = [
        OrgUnit.objects.create(
            code=f"{prefix}{i}",
            name=f"Đơn vị {prefix} {i}",
            kind="school",
            level=3,
            parent=world.city,
            valid_from=START,
        )
        for i in range(n)
    ]
    for unit in units:
        registered(world, unit=unit)
    return units


def test_the_progress_api_is_paged_each_page_reading_its_own_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = _units(world, 3)  # three units × two targets = six rows
    url = f"/api/campaigns/{world.campaign.pk}/progress/"
    unit = units[1]
    registrations.progress_report(
        registration=Registration.objects.get(unit=unit), actor=world.clerk, target=world.online, value="90",
        day=world.today,
    )  # fmt: skip
    first = api(world.reviewer).get(url, {"page_size": 4}).json()
    second = api(world.reviewer).get(url, {"page_size": 4, "page": 2}).json()
    assert first["count"] == second["count"] == 6 and first["next"] and second["previous"]
    assert [len(first["results"]), len(second["results"])] == [4, 2]
    rows = first["results"] + second["results"]
    assert len({(r["registration_id"], r["target"]) for r in rows}) == 6
    assert [r["latest"] for r in rows if r["unit_id"] == unit.pk and r["target"] == world.online.name] == ["90.00"]
    one = api(world.reviewer).get(url, {"unit": unit.pk}).json()
    assert one["count"] == 2 and {r["unit_id"] for r in one["results"]} == {unit.pk}
    client = api(world.reviewer)
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"page_size": 4})
    _units(world, 4, prefix="more")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url, {"page_size": 4}).json()["results"]) == 4
    assert len(many) == len(few)


def test_the_progress_api_pages_at_most_200_rows(world):
    from workflow.api.views.registrations import ProgressPagination

    assert ProgressPagination.page_size == ProgressPagination.max_page_size == 200
    _units(world, 1)
    body_ = api(world.reviewer).get(f"/api/campaigns/{world.campaign.pk}/progress/", {"page_size": 1000}).json()
    assert body_["count"] == 2 and len(body_["results"]) == 2
