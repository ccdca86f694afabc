"""The application's database role may only INSERT and SELECT the audit trail; migrations run as the owner."""

import importlib
import os

import pytest
from django.db import DatabaseError, connection, transaction

from workflow import audit
from workflow.management.commands import migrate as migrate_command
from workflow.models import AuditEvent

from .test_audit import TABLE, raw, settle_deferred_checks

# scripts/services.sh creates it and lets the owner SET ROLE to it.
APP_ROLE = os.environ.get("THIDUA_APP_DB_ROLE", "thidua_app")
REFUSED = [
    f"UPDATE {TABLE} SET comment = 'sửa lén'",
    f"DELETE FROM {TABLE}",
    f"TRUNCATE {TABLE}",
    f"ALTER TABLE {TABLE} DISABLE TRIGGER USER",
    f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
    f"DROP TRIGGER workflow_auditevent_no_change ON {TABLE}",
    f"ALTER TABLE {TABLE} OWNER TO {APP_ROLE}",
    f"DROP TABLE {TABLE}",
]


@pytest.fixture
def as_app_role(db):
    """The test database as production sets it up: default privileges on every table, then migration 0007."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            pytest.fail(f"role {APP_ROLE} is missing: run scripts/services.sh start (it creates it)")
    settle_deferred_checks()
    # All in the test's transaction: rolled back with it.
    raw(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    raw(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    raw(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    keyed = importlib.import_module("workflow.migrations.0007_audit_keyed")
    raw(keyed.RESTRICT_AUDIT_TABLE)
    raw(f"SET ROLE {APP_ROLE}")
    yield
    raw("RESET ROLE")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
def test_the_app_role_appends_and_reads_but_cannot_change_the_trail(as_app_role):
    first = audit.record(audit.SUBMISSION_CREATED, actor_name="canbo_dongkinh", scope="submission:1")
    audit.record(audit.DECISION_SIGNED, actor_name="chutich_ubnd", scope="decision:1")
    for sql in REFUSED:
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
            raw(sql)
    assert AuditEvent.objects.get(pk=first.pk).comment == ""
    assert audit.verify()[0] is True


def test_migrate_connects_as_the_owner_when_a_migrate_url_is_set(settings, monkeypatch):
    seen = {}

    def handle(self, *args, **options):
        seen.update(user=connection.settings_dict["USER"], password=connection.settings_dict["PASSWORD"])

    settings_dict = dict(connection.settings_dict)
    monkeypatch.setattr(connection, "settings_dict", settings_dict)
    monkeypatch.setattr(migrate_command.migrate.Command, "handle", handle)
    engine = "sqlite" if connection.vendor == "sqlite" else "postgres"
    url = "sqlite:////tmp/owner.sqlite3" if engine == "sqlite" else "postgres://chu_so_huu:mat-khau@127.0.0.1:1/thidua"
    settings.DATABASE_MIGRATE_URL = url
    migrate_command.Command().handle(database="default")
    expected = ("", "") if engine == "sqlite" else ("chu_so_huu", "mat-khau")
    assert (seen["user"], seen["password"]) == expected
    assert settings_dict["NAME"] == ("/tmp/owner.sqlite3" if engine == "sqlite" else "thidua")
