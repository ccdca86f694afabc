"""workflow 0012: on PostgreSQL the task and audit tables lose the indexes no statement uses (each one a B-tree
insertion per step), keep those the queries need, and the reverse recreates each dropped one exactly."""

import importlib

import pytest
from django.db import connection

migration = importlib.import_module("workflow.migrations.0012_s27pg_drop_unused_indexes")
TABLES = ("viewflow_task", "workflow_auditevent")
KEPT = {
    "viewflow_task_pkey",
    "viewflow_task_process_id_619bc849",
    "viewflow_task_created_7518aa4b",
    "viewflow_task_status_ffb4516b",
    "viewflow_task_scheduled_bbd49899",
    "workflow_task_owner_status_idx",
    "workflow_task_queue_idx",
    "workflow_task_unrouted_idx",
    "workflow_auditevent_pkey",
    "workflow_auditevent_hash_key",
    "workflow_auditevent_actor_id_e1e96546",
    "workflow_audit_scope_id",
    "workflow_audit_target",
}
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are dropped on PostgreSQL only")


def indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(TABLES)])
        return dict(cursor.fetchall())


@postgresql
def test_the_unused_indexes_are_gone_and_the_used_ones_stay(db):
    assert set(indexes()) == KEPT


@postgresql
def test_the_reverse_recreates_each_index_exactly_and_the_forward_drops_them_again(db):
    with connection.schema_editor(atomic=False) as editor:  # inside the test's transaction, rolled back after
        migration.recreate(None, editor)
    recreated = indexes()
    for name, definition in migration.DROPPED:
        assert recreated[name] == f"CREATE INDEX {name} {definition}".replace(" ON ", " ON public.", 1)
    with connection.schema_editor(atomic=False) as editor:
        migration.drop(None, editor)
    assert set(indexes()) == KEPT


def test_sqlite_keeps_every_index(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's schema")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'workflow_auditevent'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"workflow_auditevent_event_type_1d8bc773", "workflow_auditevent_scope_fcc4030d"} <= names
