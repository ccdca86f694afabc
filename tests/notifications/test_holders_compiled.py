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


def test_the_holders_of_several_queues_are_read_in_one_statement_and_are_each_queues_own(demo):
    """A burst of notices for the queues of several units (bench.throughput: one clerk per unit): the units in one
    statement and their holders in one, each queue's people those ``task_holders`` finds for it alone."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from viewflow.workflow.models import Task

    day = timezone.localdate()
    unit_type = ContentType.objects.get_for_model(OrgUnit)
    units = [u for u in OrgUnit.objects.order_by("pk") if u.valid_from <= day and u.valid_to is None]
    tasks = [
        Task(pk=1000 + i, owner_permission=perm, owner_permission_content_type=unit_type,
             owner_permission_obj_pk=str(unit.pk))
        for i, (perm, unit) in enumerate((p, u) for p in sorted(roles.UNIT_PERMS) for u in units)
    ]  # fmt: skip
    gone = Task(pk=999, owner_permission=tasks[0].owner_permission, owner_permission_content_type=unit_type)
    gone.owner_permission_obj_pk = "987654321"  # a unit that is gone: nobody holds its queue
    tasks.append(gone)
    recipients.holders_of_tasks(tasks[:2])  # the statements compiled, the content type cached
    with CaptureQueriesContext(connection) as ctx:
        found = recipients.holders_of_tasks(tasks)
    assert len(ctx.captured_queries) == 2, [q["sql"][:80] for q in ctx.captured_queries]
    expected = {task.pk: [u.pk for u in recipients.task_holders(task)] for task in tasks}
    assert {pk: [u.pk for u in people] for pk, people in found.items()} == expected
    assert sum(map(len, expected.values())) >= 5 and expected[999] == []


def test_a_dissolved_unit_among_the_queues_has_only_its_global_holders(demo):
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Task

    unit_type = ContentType.objects.get_for_model(OrgUnit)
    perm = sorted(roles.UNIT_PERMS)[0]
    dissolved, kept = list(OrgUnit.objects.filter(parent__isnull=False, valid_to__isnull=True).order_by("pk")[:2])
    OrgUnit.objects.filter(pk=dissolved.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    admin = get_user_model().objects.create(username="quan-tri", is_active=True, is_superuser=True)
    Membership.objects.create(user=admin, unit=dissolved, role=Role.UNIT_CLERK, valid_from=datetime.date(2000, 1, 1))
    tasks = [
        Task(pk=1, owner_permission=perm, owner_permission_content_type=unit_type, owner_permission_obj_pk=str(u.pk))
        for u in (dissolved, kept)
    ]
    tasks[1].pk = 2
    found = recipients.holders_of_tasks(tasks)
    assert [u.pk for u in found[1]] == [u.pk for u in recipients.task_holders(tasks[0])]
    assert admin.pk in [u.pk for u in found[1]]
    assert [u.pk for u in found[2]] == [u.pk for u in recipients.task_holders(tasks[1])]
