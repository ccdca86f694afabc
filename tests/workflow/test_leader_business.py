"""The clerk enters the TT 02 attributes of an individual candidate in the nomination form: leader level and
business person (before, only Django admin could). A collective takes neither: a Vietnamese error on the field,
nothing written. The nomination page shows them; the change is in the nomination's trail."""

import pytest
from django.contrib.auth import get_user_model

from nominations.models import Candidate, Nomination
from workflow.models import AuditEvent

from .helpers import add_nomination, nomination_form, start


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_the_clerk_enters_leader_level_and_business_person_and_the_dossier_shows_them(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(
        client, process.artifact, "Đinh Thị Hoa", leader_level="department", business_person="on"
    )
    person = nomination.candidate
    assert (person.leader_level, person.business_person) == ("department", True)
    page = client.get(f"/dossiers/nominations/{nomination.pk}/").content.decode()
    assert "Lãnh đạo cấp vụ, sở, huyện và tương đương" in page and "Doanh nhân" in page
    added = AuditEvent.objects.filter(event_type="nomination.added").latest("pk")
    assert (added.data["leader_level"], added.data["business_person"]) == ("department", True)
    edit = client.get(f"/dossiers/nominations/{nomination.pk}/edit/").content.decode()
    assert 'value="department" selected' in edit


def test_a_collective_with_a_leader_level_or_as_business_person_is_refused_in_vietnamese(client, users):
    process = start(client, users["canbo_vinhtrai"])
    before = (Candidate.objects.count(), Nomination.objects.count())
    data = nomination_form(process.artifact, "Tổ Một cửa", kind="collective", gender="")
    response = client.post(
        f"/dossiers/submissions/{process.artifact.pk}/nominations/add/",
        {**data, "leader_level": "unit", "business_person": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ ghi cấp lãnh đạo, quản lý cho cá nhân." in page
    assert "Chỉ cá nhân mới được ghi là doanh nhân." in page
    assert (Candidate.objects.count(), Nomination.objects.count()) == before
