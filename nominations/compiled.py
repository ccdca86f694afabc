"""A statement's SQL compiled once per process for the same inputs, then only run.

Building and compiling a grouped statement with a ``CASE`` or fifteen sums costs the ORM 2–3 ms of CPU each
time, more than PostgreSQL spends running it (the progress chart, the TT 02 tallies). The SQL depends only
on the inputs the caller names in ``key`` (ids, a path, a day), never on the data, so keeping the text is
not keeping any answer: each call runs the statement and reads the rows as they are now."""

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

MAX_ENTRIES = 512
_sql: dict[tuple, tuple[str, tuple]] = {}


def rows(key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of ``build()`` (a ``values_list`` whose columns need no conversion from the database's types:
    integers and strings), its SQL compiled on the first call for ``key`` only. ``key`` must hold every input
    ``build`` reads."""
    key = (connection.vendor, *key)
    compiled = _sql.get(key)
    if compiled is None:
        if len(_sql) >= MAX_ENTRIES:
            _sql.clear()  # a bound on the memory; the next calls compile again
        compiled = _sql[key] = build().query.sql_with_params()
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
