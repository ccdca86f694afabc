"""The administrator's org-unit pages: found, rename (old name kept with its dates), dissolve into a successor."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nominations.models import Campaign, OrgUnit
from nominations.services import dossiers
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["quantri_ubnd"])
    return client


def _create(admin_client, **overrides):
    data = {
        "parent": OrgUnit.objects.get(code="p-ky-lua").pk,
        "code": "p-ky-lua-khoi-9",
        "name": "Khối 9, phường Kỳ Lừa",
        "kind": "residential",
        "level": "4",
        "valid_from": TODAY.strftime("%d/%m/%Y"),
    }
    data.update(overrides)
    return admin_client.post(reverse("administration:unit_add"), data)


def test_the_administrator_founds_renames_and_dissolves_a_unit(admin_client):
    assert _create(admin_client).status_code == 302
    unit = OrgUnit.objects.get(code="p-ky-lua-khoi-9")
    assert unit.parent.code == "p-ky-lua" and unit.path.endswith("p-ky-lua/p-ky-lua-khoi-9/")
    page = admin_client.get(reverse("administration:units")).content.decode()
    assert "Khối 9, phường Kỳ Lừa" in page

    response = admin_client.post(
        reverse("administration:unit_rename", args=[unit.pk]),
        {"name": "Tổ dân phố 9", "effective": (TODAY + 3 * DAY).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Tổ dân phố 9"
    assert unit.name_on(TODAY) == "Khối 9, phường Kỳ Lừa"  # the past keeps its name
    assert unit.name_on(TODAY + 3 * DAY) == "Tổ dân phố 9"

    successor = OrgUnit.objects.get(code="p-ky-lua-khoi-5")
    response = admin_client.post(
        reverse("administration:unit_dissolve", args=[unit.pk]),
        {"last_day": (TODAY + 10 * DAY).strftime("%d/%m/%Y"), "successor": successor.pk, "reason": "Sáp nhập"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.valid_to, unit.successor) == (TODAY + 10 * DAY, successor)
    types = list(
        AuditEvent.objects.filter(target_id=str(unit.pk), target_type="nominations.orgunit")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert types == ["orgunit.created", "orgunit.renamed", "orgunit.dissolved"]
    # Dissolved: after its last day it proposes nothing.
    campaign = Campaign.objects.get(code="dien-tap")
    with pytest.raises(Exception, match="không còn hoạt động"):
        dossiers.check_unit_in_force(unit, TODAY + 11 * DAY)
    assert campaign.pk


def test_bad_unit_input_is_reshown_in_vietnamese_and_writes_nothing(admin_client):
    before = OrgUnit.objects.count()
    response = _create(admin_client, code="p-ky-lua")
    assert response.status_code == 200 and "đã có" in response.content.decode()
    response = _create(admin_client, parent=OrgUnit.objects.get(code="p-vinh-trai").pk)
    assert response.status_code == 200 and "không hoạt động" in response.content.decode()
    assert OrgUnit.objects.count() == before
    ward = OrgUnit.objects.get(code="p-ky-lua")
    response = admin_client.post(
        reverse("administration:unit_dissolve", args=[ward.pk]), {"last_day": TODAY.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 200 and "Còn đơn vị trực thuộc" in response.content.decode()
    assert OrgUnit.objects.get(pk=ward.pk).valid_to is None


def test_others_get_403_and_units_outside_are_404(admin_client, users):
    from django.test import Client

    client = Client()
    client.force_login(users["canbo_dongkinh"])
    assert client.get(reverse("administration:units")).status_code == 403
    assert _create(client).status_code == 403
    assert not OrgUnit.objects.filter(code="p-ky-lua-khoi-9").exists()
    other = OrgUnit.objects.create(code="khac", name="Tỉnh khác", kind="province", level=1, valid_from=TODAY)
    response = admin_client.post(
        reverse("administration:unit_rename", args=[other.pk]), {"name": "X", "effective": "01/01/2030"}
    )
    assert response.status_code == 404
    assert OrgUnit.objects.get(pk=other.pk).name == "Tỉnh khác"


def test_the_unit_tree_statement_count_is_pinned(admin_client, django_assert_num_queries):
    admin_client.get(reverse("administration:units"))
    # −2: the side menu kept a few seconds per person (workflow/templatetags/frame.py: the flows' permissions unread)
    with django_assert_num_queries(5):  # −1: the bell's count cached (workflow.counters, issue 18)
        assert admin_client.get(reverse("administration:units")).status_code == 200
