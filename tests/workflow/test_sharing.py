"""Dossier visibility: share_submission's one-statement grant and can_view_submission's one-query check,
compared with what guardian itself answers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from nominations.models import OrgUnit
from workflow.permissions import VIEW_SUBMISSION, can_view_submission, share_submission

from .helpers import start

User = get_user_model()


@pytest.fixture
def dossier(demo, client):
    return start(client, User.objects.get(username="canbo_vinhtrai")).artifact


@pytest.fixture
def unit(demo):
    return OrgUnit.objects.get(code="p-ky-lua")


def grants(dossier, name):
    return GroupObjectPermission.objects.filter(group__name=name, object_pk=str(dossier.pk))


def test_share_creates_a_missing_group_and_grants_it_once(dossier, unit):
    name = f"kiem-tra:{unit.code}"
    assert not Group.objects.filter(name=name).exists()
    share_submission(dossier, "kiem-tra", unit)
    share_submission(dossier, "kiem-tra", unit)  # a repeat is a no-op
    assert grants(dossier, name).count() == 1
    member = User.objects.create_user("thanh_vien")
    member.groups.add(Group.objects.get(name=name))
    assert ObjectPermissionChecker(member).has_perm(VIEW_SUBMISSION, dossier)


def test_share_to_an_existing_group_writes_guardians_row(dossier, unit, django_assert_num_queries):
    Group.objects.get_or_create(name=f"kiem-tra:{unit.code}")
    with django_assert_num_queries(1):
        share_submission(dossier, "kiem-tra", unit)
    row = grants(dossier, f"kiem-tra:{unit.code}").get()
    assert (row.permission.codename, row.content_object) == ("view_submission", dossier)


def old_rule(user, obj):
    """What can_view_submission answered through guardian's checker."""
    return user.is_authenticated and (user.has_perm(VIEW_SUBMISSION) or user.has_perm(VIEW_SUBMISSION, obj))


@pytest.mark.parametrize(
    "how",
    ["nothing", "group grant", "own grant", "other dossier", "global", "global by group", "superuser", "inactive"],
)
def test_can_view_submission_answers_as_guardian_does(dossier, how):
    other = start_other(dossier)
    user = User.objects.create_user("nguoi_xem", is_superuser=how == "superuser", is_active=how != "inactive")
    group = Group.objects.create(name="nhom-xem")
    user.groups.add(group)
    target = other if how == "other dossier" else dossier
    if how in ("group grant", "inactive", "other dossier"):
        assign_perm(VIEW_SUBMISSION, group, target)
    if how == "own grant":
        assign_perm(VIEW_SUBMISSION, user, dossier)
    if how == "global":
        assign_perm(VIEW_SUBMISSION, user)
    if how == "global by group":
        assign_perm(VIEW_SUBMISSION, group)
    expected = how not in ("nothing", "other dossier", "inactive")
    assert old_rule(User.objects.get(pk=user.pk), dossier) is expected
    assert can_view_submission(User.objects.get(pk=user.pk), dossier) is expected


def test_can_view_submission_costs_one_query_after_the_global_sets(dossier, django_assert_num_queries):
    user = User.objects.get(username="canbo_vinhtrai")
    user.has_perm(VIEW_SUBMISSION)  # ModelBackend's sets: loaded once per request by the site's own checks
    with django_assert_num_queries(1):
        assert can_view_submission(user, dossier)
    assert not can_view_submission(AnonymousUser(), dossier)


def start_other(dossier):
    from nominations.models import Submission

    return Submission.objects.create(
        campaign=dossier.campaign, unit=dossier.unit, title="Khác", created_by=dossier.created_by
    )
