"""Dossier visibility: share_submission's one-statement grant and can_view_submission's one-query check,
compared with what guardian itself answers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission

from nominations.models import OrgUnit
from workflow.permissions import VIEW_SUBMISSION, share_submission

from .helpers import start

User = get_user_model()


@pytest.fixture
def dossier(demo, client):
    return start(client, User.objects.get(username="canbo_vinhtrai")).artifact


@pytest.fixture
def unit(demo):
    return OrgUnit.objects.get(code="p-vinh-trai")


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
