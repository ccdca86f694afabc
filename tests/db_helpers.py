"""Database helpers shared by tests."""

import importlib

TABLE = "workflow_auditevent"


def flush_around(vendor):
    """SQL to run before and after a flush, in the flush's own transaction (the audit table is append-only)."""
    if vendor == "postgresql":
        return [f"ALTER TABLE {TABLE} DISABLE TRIGGER USER"], [f"ALTER TABLE {TABLE} ENABLE TRIGGER USER"]
    triggers = importlib.import_module("workflow.migrations.0002_auditevent_append_only")
    return triggers.BACKWARDS.get(vendor, []), triggers.FORWARDS.get(vendor, [])
