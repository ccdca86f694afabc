"""The side menu is kept a few seconds per person (workflow/templatetags/frame.py, issue 18): each person gets
only their own, it follows their own role changes, their language and the day at once, and its logout form
carries the request's own CSRF token."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nominations.access import flow_users
from nominations.models import Membership, OrgUnit, Role

User = get_user_model()
PAGE = "/sessions/"  # an application every signed-in person may open


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def admin_entry():
    return 'href="{}"'.format(reverse("administration:index"))


def _menu(client, path=PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    return page[page.index('<aside class="vf-page__menu') : page.index("</aside>")]


def _administrator(user, **dates):
    unit = OrgUnit.objects.get(code="ls")
    return Membership.objects.create(
        user=user, unit=unit, role=Role.ADMINISTRATOR, valid_from=dates.pop("valid_from", datetime.date(2020, 1, 1))
    )


def test_a_person_never_gets_another_persons_kept_menu(client, users, admin_entry):
    client.force_login(users["quantri_ubnd"])
    first = _menu(client)
    assert admin_entry in first and "Tạ Thu Trang" in first
    client.force_login(users["uyvien_1"])  # same application, same language, same day: another person
    second = _menu(client)
    assert admin_entry not in second and "Tạ Thu Trang" not in second
    assert "Dương Thị Nga" in second


def test_the_menu_is_kept_and_costs_no_statement_on_the_next_page(client, users):
    client.force_login(users["uyvien_1"])
    client.get(PAGE)
    with CaptureQueriesContext(connection) as ctx:
        _menu(client)
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]  # the flows' entries kept


def test_a_role_given_or_ended_shows_on_the_persons_next_page(client, users, admin_entry):
    member = users["uyvien_1"]
    client.force_login(member)
    assert admin_entry not in _menu(client)
    role = _administrator(member)
    assert admin_entry in _menu(client)  # kept menu moved on by the role's write, not after the few seconds
    role.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    role.save()
    assert admin_entry not in _menu(client)
    role.delete()
    assert admin_entry not in _menu(client)


def test_a_role_ending_today_leaves_the_kept_menu_tomorrow(client, users, admin_entry):
    today = timezone.localdate()
    member = users["uyvien_1"]
    role = _administrator(member)
    role.valid_to = today
    role.save()

    def at(day):
        return time_machine.travel(
            datetime.datetime.combine(
                day, datetime.time(23, 59, 59) if day == today else datetime.time(0, 0, 1), ZoneInfo(settings.TIME_ZONE)
            ),
            tick=False,
        )

    with at(today):
        client.force_login(member)  # a session opened that evening (8 hours)
        assert admin_entry in _menu(client)
    with at(today + datetime.timedelta(days=1)):  # two seconds later, within the kept time (tests: an hour)
        assert admin_entry not in _menu(client)
        assert client.get(reverse("administration:index")).status_code == 403  # the page checks for itself


def test_switching_the_language_switches_the_menu_at_once(client, users):
    client.force_login(users["uyvien_1"])
    assert "Việc của tôi" in _menu(client)
    client.post(reverse("set_language"), {"language": "en", "next": PAGE})
    english = _menu(client)
    assert "Việc của tôi" not in english and "My work" in english
    client.post(reverse("set_language"), {"language": "vi", "next": PAGE})
    assert "Việc của tôi" in _menu(client)


def test_the_logout_form_carries_each_requests_own_csrf_token(users):
    member = users["uyvien_1"]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for c in (first, second):
        c.force_login(member)
    _menu(first)  # kept with the first browser's token
    menu = _menu(second)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)
    assert "thidua-frame-csrf-token" not in menu
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted: the token is the second browser's, not the kept one's


def test_each_application_keeps_its_own_menu(client, users):
    client.force_login(users["uyvien_1"])
    sessions = _menu(client)
    mine = _menu(client, reverse("viec-cua-toi:index"))
    assert 'href="{}"'.format(reverse("sessions:index")) in sessions
    assert sessions != mine  # the application's own menu, not the one kept for another application


def test_joining_or_leaving_the_flow_users_shows_on_the_persons_next_page(client, users):
    newcomer = User.objects.create_user("nguoi_moi", password="x")
    flows = 'href="{}"'.format(reverse("nomination:index"))
    client.force_login(newcomer)
    assert flows not in _menu(client)
    newcomer.groups.add(flow_users())
    assert flows in _menu(client)
    flow_users().user_set.remove(newcomer)  # from the group's side
    assert flows not in _menu(client)
