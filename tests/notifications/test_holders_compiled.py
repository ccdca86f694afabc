"""The holders of a queue task read by a statement compiled once per right and kind of unit (issue 18 item 3):
the same people as the ORM's statement built each time, and the data read afresh on every call."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from nominations.models import Membership, OrgUnit, Role
from notifications import recipients
from workflow import roles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_statements():
    recipients._HOLDERS_SQL.clear()
    yield
    recipients._HOLDERS_SQL.clear()


def test_the_compiled_statement_finds_the_same_people_for_every_unit_and_right(demo):
    day = timezone.localdate()
    units = list(OrgUnit.objects.all())
    assert any(u.parent_id is None for u in units) and any(u.parent_id for u in units)
    compared = 0
    for perm in sorted(roles.UNIT_PERMS):
        for unit in units:
            if not (unit.valid_from <= day and (unit.valid_to is None or unit.valid_to >= day)):
                continue
            expected = [u.pk for u in recipients._unit_holders(perm, unit, day)]
            assert [u.pk for u in recipients._unit_holders_compiled(perm, unit, day)] == expected, (perm, unit)
            compared += bool(expected)
    assert compared >= 5  # not only empty answers
    assert all(recipients._HOLDERS_SQL.values())  # each compiled, none left to the ORM


def test_a_role_written_raw_shows_at_once_and_its_end_too(demo):
    day = timezone.localdate()
    newcomer = get_user_model().objects.create(username="nguoi-moi", is_active=True)
    pairs = [(perm, unit) for unit in OrgUnit.objects.filter(parent__isnull=False) for perm in sorted(roles.UNIT_PERMS)]
    found = None
    for perm, unit in pairs:  # a role that gives a unit right, found by the ORM's own statement
        for role in Role.values:
            membership = Membership.objects.create(user=newcomer, unit=unit, role=role, valid_from=day)
            if recipients._unit_holders(perm, unit, day).filter(pk=newcomer.pk).exists():
                found = (perm, unit, membership)
                break
            membership.delete()
        if found:
            break
    perm, unit, membership = found
    assert newcomer.pk in [u.pk for u in recipients._unit_holders_compiled(perm, unit, day)]
    Membership.objects.filter(pk=membership.pk).update(valid_to=day - datetime.timedelta(days=1))  # raw: ended
    assert newcomer.pk not in [u.pk for u in recipients._unit_holders_compiled(perm, unit, day)]
    assert [u.pk for u in recipients._unit_holders_compiled(perm, unit, day)] == [
        u.pk for u in recipients._unit_holders(perm, unit, day)
    ]


def test_another_day_and_unit_fill_the_same_statement(demo):
    day = timezone.localdate()
    perm = sorted(roles.UNIT_PERMS)[0]
    units = [u for u in OrgUnit.objects.filter(parent__isnull=False) if u.valid_to is None][:3]
    for unit in units:
        for when in (day, day + datetime.timedelta(days=400)):
            expected = [u.pk for u in recipients._unit_holders(perm, unit, when)]
            assert [u.pk for u in recipients._unit_holders_compiled(perm, unit, when)] == expected
    assert len(recipients._HOLDERS_SQL) == 1  # one statement for them all
