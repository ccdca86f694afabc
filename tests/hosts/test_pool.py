"""THIDUA_DB_POOL=1: each process borrows its PostgreSQL connections from psycopg's pool and gives them back."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from ..jobs.live import worker_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is psycopg's (PostgreSQL)"),
]

# A request's connection is closed at its end (Django's request_finished), as here between the two queries.
PROBE = """
import json, django
django.setup()
from django.db import connection
def backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
first = backend()
connection.close()
second = backend()
pool = connection.pool
print(json.dumps({
    "pool": pool and type(pool).__module__ + "." + type(pool).__name__,
    "sizes": pool and [pool.min_size, pool.max_size],
    "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    "same_server_connection": first == second,
}))
"""


def probe(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "THIDUA_DB_"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=worker_database_url(), **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.splitlines()[-1])


def test_with_the_switch_connections_come_from_psycopgs_pool(db):
    # One connection at most: a pool still filling when the first query asks may open a second one, and the pool
    # hands its connections out in turn, so with more the next query could run on another (CI's PostgreSQL stage).
    pooled = probe(THIDUA_DB_POOL="1", THIDUA_DB_POOL_MIN="1", THIDUA_DB_POOL_MAX="1")
    assert pooled["pool"] == "psycopg_pool.pool.ConnectionPool" and pooled["sizes"] == [1, 1]
    # Django refuses persistent connections with a pool; a closed connection went back to the pool and the
    # next query ran on the same server connection.
    assert pooled["conn_max_age"] == 0 and pooled["same_server_connection"]


def test_without_it_a_closed_connection_is_gone(db):
    plain = probe(DATABASE_CONN_MAX_AGE="0")
    assert plain["pool"] is None and not plain["same_server_connection"]
