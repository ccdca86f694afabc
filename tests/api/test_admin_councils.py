"""/api/admin/councils/ (issue 13): list with the seats in force on a day, seat a person, end a seat; a second
chair is a 400 with the field; someone else gets 403 and nothing changes."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from nominations.models import Council, CouncilMember

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_the_api_lists_seats_adds_and_ends_one(api):
    admin, council = api("quantri_ubnd"), Council.objects.get(issuer__code="ls")
    listed = admin.get(reverse("api:admin-council-list"))
    assert listed.status_code == 200
    row = next(c for c in listed.json() if c["id"] == council.pk)
    assert {s["position"] for s in row["seats"]} >= {"chair", "secretary"}
    clerk = get_user_model().objects.get(username="canbo_dongkinh")
    body = {"user": clerk.pk, "position": "member", "valid_from": (TODAY + DAY).isoformat()}
    url = reverse("api:admin-council-seats", args=[council.pk])
    assert api("canbo_dongkinh").post(url, body, format="json").status_code == 403
    added = admin.post(url, body, format="json")
    assert added.status_code == 201, added.content
    chair = admin.post(
        url,
        {**body, "user": get_user_model().objects.get(username="thamdinh_noivu").pk, "position": "chair"},
        format="json",
    )
    assert chair.status_code == 400 and "position" in chair.json()["errors"]
    seat = added.json()["id"]
    ended = admin.post(
        reverse("api:admin-council-seat-end", args=[seat]), {"last_day": (TODAY + DAY).isoformat()}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["valid_to"] == (TODAY + DAY).isoformat()
    tomorrow = admin.get(reverse("api:admin-council-list"), {"day": (TODAY + DAY).isoformat()}).json()
    assert clerk.pk in [s["user"] for c in tomorrow for s in c["seats"]]
    assert CouncilMember.objects.filter(user=clerk).count() == 1
