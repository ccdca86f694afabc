"""Drop, on PostgreSQL, the indexes of the task and audit tables that no statement of ours uses (issue 18: the
write cost of a step).

Every step INSERTs a task, UPDATEs another (its status is indexed, so never a HOT update: every index of the row
gets a new entry) and INSERTs an audit event; a ballot does the same. Each index is one more B-tree insertion per
row written. Django gave viewflow's task table 15 indexes and the audit table 10, of which these serve nothing:

- ``*_like`` (``varchar_pattern_ops``): Django adds one to every indexed ``CharField`` for ``LIKE 'x%'``; no
  statement filters ``status``, ``external_task_id``, ``hash``, ``event_type`` or ``scope`` with a prefix.
- ``viewflow_task.external_task_id``: viewflow's job node writes it, nothing reads by it.
- ``viewflow_task.owner_id``: ``workflow_task_owner_status_idx`` (owner_id, status) starts with the same column
  and serves every lookup by owner (the pages, and the check a user's deletion makes).
- the task's ``seed_content_type_id``, ``owner_permission_content_type_id`` and ``artifact_content_type_id``
  foreign-key indexes: only read when a content type is deleted (``remove_stale_contenttypes``), where a scan of
  the table is fine; no query filters them (the flows filter ``artifact_content_type`` on the *process* table).
- ``workflow_auditevent.scope``: ``workflow_audit_scope_id`` (scope, id) starts with it and serves every
  timeline; ``workflow_auditevent.event_type``: every query of an event type also names the scope or the target
  (audit.timeline, audit.last_events), and PostgreSQL ANDing this index with the scope's few rows made
  statements slower, not faster (workflow/deadlines.py compares the type as an expression to avoid it).

Kept: the keys (``hash`` stays unique), ``process_id``, ``created`` (the task lists' order), ``status`` and
``scheduled`` (viewflow's timer sweep every minute: ``status = 'SCHEDULED' AND scheduled <= now()``), our
composite indexes, the audit ``actor_id`` (the PROTECT check a user's deletion makes) and ``target``.
On copies of the 100,000-nomination set, pg_stat_user_indexes counted 0 scans of each dropped index after the step
bench, the page bench and four council benches, but one of ``event_type``'s pattern copy per council run: the
minutes' ``scope = 'council_session:N' AND event_type = 'council.voting_closed'``, where PostgreSQL ANDed it with
the scope's 33 rows (0.09 ms); the scope index alone then filters them (0.06 ms). bench/README.md, "s27pg".

viewflow's migrations and the models stay as they are (``makemigrations --check`` is clean): the indexes are
dropped in SQL, on PostgreSQL only (SQLite's test and demo databases are untouched). The reverse recreates each
one exactly, under its name.
"""

from django.db import migrations

# (name, definition) as `pg_indexes.indexdef` shows them after viewflow's and workflow's migrations.
DROPPED = [
    ("viewflow_task_external_task_id_2f93bc2f", "ON viewflow_task USING btree (external_task_id)"),
    (
        "viewflow_task_external_task_id_2f93bc2f_like",
        "ON viewflow_task USING btree (external_task_id varchar_pattern_ops)",
    ),
    ("viewflow_task_status_ffb4516b_like", "ON viewflow_task USING btree (status varchar_pattern_ops)"),
    ("viewflow_task_owner_id_01b087bd", "ON viewflow_task USING btree (owner_id)"),
    ("viewflow_task_seed_content_type_id_bed3f17b", "ON viewflow_task USING btree (seed_content_type_id)"),
    (
        "viewflow_task_owner_permission_content_type_id_5fc72a99",
        "ON viewflow_task USING btree (owner_permission_content_type_id)",
    ),
    ("viewflow_task_artifact_content_type_id_50385e8d", "ON viewflow_task USING btree (artifact_content_type_id)"),
    ("workflow_auditevent_hash_73f2598d_like", "ON workflow_auditevent USING btree (hash varchar_pattern_ops)"),
    ("workflow_auditevent_event_type_1d8bc773", "ON workflow_auditevent USING btree (event_type)"),
    (
        "workflow_auditevent_event_type_1d8bc773_like",
        "ON workflow_auditevent USING btree (event_type varchar_pattern_ops)",
    ),
    ("workflow_auditevent_scope_fcc4030d", "ON workflow_auditevent USING btree (scope)"),
    ("workflow_auditevent_scope_fcc4030d_like", "ON workflow_auditevent USING btree (scope varchar_pattern_ops)"),
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in DROPPED:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflow", "0011_s26lists_task_unrouted_index"),
    ]

    operations = [migrations.RunPython(drop, recreate, elidable=False)]
