"""The reorganisation page and /api/admin/units/reorganise/ (issue 13): preview the open items, decide, apply;
the same rules and errors as the service; others get 403 and nothing changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from nominations.models import Membership, OrgUnit
from tests.journey.pages import page_errors
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def on(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["quantri_ubnd"])
    return client


def unit(code):
    return OrgUnit.objects.get(code=code)


def _form(**overrides):
    data = {
        "old_units": [unit("p-dong-kinh-moi").pk],
        "successors": [unit("p-ky-lua").pk],
        "effective": TODAY.strftime("%d/%m/%Y"),
        "reason": "Nghị quyết sắp xếp (minh họa)",
    }
    data.update(overrides)
    return data


def test_the_page_previews_the_open_items_then_applies_the_merger(admin_client, users):
    url = reverse("administration:reorganise")
    with on(TODAY):
        assert "Sắp xếp lại đơn vị" in admin_client.get(url).content.decode()
        preview = admin_client.post(url, {**_form(), "preview": "1"}).content.decode()
        clerk = Membership.objects.get(user=users["canbo_dongkinh"], unit__code="p-dong-kinh-moi")
        assert "Lộc Thị Mai" in preview and f"decision-membership-{clerk.pk}" in preview
        assert unit("p-dong-kinh-moi").valid_to is None  # a preview writes nothing
        response = admin_client.post(url, {**_form(), f"decision-membership-{clerk.pk}": "end", "apply": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("administration:units")
    assert unit("p-dong-kinh-moi").valid_to == TODAY - DAY
    clerk.refresh_from_db()
    assert clerk.valid_to == TODAY - DAY
    assert not Membership.objects.filter(user=users["canbo_dongkinh"], unit__code="p-ky-lua").exists()
    assert Membership.objects.filter(user=users["chutich_dongkinh"], unit__code="p-ky-lua").exists()


def test_bad_input_is_reshown_in_vietnamese_and_writes_nothing(admin_client):
    url = reverse("administration:reorganise")
    demo_reform = AuditEvent.objects.filter(event_type="orgunit.reorganised").count()  # load_demo's 2025 reform
    with on(TODAY):
        tomorrow = (TODAY + DAY).strftime("%d/%m/%Y")
        page = admin_client.post(url, {**_form(effective=tomorrow), "apply": "1"}).content.decode()
        assert any("Chỉ áp dụng từ ngày có hiệu lực" in e for e in page_errors(page))
        split = _form(successors=[unit("p-ky-lua").pk, unit("ls-vhttdl").pk])
        page = admin_client.post(url, {**split, "apply": "1"}).content.decode()
        assert any("Cần chọn đơn vị kế thừa" in e for e in page_errors(page))
        page = admin_client.post(url, {**_form(old_units=[999999]), "apply": "1"}).content.decode()
        assert page_errors(page)
    assert unit("p-dong-kinh-moi").valid_to is None and unit("p-ky-lua").valid_to is None
    assert AuditEvent.objects.filter(event_type="orgunit.reorganised").count() == demo_reform


def test_others_get_403_and_nothing_changes(users):
    client = Client()
    client.force_login(users["canbo_dongkinh"])
    url = reverse("administration:reorganise")
    with on(TODAY):
        assert client.get(url).status_code == 403
        assert client.post(url, {**_form(), "apply": "1"}).status_code == 403
    assert unit("p-dong-kinh-moi").valid_to is None
