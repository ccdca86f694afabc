"""Key the audit chain with HMAC; seal the rows written before; on PostgreSQL, keep the trail from non-owners.

1. ``key_id``: which configured key made each event's hash (empty: the old unkeyed sha256).
2. If unkeyed rows exist, one keyed "audit.keyed" event is appended over their
   head, recording how many there are. It is the recorded boundary: those rows
   cannot be changed from now on without breaking its link, and a keyless row
   anywhere else fails verification. (Re-chaining the old rows under the key
   would vouch for rows that anyone could have rewritten before today.)
3. PostgreSQL: UPDATE, DELETE, TRUNCATE (and TRIGGER, REFERENCES) on the audit
   table are revoked from every role but its owner, whatever default
   privileges granted them: the application's role may only INSERT and SELECT
   it, and, not being the owner, cannot ALTER it or disable its triggers.
"""

import importlib

from django.db import migrations, models
from django.utils import timezone

RESTRICT_AUDIT_TABLE = """
DO $$
DECLARE
    grantee_name text;
BEGIN
    REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON workflow_auditevent FROM PUBLIC;
    FOR grantee_name IN
        SELECT DISTINCT r.rolname
        FROM pg_class c
        CROSS JOIN LATERAL aclexplode(c.relacl) AS a
        JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = 'workflow_auditevent'::regclass AND a.grantee <> c.relowner
    LOOP
        EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON workflow_auditevent FROM '
            || quote_ident(grantee_name);
    END LOOP;
END
$$
"""


def restore_sqlite_triggers(apps, schema_editor):
    # SQLite rebuilt the table to add the column, dropping 0002's triggers.
    if schema_editor.connection.vendor == "sqlite":
        triggers = importlib.import_module("workflow.migrations.0002_auditevent_append_only")
        for sql in [*triggers.BACKWARDS["sqlite"], *triggers.FORWARDS["sqlite"]]:
            schema_editor.execute(sql)


def seal_unkeyed_rows(apps, schema_editor):
    from django.conf import settings

    from workflow import audit

    AuditEvent = apps.get_model("workflow", "AuditEvent")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            # The chain's lock (0005): no event slips in between head and seal.
            cursor.execute("SELECT workflow_audit_chain_head(%s)", [audit.CHAIN_LOCK_KEY])
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    if head is None:
        return
    seal = AuditEvent(
        created_at=timezone.now(),
        event_type=audit.AUDIT_KEYED,
        data={"legacy_events": AuditEvent.objects.count()},
        prev_hash=head,
        key_id=settings.THIDUA_AUDIT_KEY_ID,
    )
    seal.hash = audit.compute_hash(seal)
    seal.save(force_insert=True)


def restrict_audit_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTRICT_AUDIT_TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0006_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="mã khoá"),
            preserve_default=False,
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(seal_unkeyed_rows, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(restrict_audit_table, migrations.RunPython.noop, elidable=False),
    ]
