"""PostgreSQL: lock the audit chain and read its last hash in one round trip (workflow.audit.record).

One plain SELECT cannot do both: its snapshot is taken when it starts, before
the lock is granted, so it would miss the event that the previous holder
committed while this writer waited, and fork the chain. A VOLATILE function
takes a new snapshot for each statement it runs, so its read comes after the lock.
"""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION workflow_audit_chain_head(lock_key bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT hash INTO last_hash FROM workflow_auditevent ORDER BY id DESC LIMIT 1;
    RETURN last_hash;
END;
$$
"""
BACKWARDS = "DROP FUNCTION IF EXISTS workflow_audit_chain_head(bigint)"


def _run(sql):
    def run(apps, schema_editor):
        # SQLite serialises writers by itself (transaction_mode="IMMEDIATE"): nothing to create.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_decision_process"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False),
    ]
