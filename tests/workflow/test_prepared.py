"""workflow.prepared: the statements every request runs (the roles, the permissions, the /dossiers/ page) are
prepared once per PostgreSQL connection, still logged and counted, and still read the rows as they are now; off
behind PgBouncer in transaction pooling unless said otherwise; elsewhere plain statements. Django's own statements
are bound on the server too (config/settings.py), so psycopg prepares them after its threshold."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.models import Membership
from workflow import prepared, roles

User = get_user_model()
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side prepared statements")


def prepared_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def reviewer(demo):
    return User.objects.get(username="thamdinh_kylua")


@postgresql
def test_the_roles_statement_is_prepared_once_logged_and_answers_as_a_plain_one(reviewer):
    today = datetime.date.today()
    sql, params, slots = roles._statement("roles", connection.vendor)
    args = [reviewer.pk if s == "user" else today if s == "day" else p for p, s in zip(params, slots, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        plain = cursor.fetchall()
    assert plain  # she holds a role: the comparison could fail
    with CaptureQueriesContext(connection) as ctx:
        runs = [roles._run("roles", reviewer.pk, today) for _ in range(7)]
    assert runs == [plain] * 7
    assert len(ctx.captured_queries) == 7  # counted like any statement (the pins see it)
    assert f'"user_id" = {reviewer.pk}' in ctx.captured_queries[-1]["sql"]  # logged with its values
    # One prepared statement, the values bound on the server (the ORM's statements are prepared too: config/settings.py)
    first, *rest = sql.split("%s")
    assert rest  # it has parameters: the comparison could fail
    bound = first + "".join(f"${i}{part}" for i, part in enumerate(rest, 1))
    assert prepared_texts().count(bound) == 1


@postgresql
def test_a_role_ended_by_raw_sql_after_the_plan_was_kept_shows_at_once(reviewer):
    def grants():
        return roles.unit_grants(User.objects.get(pk=reviewer.pk))

    for _ in range(8):  # past the five custom plans: PostgreSQL keeps its generic plan
        before = grants()
    assert before.get(roles.REVIEW)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE nominations_membership SET valid_to = %s WHERE user_id = %s", [yesterday, reviewer.pk])
    assert not grants().get(roles.REVIEW)
    Membership.objects.filter(user=reviewer).update(valid_to=None)
    assert grants() == before


@postgresql
def test_nothing_is_prepared_when_the_connection_says_no(reviewer, monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    assert not prepared.enabled()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    for _ in range(3):
        assert prepared.rows("SELECT %s::int + 1", [41]) == [(42,)]
    assert prepared_texts() == []


def test_elsewhere_a_plain_statement(db):
    if connection.vendor == "postgresql":
        assert prepared.enabled() == (settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold") is not None)
    else:
        assert not prepared.enabled()
    assert prepared.rows("SELECT %s + 1", [41]) == [(42,)]


@postgresql
def test_the_orms_statements_are_bound_on_the_server_and_prepared_after_the_threshold(reviewer):
    """config/settings.py: server-side binding, so Django's own statements keep one text and get prepared."""
    options = settings.DATABASES["default"]["OPTIONS"]
    if options.get("prepare_threshold") is None or not options.get("server_side_binding"):
        pytest.skip("prepared statements or server-side binding are off (THIDUA_DB_PREPARE, THIDUA_DB_SERVER_BINDING)")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    names = [User.objects.filter(pk=reviewer.pk).values_list("username", flat=True).first() for _ in range(7)]
    assert names == [reviewer.username] * 7
    texts = [t for t in prepared_texts() if '"auth_user"."username"' in t]
    assert len(texts) == 1 and '"auth_user"."id" = $1' in texts[0]
    # A raw write shows at once through the prepared statement (it caches a plan, never rows).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET username = %s WHERE id = %s", ["renamed-by-sql", reviewer.pk])
    assert User.objects.filter(pk=reviewer.pk).values_list("username", flat=True).first() == "renamed-by-sql"


@pytest.mark.parametrize(
    ("env", "binding"),
    [({}, True), ({"THIDUA_DB_PGBOUNCER": "1"}, True), ({"THIDUA_DB_SERVER_BINDING": "0"}, False)],
)
def test_values_are_bound_on_the_server_unless_said_otherwise(env, binding):
    assert _database_options(env)["server_side_binding"] is binding


@pytest.mark.parametrize(
    ("env", "threshold"),
    [({}, 5), ({"THIDUA_DB_PGBOUNCER": "1"}, None), ({"THIDUA_DB_PGBOUNCER": "1", "THIDUA_DB_PREPARE": "1"}, 5)],
)
def test_prepared_statements_are_off_behind_pgbouncer_unless_it_keeps_them(env, threshold):
    assert _database_options(env)["prepare_threshold"] == threshold


def _database_options(env: dict) -> dict:
    """The PostgreSQL connection's OPTIONS that config/settings.py builds from ``env`` (in a fresh process)."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("THIDUA_DB_")},
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    code = "import json; from config import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
