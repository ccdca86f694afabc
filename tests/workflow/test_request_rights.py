"""The request's rights in two statements compiled once (issue 18, s25rights): the user's global permissions
(own and groups', workflow.backends.PermissionSetBackend before ModelBackend) and the roles in force on the day
(workflow.roles.unit_grants). Still read on every request: a permission, group, role or object grant changed
shows on the next one; an inactive user holds nothing; guardian's object grants still count."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm

from nominations.access import FLOW_USERS_GROUP, USE_FLOW, VIEW_SUBMISSION
from nominations.models import Delegation, Membership, OrgUnit, Role, Submission
from workflow import permissions as perms
from workflow import roles

User = get_user_model()
INBOX = "/nomination/inbox/"  # viewflow's SiteMiddleware asks for the flow's global permission (USE_FLOW)


def fresh(user):
    """The user as the next request loads it: nothing kept from before."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _days():
    """Today, far before and after, and each side of every date a role, delegation or unit starts or ends."""
    today = datetime.date.today()
    days = {today, today - datetime.timedelta(days=3650), today + datetime.timedelta(days=3650)}
    for model in (Membership, Delegation, OrgUnit):
        for start, end in model.objects.values_list("valid_from", "valid_to"):
            for day in (start, end):
                if day is not None:
                    days |= {day - datetime.timedelta(days=1), day, day + datetime.timedelta(days=1)}
    return sorted(days)


def test_the_statements_answer_as_the_orm_and_modelbackend_for_every_demo_user_and_day(users):
    # One role ended, one delegation ended early and a parent unit dissolved: rows the dates must drop.
    member = Membership.objects.filter(valid_to__isnull=True).first()
    Membership.objects.filter(pk=member.pk).update(valid_to=datetime.date.today() - datetime.timedelta(days=2))
    assert len(users) > 10
    days = _days()
    for user in users.values():
        for day in days:
            expected = roles._grants(list(roles._rows(user, day)), day)
            loaded = fresh(user)
            assert (roles.unit_grants(loaded, day), loaded._keeps_award_rules) == expected, (user.username, day)
        if not user.is_superuser:
            loaded, reference = fresh(user), fresh(user)
            backend = ModelBackend()
            assert roles.permissions(loaded) == backend.get_all_permissions(reference), user.username
            assert loaded._user_perm_cache == backend.get_user_permissions(reference)
            assert loaded._group_perm_cache == backend.get_group_permissions(reference)


def test_a_users_permissions_cost_one_statement_and_modelbackend_then_none(users):
    user = fresh(users["canbo_vinhtrai"])
    with CaptureQueriesContext(connection) as ctx:
        assert user.has_perm(USE_FLOW)  # the flow's group permission
        assert not user.has_perm(VIEW_SUBMISSION)  # ModelBackend asked after a no: from the same sets
        assert USE_FLOW in user.get_all_permissions()
        assert user.get_group_permissions() >= {USE_FLOW}
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    with CaptureQueriesContext(connection) as ctx:
        roles.unit_grants(user)
        perms.can(user, perms.REVIEW, OrgUnit.objects.get(code="ls"))
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]  # the roles, the unit


def test_a_group_permission_opens_the_flow_and_its_removal_or_the_groups_shows_on_the_next_request(client, users):
    clerk = users["canbo_vinhtrai"]
    assert not clerk.user_permissions.exists()  # the flow is open to them only through their group
    client.force_login(clerk)
    assert client.get(INBOX).status_code == 200
    group = Group.objects.get(name=FLOW_USERS_GROUP)
    group.permissions.through.objects.filter(group=group, permission=_permission(USE_FLOW)).delete()  # raw
    assert client.get(INBOX).status_code == 403
    group.permissions.add(_permission(USE_FLOW))
    assert client.get(INBOX).status_code == 200
    clerk.groups.through.objects.filter(user=clerk, group=group).delete()
    assert client.get(INBOX).status_code == 403


def test_a_users_own_permission_counts_and_its_removal_shows_on_the_next_request(client, users):
    clerk = users["canbo_vinhtrai"]
    clerk.groups.clear()
    client.force_login(clerk)
    assert client.get(INBOX).status_code == 403
    clerk.user_permissions.add(_permission(USE_FLOW))
    assert client.get(INBOX).status_code == 200
    clerk.user_permissions.through.objects.filter(user=clerk).delete()
    assert client.get(INBOX).status_code == 403


def test_an_inactive_user_holds_nothing_and_is_refused(client, users):
    clerk = users["canbo_vinhtrai"]
    unit = OrgUnit.objects.get(pk=min(roles.units_with(fresh(clerk), perms.PROPOSE)))
    assert perms.can(fresh(clerk), perms.PROPOSE, unit)
    client.force_login(clerk)
    assert client.get(INBOX).status_code == 200
    User.objects.filter(pk=clerk.pk).update(is_active=False)  # raw: no signal
    assert client.get(INBOX).status_code == 302  # signed out: to the login page
    inactive = fresh(clerk)
    with CaptureQueriesContext(connection) as ctx:
        assert not inactive.has_perm(USE_FLOW)
        assert inactive.get_all_permissions() == set()
        assert roles.unit_grants(inactive) == {}
        assert not perms.can(inactive, perms.PROPOSE, unit)
    assert ctx.captured_queries == []


def _new_role(user, day_from=datetime.date(2020, 1, 1)):
    """A clerk's role for ``user`` on a unit in force where they propose for nothing yet."""
    unit = (
        OrgUnit.objects.exclude(pk__in=roles.units_with(fresh(user), perms.PROPOSE))
        .filter(valid_to__isnull=True, valid_from__lte=day_from)
        .first()
    )
    assert not perms.can(fresh(user), perms.PROPOSE, unit)
    return Membership.objects.create(user=user, unit=unit, role=Role.UNIT_CLERK, valid_from=day_from)


def test_a_role_ended_or_removed_shows_on_the_next_request(users):
    clerk, today = users["canbo_vinhtrai"], datetime.date.today()
    member = _new_role(clerk)
    unit = member.unit
    assert perms.can(fresh(clerk), perms.PROPOSE, unit)
    Membership.objects.filter(pk=member.pk).update(valid_to=today)  # raw
    assert perms.can(fresh(clerk), perms.PROPOSE, unit)  # in force to the end of its last day
    assert not roles.holds(fresh(clerk), perms.PROPOSE, unit, today + datetime.timedelta(days=1))
    Membership.objects.filter(pk=member.pk).update(valid_to=today - datetime.timedelta(days=1))
    assert not perms.can(fresh(clerk), perms.PROPOSE, unit)
    Membership.objects.filter(pk=member.pk).update(valid_to=None)
    assert perms.can(fresh(clerk), perms.PROPOSE, unit)
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=today - datetime.timedelta(days=1))  # the unit dissolved
    assert not perms.can(fresh(clerk), perms.PROPOSE, unit)
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=None)
    Membership.objects.filter(pk=member.pk).delete()
    assert not perms.can(fresh(clerk), perms.PROPOSE, unit)


def test_guardians_object_grants_still_count_and_their_removal_shows(users):
    clerk = users["canbo_vinhtrai"]
    dossier = Submission.objects.first()
    UserObjectPermission.objects.filter(user=clerk).delete()
    GroupObjectPermission.objects.filter(group__user=clerk).delete()
    assert not fresh(clerk).has_perm(VIEW_SUBMISSION, dossier)
    assign_perm(VIEW_SUBMISSION, clerk, dossier)
    assert fresh(clerk).has_perm(VIEW_SUBMISSION, dossier)
    assert perms.can_view_submission(fresh(clerk), dossier)
    assert not fresh(clerk).has_perm(VIEW_SUBMISSION)  # an object grant is not a global one
    UserObjectPermission.objects.filter(user=clerk).delete()
    assert not perms.can_view_submission(fresh(clerk), dossier)
    group = Group.objects.create(name="Nhóm thử")
    clerk.groups.add(group)
    assign_perm(VIEW_SUBMISSION, group, dossier)
    assert fresh(clerk).has_perm(VIEW_SUBMISSION, dossier)
    assert perms.can_view_submission(fresh(clerk), dossier)


def test_a_superuser_holds_every_permission_as_modelbackend_answers(users):
    admin = next(u for u in users.values() if u.is_superuser)
    assert fresh(admin).get_all_permissions() == ModelBackend().get_all_permissions(fresh(admin))
    assert fresh(admin).has_perm(VIEW_SUBMISSION) and fresh(admin).has_perm("nominations.delete_orgunit")


def test_a_role_given_within_the_request_shows_after_forget(users):
    clerk = fresh(users["canbo_vinhtrai"])
    roles.unit_grants(clerk)  # read by an earlier check of the request
    unit = _new_role(clerk).unit
    assert not perms.can(clerk, perms.PROPOSE, unit)  # kept for the request, as before
    roles.forget(clerk)
    assert perms.can(clerk, perms.PROPOSE, unit)


def test_the_session_is_read_as_djangos_store_reads_it(db):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from workflow.sessions import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.save()
    key = store.session_key
    with CaptureQueriesContext(connection) as ctx:
        assert SessionStore(key).load() == DjangoStore(key).load() == {"_auth_user_id": "7"}
    assert len(ctx.captured_queries) == 2  # one each
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # expired
    for read in (SessionStore(key), DjangoStore(key)):
        assert read.load() == {} and read.session_key is None
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    assert SessionStore(key).load() == {"_auth_user_id": "7"}
    Session.objects.filter(pk=key).delete()  # signed out elsewhere
    assert SessionStore(key).load() == {} == DjangoStore(key).load()
    assert SessionStore("bad").load() == {}  # a malformed cookie: no statement needed, nothing read
