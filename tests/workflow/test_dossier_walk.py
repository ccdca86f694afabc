"""/dossiers/ read by walking the list's order (workflow.id_lists.Probe, DeferredJoinPaginator's ``walks``): the
same rows in the same order as reading the granted dossiers' nominations, for every user; a grant written by raw
SQL shows at once; nobody sees a dossier that is not granted to them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import get_objects_for_user

from nominations.models import Campaign, CampaignAward, Nomination, Submission
from workflow import permissions as perms
from workflow.views import dossier_pages
from workflow.views.dossier_pages import NominationListView

from .helpers import add_nomination, start


def guardians_answer(user) -> list[int]:
    """The nominations of the dossiers guardian itself says ``user`` may see, in the list's order."""
    seen = get_objects_for_user(user, perms.VIEW_SUBMISSION, klass=Submission, accept_global_perms=True)
    return list(
        Nomination.objects.filter(submission__in=seen.values("pk"))
        .order_by("sort_name", "pk")
        .values_list("pk", flat=True)
    )


def listed(client, path) -> list[str]:
    return re.findall(r'href="/dossiers/nominations/(\d+)/"', client.get(path).content.decode())


@pytest.fixture
def grown(demo, client):
    """Two more dossiers of Kỳ Lừa's clerk with several nominations each (namesakes included): her list and the
    others' differ."""
    CampaignAward.objects.filter(campaign=Campaign.objects.get(code="dien-tap")).update(default_quota=None)
    clerk = get_user_model().objects.get(username="canbo_vinhtrai")
    for title in ("Tờ trình 1", "Tờ trình 2"):
        process = start(client, clerk, title=title)
        for name in ("Trần Văn Ân", "Lê Thị Ánh", "Đỗ Văn An", "Lê Thị Ánh"):
            add_nomination(client, process.artifact, name)
    client.logout()


def test_the_probe_and_the_list_read_what_guardian_grants_for_every_user(grown):
    users = list(get_user_model().objects.order_by("pk"))
    assert len(users) > 10
    differ = set()
    for user in users:
        expected = guardians_answer(user)
        for probe in (False, True):
            got = perms.visible_nominations(user, probe=probe).order_by("sort_name", "pk").values_list("pk", flat=True)
            assert list(got) == expected, (user.username, probe)
        differ.add(tuple(expected))
    assert len(differ) >= 2  # not everyone sees the same list: the comparison could fail


@pytest.mark.parametrize("walk", [True, False])
def test_every_page_is_the_same_walked_or_listed(grown, client, monkeypatch, walk):
    monkeypatch.setattr(dossier_pages, "walks", lambda read, count: walk)
    monkeypatch.setattr(NominationListView, "paginate_by", 3)
    for username in ("canbo_vinhtrai",):
        user = get_user_model().objects.get(username=username)
        expected = [str(pk) for pk in guardians_answer(user)]
        assert len(expected) >= 7
        client.force_login(user)
        pages = -(-len(expected) // 3)
        with CaptureQueriesContext(connection) as ctx:
            shown = [pk for number in range(1, pages + 1) for pk in listed(client, f"/dossiers/?page={number}")]
        assert shown == expected, username
        if connection.vendor == "postgresql":
            assert any(") IS TRUE" in q["sql"] for q in ctx.captured_queries) == walk
        # A filter keeps its rows too.
        status = Nomination.objects.get(pk=expected[0]).status
        wanted = [pk for pk in expected if Nomination.objects.get(pk=pk).status == status]
        shown = [
            pk
            for number in range(1, -(-len(wanted) // 3) + 1)
            for pk in listed(client, f"/dossiers/?page={number}&status={status}")
        ]
        assert shown == wanted


@pytest.mark.parametrize("walk", [True, False])
def test_a_grant_written_by_raw_sql_shows_at_once_and_only_to_its_group(grown, client, monkeypatch, walk):
    monkeypatch.setattr(dossier_pages, "walks", lambda read, count: walk)
    users = get_user_model().objects
    reviewer = users.get(username="thamdinh_kylua")  # Kỳ Lừa's reviewer: the clerk's drafts are not hers yet
    theirs = Submission.objects.filter(unit__code="p-ky-lua").latest("pk")
    hidden = [str(pk) for pk in theirs.nominations.values_list("pk", flat=True)]

    def seeing() -> set[str]:
        """Who sees any of ``theirs``'s nominations through the walked list."""
        return {
            user.username
            for user in users.all()
            if set(map(int, hidden)) & set(perms.visible_nominations(user, probe=True).values_list("pk", flat=True))
        }

    before = seeing()
    assert "canbo_vinhtrai" in before and reviewer.username not in before
    client.force_login(reviewer)
    assert not set(hidden) & set(listed(client, "/dossiers/"))  # the clerk's draft: not hers
    group = Group.objects.create(name="s26-raw-grant")
    reviewer.groups.add(group)
    view = Permission.objects.get(codename="view_submission", content_type__app_label="nominations")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO guardian_groupobjectpermission (group_id, permission_id, content_type_id, object_pk)"
            " VALUES (%s, %s, %s, %s)",
            [group.pk, view.pk, ContentType.objects.get_for_model(Submission).pk, str(theirs.pk)],
        )
    assert set(hidden) <= set(listed(client, "/dossiers/"))  # at once (the page is under 50 rows)
    assert seeing() == before | {reviewer.username}  # nobody else gained it


def test_walking_is_chosen_when_the_page_is_near_and_the_list_large(monkeypatch):
    monkeypatch.setattr(dossier_pages, "table_rows", lambda: 100_000)
    if connection.vendor != "postgresql":
        assert not dossier_pages.walks(50, 9_000)  # SQLite: the list is read as always
        return
    assert dossier_pages.walks(50, 9_000)  # a reviewer's first or last page: ~560 index rows, not 9,000
    assert not dossier_pages.walks(50, 300)  # a clerk's few: 16,000 index rows to find 50
    assert not dossier_pages.walks(50, 0)
    monkeypatch.setattr(dossier_pages, "table_rows", lambda: None)  # never analysed: no estimate, no walk
    assert not dossier_pages.walks(50, 9_000)


@pytest.mark.django_db
def test_the_order_index_carries_the_dossier_and_the_status_on_postgresql():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Nomination._meta.db_table)
        assert constraints["nomination_sort_name_idx"]["columns"][:2] == ["sort_name", "id"]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_indexdef('nomination_sort_name_idx'::regclass)")
            assert cursor.fetchone()[0].endswith("(sort_name, id) INCLUDE (submission_id, status)")
