"""Opening a council session in the UI: one open session per nomination, a held-on day near today."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from nominations.models import Council, CouncilSession
from nominations.services.council import voting_members

from .helpers import accepted_dossier, council_session


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _open(client, users, nominations, held_on):
    council = Council.objects.get(issuer__code="ls")
    client.force_login(users["thuky_hoidong"])
    return client.post(
        reverse("council:start:execute"),
        {
            "council": council.pk,
            "campaign": nominations[0].submission.campaign_id,
            "title": "Phiên họp thứ hai",
            "held_on": held_on.strftime("%d/%m/%Y"),
            "place": "Phòng họp số 1",
            "nominations": [n.pk for n in nominations],
            "present": [m.pk for m in voting_members(council, timezone.localdate())],
        },
    )


@pytest.mark.parametrize("held_on", [datetime.date(2001, 1, 1), datetime.date(2099, 12, 31)])
def test_a_far_held_on_day_is_a_field_error(client, users, held_on):
    _process, noms = accepted_dossier(client, users, ["Lục Thị Hiền"])
    response = _open(client, users, noms, held_on)
    assert response.status_code == 200  # the form again, with the message
    assert "Ngày họp phải trong khoảng từ" in response.content.decode()
    assert "held_on" in response.context["form"].errors
    assert not CouncilSession.objects.exists()


def test_a_nomination_on_an_open_session_is_not_offered_again(client, users):
    _process, noms = accepted_dossier(client, users, ["Lục Thị Hiền", "Lâm Thị Vân"])
    council_session(client, users, noms[:1], vote=False)  # still voting
    page = client.get(reverse("council:start:execute"))
    offered = set(page.context["form"].fields["nominations"].queryset.values_list("pk", flat=True))
    assert noms[0].pk not in offered and noms[1].pk in offered
    response = _open(client, users, noms, timezone.localdate())
    assert response.status_code == 200 and "nominations" in response.context["form"].errors
    assert CouncilSession.objects.count() == 1
