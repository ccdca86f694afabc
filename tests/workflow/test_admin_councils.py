"""The council pages and /api/admin/councils/ (issue 13): seats with dates decide who votes and who keeps the
minutes on the day (clock frozen with time-machine); bad input is re-shown in Vietnamese and writes nothing;
others get 403, councils and seats outside the administrator's committees 404."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from nominations.models import Council, CouncilMember, OrgUnit
from nominations.services import council
from tests.journey.pages import page_errors
from workflow import audit, roles
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


def ls_council():
    return Council.objects.get(issuer__code="ls")


def _seat(client, user, position, start, end=""):
    return client.post(
        reverse("administration:seat_add", args=[ls_council().pk]),
        {"user": user.pk, "position": position, "valid_from": start.strftime("%d/%m/%Y"), "valid_to": end},
    )


def test_seats_added_and_ended_through_the_pages_decide_who_votes_and_who_records_on_the_day(admin_client, users):
    old_secretary = CouncilMember.objects.get(council=ls_council(), position="secretary", valid_to__isnull=True)
    issuer = OrgUnit.objects.get(code="ls")
    with on(TODAY):
        response = admin_client.post(reverse("administration:seat_end", args=[old_secretary.pk]), {"last_day": TODAY})
        assert response.status_code == 302
        assert _seat(admin_client, users["thamdinh_noivu"], "secretary", TODAY + DAY).status_code == 302
        assert _seat(admin_client, users["canbo_dongkinh"], "member", TODAY + DAY).status_code == 302
        page = admin_client.get(reverse("administration:councils")).content.decode()
        assert "Lăng Văn Hùng" in page and "Lộc Thị Mai" not in page
        assert issuer.pk not in roles.units_with(users["thamdinh_noivu"], roles.RECORD_COUNCIL)
        assert users["canbo_dongkinh"] not in [m.user for m in council.voting_members(ls_council(), TODAY)]
    with on(TODAY + DAY):
        admin_client.force_login(users["quantri_ubnd"])  # sessions end with the working day
        page = admin_client.get(reverse("administration:councils")).content.decode()
        assert "Lộc Thị Mai" in page and "Đinh Thị Thu" in page
        assert issuer.pk in roles.units_with(User.objects.get(username="thamdinh_noivu"), roles.RECORD_COUNCIL)
        voters = [m.user for m in council.voting_members(ls_council(), TODAY + DAY)]
        assert users["canbo_dongkinh"] in voters and users["thamdinh_noivu"] not in voters
        seat = CouncilMember.objects.get(user=users["canbo_dongkinh"])
        admin_client.post(reverse("administration:seat_end", args=[seat.pk]), {"last_day": TODAY + DAY})
    with on(TODAY + 2 * DAY):
        assert users["canbo_dongkinh"] not in [m.user for m in council.voting_members(ls_council(), TODAY + 2 * DAY)]
    events = AuditEvent.objects.filter(scope=f"administration:{issuer.pk}").values_list("event_type", flat=True)
    assert list(events).count(audit.COUNCIL_SEAT_ADDED) == 2 and list(events).count(audit.COUNCIL_SEAT_ENDED) == 2
    assert audit.verify()[0]


def test_a_second_secretary_or_a_bad_date_is_reshown_in_vietnamese_and_writes_nothing(admin_client, users):
    before = CouncilMember.objects.count()
    with on(TODAY):
        page = _seat(admin_client, users["thamdinh_noivu"], "secretary", TODAY).content.decode()
        assert any("Thư ký đang là Lăng Văn Hùng" in e for e in page_errors(page))
        page = _seat(admin_client, users["thamdinh_noivu"], "member", TODAY, "01/01/2000").content.decode()
        assert any("Ngày kết thúc phải sau ngày bắt đầu" in e for e in page_errors(page))
        page = _seat(admin_client, users["uyvien_1"], "member", TODAY).content.decode()
        assert any("đã có ghế" in e for e in page_errors(page))
        page = admin_client.post(
            reverse("administration:council_add"), {"issuer": OrgUnit.objects.get(code="ls").pk, "name": "HĐ"}
        )
        assert any("đã có Hội đồng" in e for e in page_errors(page.content.decode()))
    assert CouncilMember.objects.count() == before


def test_a_new_commune_gets_its_council_through_the_page(admin_client, users):
    from nominations.services import org_units

    with on(TODAY):
        commune = org_units.unit_create(
            parent=OrgUnit.objects.get(code="ls"),
            code="x-moi",
            name="Xã Mới",
            kind="commune",
            level=3,
            valid_from=TODAY,
            actor=users["quantri_ubnd"],
        )
        response = admin_client.post(
            reverse("administration:council_add"), {"issuer": commune.pk, "name": "Hội đồng TĐKT xã Mới"}
        )
    assert response.status_code == 302
    assert Council.objects.get(issuer=commune).name == "Hội đồng TĐKT xã Mới"


def test_others_get_403_and_seats_outside_are_404(admin_client, users):
    client = Client()
    client.force_login(users["canbo_dongkinh"])
    seat = CouncilMember.objects.filter(council=ls_council()).first()
    assert client.get(reverse("administration:councils")).status_code == 403
    assert _seat(client, users["canbo_dongkinh"], "member", TODAY).status_code == 403
    assert client.post(reverse("administration:seat_end", args=[seat.pk]), {"last_day": TODAY}).status_code == 403
    other_issuer = OrgUnit.objects.create(code="khac", name="Tỉnh khác", kind="province", level=1, valid_from=TODAY)
    other = Council.objects.create(issuer=other_issuer, name="Hội đồng khác")
    theirs = CouncilMember.objects.create(
        council=other, user=users["canbo_dongkinh"], position="member", valid_from=TODAY
    )
    assert admin_client.get(reverse("administration:seat_add", args=[other.pk])).status_code == 404
    assert (
        admin_client.post(reverse("administration:seat_end", args=[theirs.pk]), {"last_day": TODAY}).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.valid_to is None


def test_the_council_list_statement_count_is_pinned_flat_in_the_number_of_councils(
    admin_client, users, django_assert_num_queries
):
    admin_client.get(reverse("administration:councils"))
    # −2: the side menu kept a few seconds per person (workflow/templatetags/frame.py: the flows' permissions unread)
    with django_assert_num_queries(6):  # −1: the bell's count cached (workflow.counters, issue 18)
        assert admin_client.get(reverse("administration:councils")).status_code == 200
    for i in range(3):
        commune = OrgUnit.objects.create(
            parent=OrgUnit.objects.get(code="ls"),
            code=f"x-{i}",
            name=f"Xã {i}",
            kind="commune",
            level=3,
            valid_from=TODAY,
        )
        seated = Council.objects.create(issuer=commune, name=f"Hội đồng xã {i}")
        CouncilMember.objects.create(council=seated, user=users["uyvien_1"], position="chair", valid_from=TODAY)
    # −2: the side menu kept a few seconds per person (workflow/templatetags/frame.py: the flows' permissions unread)
    with django_assert_num_queries(6):  # −1: the bell's count cached (workflow.counters, issue 18)
        assert admin_client.get(reverse("administration:councils")).status_code == 200
