"""Refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events in the database itself.

On SQLite, a later migration that rebuilds workflow_auditevent (most
AlterField/AddField operations) drops these triggers: re-run FORWARDS there.
"""

from django.db import migrations

FORWARDS = {
    "postgresql": [
        """
        CREATE OR REPLACE FUNCTION workflow_auditevent_refuse() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit trail is append-only'
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$
        """,
        """
        CREATE TRIGGER workflow_auditevent_no_change
        BEFORE UPDATE OR DELETE ON workflow_auditevent
        FOR EACH ROW EXECUTE FUNCTION workflow_auditevent_refuse()
        """,
        """
        CREATE TRIGGER workflow_auditevent_no_truncate
        BEFORE TRUNCATE ON workflow_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION workflow_auditevent_refuse()
        """,
    ],
    "sqlite": [
        """
        CREATE TRIGGER workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END
        """,
        """
        CREATE TRIGGER workflow_auditevent_no_delete BEFORE DELETE ON workflow_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END
        """,
    ],
}

BACKWARDS = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS workflow_auditevent_no_truncate ON workflow_auditevent",
        "DROP TRIGGER IF EXISTS workflow_auditevent_no_change ON workflow_auditevent",
        "DROP FUNCTION IF EXISTS workflow_auditevent_refuse()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS workflow_auditevent_no_update",
        "DROP TRIGGER IF EXISTS workflow_auditevent_no_delete",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        # Other backends get no trigger; the model still refuses changes.
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False),
    ]
