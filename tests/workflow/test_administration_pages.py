"""The issuer's administrator's pages (issue 13): people and roles, campaigns and their transitions.

A role added through the page takes effect at once and stops after its end date (clock frozen with time-machine).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from nominations.models import Campaign, Membership, OrgUnit, Submission
from workflow import permissions as perms
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


def propose(client, user, unit_code):
    """Open a dossier through the flow's start page: 302 to the new dossier, or 403/404 (never the login page)."""
    client.force_login(user)
    body = {"campaign": Campaign.objects.get(code="dien-tap").pk, "unit": OrgUnit.objects.get(code=unit_code).pk}
    response = client.post(reverse("nomination:start:execute"), {**body, "title": "Tờ trình thử"})
    assert "/accounts/login/" not in response.get("Location", "")
    return response


def person_form(**overrides):
    unit = OrgUnit.objects.get(code="p-dong-kinh-moi")
    data = {
        "username": "canbo_trang",
        "full_name": "Nông Thu Trang",
        "email": "trang@thidua.invalid",
        "unit": unit.pk,
        "role": "unit_clerk",
        "title": "Công chức Văn hóa – Xã hội",
        "valid_from": TODAY.strftime("%d/%m/%Y"),
        "valid_to": (TODAY + 5 * DAY).strftime("%d/%m/%Y"),
        "invite": "on",
    }
    data.update(overrides)
    return data


def test_a_role_added_through_the_page_takes_effect_at_once_and_stops_after_its_end_date(admin_client, client):
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()  # the demo's own roles
    response = admin_client.post(reverse("administration:person_add"), person_form())
    assert response.status_code == 302, response.content.decode()[-3000:]
    clerk = User.objects.get(username="canbo_trang")
    assert not clerk.has_usable_password()
    membership = Membership.objects.get(user=clerk)
    assert (membership.role, membership.valid_to) == ("unit_clerk", TODAY + 5 * DAY)
    # The invitation carries a set-password link that works.
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/reset/" in w)
    path = link[link.index("/accounts/") :]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    response = client.post(set_url, {"new_password1": "Mk-moi-2026!x", "new_password2": "Mk-moi-2026!x"})
    assert response.status_code == 302
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.check_password("Mk-moi-2026!x")

    with on(TODAY):
        assert propose(client, clerk, "p-dong-kinh-moi").status_code == 302
    with on(TODAY + 5 * DAY):
        assert propose(client, clerk, "p-dong-kinh-moi").status_code == 302
    before = Submission.objects.count()
    with on(TODAY + 6 * DAY):
        assert propose(client, clerk, "p-dong-kinh-moi").status_code in (403, 404)
        assert perms.units_user_may_propose_for(User.objects.get(pk=clerk.pk)) == []
    assert Submission.objects.count() == before
    events = AuditEvent.objects.filter(
        id__gt=last_event, event_type__in=["person.created", "membership.added", "person.invited"]
    )
    assert sorted(events.values_list("event_type", flat=True)) == [
        "membership.added",
        "person.created",
        "person.invited",
    ]


def test_ending_a_role_through_the_page_stops_it_the_next_day(admin_client, client, users):
    clerk = users["canbo_dongkinh"]
    membership = Membership.objects.get(user=clerk, unit__code="p-dong-kinh-moi")
    response = admin_client.post(
        reverse("administration:membership_end", args=[membership.pk]), {"last_day": TODAY.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).valid_to == TODAY
    with on(TODAY + DAY):
        assert propose(client, clerk, "p-dong-kinh-moi").status_code in (403, 404)
    assert AuditEvent.objects.filter(event_type="membership.ended", target_id=str(membership.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "canbo_dongkinh"}, "đã có người dùng"),
        ({"valid_to": "01/01/2020"}, "Ngày kết thúc phải sau ngày bắt đầu"),
        ({"valid_from": "99/99/2025"}, "Nhập một ngày hợp lệ"),
        ({"unit": "p-vinh-trai"}, "không hoạt động"),
        ({"email": "", "invite": "on"}, "Cần e-mail"),
    ],
)
def test_bad_input_reshows_the_form_in_vietnamese_and_writes_nothing(admin_client, overrides, message):
    if overrides.get("unit"):
        overrides["unit"] = OrgUnit.objects.get(code=overrides["unit"]).pk
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    events_before = AuditEvent.objects.count()
    response = admin_client.post(reverse("administration:person_add"), person_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert AuditEvent.objects.count() == events_before


def test_others_get_403_or_404_and_change_nothing(client, users):
    clerk = users["canbo_dongkinh"]
    client.force_login(clerk)
    assert client.get(reverse("administration:index")).status_code == 403
    assert client.post(reverse("administration:person_add"), person_form()).status_code == 403
    membership = Membership.objects.get(user=users["chutich_ubnd"], unit__code="ls")
    response = client.post(
        reverse("administration:membership_end", args=[membership.pk]), {"last_day": TODAY.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).valid_to is None
    assert not User.objects.filter(username="canbo_trang").exists()


def test_the_administration_menu_shows_to_the_administrator_only(client, users):
    client.force_login(users["quantri_ubnd"])
    assert reverse("administration:index") in client.get(reverse("dossiers:index")).content.decode()
    client.force_login(users["canbo_dongkinh"])
    assert reverse("administration:index") not in client.get(reverse("dossiers:index")).content.decode()


def test_who_holds_what_on_a_date(admin_client):
    before_reform = admin_client.get(reverse("administration:index"), {"day": "15/03/2025"}).content.decode()
    today = admin_client.get(reverse("administration:index")).content.decode()
    # The province's tree only: on 15/03/2025 the city's people held their roles under Thành phố Lạng Sơn.
    assert "Nguyễn Văn Hạnh" in today
    assert "15/03/2025" in before_reform


def campaign_form(**overrides):
    data = {
        "code": "pt-chuyen-doi-so",
        "title": "Phong trào Chuyển đổi số",
        "legal_basis": "Luật Thi đua, khen thưởng 2022",
        "period_start": TODAY.strftime("%d/%m/%Y"),
        "period_end": (TODAY + 30 * DAY).strftime("%d/%m/%Y"),
        "nomination_deadline": (TODAY + 40 * DAY).strftime("%d/%m/%Y"),
        "content_areas": "Ứng dụng công nghệ\nDịch vụ công trực tuyến",
        "award_types": [],
        "default_quota": "3",
        **quota_rows(("p-ky-lua", "giay-khen", "2", "1")),
    }
    data.update(overrides)
    return data


def quota_rows(*rows):
    """The campaign page's quota formset as the browser posts it: (unit code, award code, individuals, collectives)."""
    from nominations.models import AwardType

    data = {"quota-TOTAL_FORMS": str(len(rows) + 1), "quota-INITIAL_FORMS": "0"}
    for i, (unit, award, individuals, collectives) in enumerate(rows):
        found = OrgUnit.objects.filter(code=unit).first()
        data |= {
            f"quota-{i}-unit": found.pk if found else "999999",
            f"quota-{i}-award_type": AwardType.objects.get(code=award).pk,
            f"quota-{i}-individuals": individuals,
            f"quota-{i}-collectives": collectives,
        }
    return data


def test_the_administrator_creates_and_launches_a_campaign_that_the_units_read(admin_client, client, users):
    from nominations.models import AwardType

    issuer = OrgUnit.objects.get(code="ls")
    award = AwardType.objects.get(code="giay-khen")
    response = admin_client.post(
        reverse("administration:campaign_add", args=[issuer.pk]), campaign_form(award_types=[award.pk])
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    campaign = Campaign.objects.get(code="pt-chuyen-doi-so")
    assert campaign.status == Campaign.Status.DRAFT
    response = admin_client.post(reverse("administration:campaign_launch", args=[campaign.pk]))
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.LAUNCHED
    # A clerk of a ward in the province reads it, with their unit's quota use; they cannot move it.
    client.force_login(users["canbo_vinhtrai"])
    page = client.get(reverse("dossiers:campaign", args=[campaign.pk])).content.decode()
    assert "Dịch vụ công trực tuyến" in page and "Chỉ tiêu của" in page
    assert reverse("administration:campaign_close", args=[campaign.pk]) not in page
    response = client.post(reverse("administration:campaign_close", args=[campaign.pk]))
    assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.LAUNCHED


def test_a_bad_campaign_form_is_reshown_with_vietnamese_errors(admin_client):
    issuer = OrgUnit.objects.get(code="ls")
    response = admin_client.post(
        reverse("administration:campaign_add", args=[issuer.pk]),
        campaign_form(
            nomination_deadline=(TODAY - 1 * DAY).strftime("%d/%m/%Y"),
            **quota_rows(("p-ky-lua", "giay-khen", "x", "1"), ("khong-co", "giay-khen", "1", "")),
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chỉ tiêu theo đơn vị có lỗi" in body
    assert not Campaign.objects.filter(code="pt-chuyen-doi-so").exists()


def test_the_campaign_page_sets_quotas_per_unit_and_kind_in_a_formset(admin_client):
    from nominations.models import AwardType, UnitQuota

    issuer = OrgUnit.objects.get(code="ls")
    award = AwardType.objects.get(code="giay-khen")
    rows = quota_rows(("p-ky-lua", "giay-khen", "2", "1"), ("p-dong-kinh-moi", "giay-khen", "", "4"))
    response = admin_client.post(
        reverse("administration:campaign_add", args=[issuer.pk]), campaign_form(award_types=[award.pk], **rows)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    campaign = Campaign.objects.get(code="pt-chuyen-doi-so")
    stored = set(UnitQuota.objects.filter(offer__campaign=campaign).values_list("unit__code", "kind", "quota"))
    assert stored == {
        ("p-ky-lua", "individual", 2),
        ("p-ky-lua", "collective", 1),
        ("p-dong-kinh-moi", "collective", 4),
    }
    # The edit page shows the rows back; removing one and changing another is saved as such.
    page = admin_client.get(reverse("administration:campaign_edit", args=[campaign.pk])).content.decode()
    assert 'name="quota-0-individuals"' in page and 'value="2"' in page
    edit = campaign_form(award_types=[award.pk], **rows) | {
        "quota-INITIAL_FORMS": "2",
        "quota-0-individuals": "5",
        "quota-1-DELETE": "on",
    }
    assert admin_client.post(reverse("administration:campaign_edit", args=[campaign.pk]), edit).status_code == 302
    stored = set(UnitQuota.objects.filter(offer__campaign=campaign).values_list("unit__code", "kind", "quota"))
    assert stored == {("p-ky-lua", "individual", 5), ("p-ky-lua", "collective", 1)}
    # Two rows for the same unit and award are refused in Vietnamese; nothing changes.
    twice = quota_rows(("p-ky-lua", "giay-khen", "1", ""), ("p-ky-lua", "giay-khen", "", "1"))
    page = admin_client.post(
        reverse("administration:campaign_edit", args=[campaign.pk]), campaign_form(award_types=[award.pk], **twice)
    ).content.decode()
    assert "có hai dòng chỉ tiêu" in page
    assert UnitQuota.objects.filter(offer__campaign=campaign).count() == 2


def test_a_campaign_of_another_issuer_is_404_to_read(client, users):
    campaign = Campaign.objects.get(code="dien-tap")
    outsider = User.objects.create_user("nguoi_ngoai", password="x")
    client.force_login(outsider)
    assert client.get(reverse("dossiers:campaign", args=[campaign.pk])).status_code == 404


def test_list_pages_statement_counts_are_pinned(admin_client, django_assert_num_queries):
    admin_client.get(reverse("administration:index"))  # warm caches (content types, sessions)
    # Session, user, the rights read for the menus, the committees administered, one list query: whatever the rows.
    # −2: the side menu kept a few seconds per person (workflow/templatetags/frame.py: the flows' permissions unread)
    with django_assert_num_queries(5):  # −1: the bell's count cached (workflow.counters, issue 18)
        assert admin_client.get(reverse("administration:index")).status_code == 200
    with django_assert_num_queries(5):  # −1: idem
        assert admin_client.get(reverse("administration:campaigns")).status_code == 200
