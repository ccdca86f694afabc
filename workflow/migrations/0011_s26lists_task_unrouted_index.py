"""An index for the queue's "open to all" arm on viewflow's task table (issue 18 item 1).

The queue reads its tasks arm by arm of the rule (workflow.queues.queue_tasks_union). For the arm of NEW human
tasks routed by no permission, PostgreSQL expects about 500 rows (it multiplies the share of NEW tasks by the
share of tasks without a permission, most of them function tasks), finds the queue index no cheaper than the
status index, and reads every NEW task of every kind through the latter: 7–20 ms for none at 100,000
nominations. This index holds only the human tasks without a permission, so the arm reads its few entries:
0.02 ms.

The table belongs to viewflow, so the index is plain SQL (the same on SQLite and PostgreSQL) and not part of
any model's state, as workflow 0005's queue index.
"""

from django.db import migrations

INDEX = "workflow_task_unrouted_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflow", "0010_s24lists_task_owner_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON viewflow_task (status) "
            "WHERE flow_task_type = 'HUMAN' AND owner_permission IS NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
