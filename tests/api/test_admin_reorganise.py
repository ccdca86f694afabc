"""/api/admin/units/reorganise/ (issue 13): a dry run lists the open items with their default successor, then the
merger is applied; a wrong date is a 400 with the field; another user gets 403 and nothing changes."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.urls import reverse

from nominations.models import Campaign, OrgUnit, Submission
from nominations.services import dossiers

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def on(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


def unit(code):
    return OrgUnit.objects.get(code=code)


def _dossier(users):
    campaign = Campaign.objects.get(code="dien-tap")
    return dossiers.submission_create(
        campaign=campaign, unit=unit("p-dong-kinh-moi"), title="Tờ trình", actor=users["canbo_dongkinh"]
    )


def test_the_api_lists_then_applies_and_refuses_others(api, users):
    _dossier(users)
    body = {
        "old_units": [unit("p-dong-kinh-moi").pk],
        "successors": [unit("p-ky-lua").pk],
        "effective": TODAY.isoformat(),
    }
    url = reverse("api:admin-unit-reorganise")
    with on(TODAY):
        assert api("canbo_dongkinh").post(url, body, format="json").status_code == 403
        dry = api("quantri_ubnd").post(url, {**body, "dry_run": True}, format="json")
        assert dry.status_code == 200, dry.content
        assert dry.json()["applied"] is False
        kinds = {item["kind"] for item in dry.json()["items"]}
        assert {"dossier", "membership"} <= kinds
        assert all(item["target"] == str(unit("p-ky-lua").pk) for item in dry.json()["items"])
        assert unit("p-dong-kinh-moi").valid_to is None
        bad = api("quantri_ubnd").post(url, {**body, "effective": (TODAY + DAY).isoformat()}, format="json")
        assert bad.status_code == 400 and "effective" in bad.json()["errors"]
        done = api("quantri_ubnd").post(url, body, format="json")
    assert done.status_code == 200 and done.json()["applied"] is True
    assert Submission.objects.get(title="Tờ trình").unit == unit("p-ky-lua")
    assert unit("p-dong-kinh-moi").valid_to == TODAY - DAY
