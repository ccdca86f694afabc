"""The inbox's index on viewflow's task table (workflow 0010) exists after migrating, on both databases."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_inbox_index_on_the_task_owner_and_status_exists():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "viewflow_task")
    assert constraints["workflow_task_owner_status_idx"]["columns"] == ["owner_id", "status"]
