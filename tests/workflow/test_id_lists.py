"""workflow.id_lists: ``__any_of`` finds what ``__in`` finds (one array parameter on PostgreSQL), empty included."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflow.id_lists import AnyOf  # noqa: F401 -- registers the lookup


@pytest.mark.django_db
def test_any_of_finds_what_in_finds_with_one_parameter_on_postgresql():
    users = get_user_model().objects
    made = [users.create(username=f"u{i}").pk for i in range(5)]
    wanted = [made[0], made[3], 10**9]
    with CaptureQueriesContext(connection) as ctx:
        found = set(users.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert found == set(users.filter(pk__in=wanted).values_list("pk", flat=True)) == {made[0], made[3]}
    if connection.vendor == "postgresql":
        assert "= ANY(" in ctx.captured_queries[0]["sql"]
    # Strings against a text column, and an empty list: nothing, no error.
    assert set(users.filter(username__any_of=["u1", "u4"]).values_list("username", flat=True)) == {"u1", "u4"}
    assert list(users.filter(pk__any_of=[])) == []
    assert users.exclude(pk__any_of=[]).count() == users.count()


@pytest.mark.django_db
def test_any_of_a_subquery_finds_what_in_finds():
    users = get_user_model().objects
    for name in ("a1", "a2", "b1"):
        users.create(username=name)
    chosen = users.filter(username__startswith="a").values("pk")
    with CaptureQueriesContext(connection) as ctx:
        found = set(users.filter(pk__any_of=chosen).values_list("username", flat=True))
    assert found == set(users.filter(pk__in=chosen).values_list("username", flat=True)) == {"a1", "a2"}
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(" in ctx.captured_queries[0]["sql"]
    # A union (the user's own grants and their groups'), as workflow.permissions.visible_nominations uses it.
    both = users.filter(username="a1").values("pk").union(users.filter(username="b1").values("pk"))
    assert set(users.filter(pk__any_of=both).values_list("username", flat=True)) == {"a1", "b1"}


@pytest.mark.django_db
def test_probe_finds_what_in_finds():
    from workflow.id_lists import Probe  # noqa: F401 -- registers the lookup

    users = get_user_model().objects
    for name in ("a1", "a2", "b1"):
        users.create(username=name)
    chosen = users.filter(username__startswith="a").values("pk").union(users.filter(username="zz").values("pk"))
    with CaptureQueriesContext(connection) as ctx:
        found = list(users.filter(pk__probe=chosen).order_by("username").values_list("username", flat=True))
    assert found == list(users.filter(pk__in=chosen).order_by("username").values_list("username", flat=True))
    assert found == ["a1", "a2"]
    assert users.exclude(pk__probe=chosen).filter(username="b1").exists()
    if connection.vendor == "postgresql":
        assert ") IS TRUE" in ctx.captured_queries[0]["sql"]
