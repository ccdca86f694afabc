import datetime

import pytest
from django.db import connection

from workflow.demo import load_demo

from .db_helpers import flush_around


@pytest.fixture
def demo(db):
    """The demo data set, loaded through the same code as `make run`."""
    return load_demo()


@pytest.fixture
def today():
    return datetime.date.today()


@pytest.fixture
def audit_flushable():
    """Let a transactional test's final flush empty the append-only audit table."""
    ops_class = type(connection.ops)
    original = ops_class.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        before, after = flush_around(self.connection.vendor)
        original(self, [*before, *sql_list, *after])

    ops_class.execute_sql_flush = execute_sql_flush
    yield
    ops_class.execute_sql_flush = original


@pytest.fixture
def committed_db(audit_flushable, transactional_db):
    """transactional_db whose teardown flush is allowed through the audit triggers."""


@pytest.fixture
def committed_demo(committed_db):
    """The demo, committed for real: for tests with several connections or a live worker."""
    return load_demo()
