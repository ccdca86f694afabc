"""Statements every request runs, prepared once per database connection (PostgreSQL's server-side prepared
statements, through psycopg 3).

PostgreSQL plans a statement each time it receives its text: the user's roles (a three-branch UNION) and global
permissions cost 0.5 ms of planning each for 0.05 ms of running, on every request (issue 18, the frame every page
pays); the /dossiers/ page statement 1.7 ms for 1.8. ``rows`` sends one with its values bound on the server and
prepares it on first use on the connection: the next requests on that connection skip parsing and, once PostgreSQL
has settled on its generic plan (after five runs), planning. The statement goes through Django's cursor wrapper, so
it is logged, counted by the tests and seen by execute wrappers like any other. Django's own statements are bound
on the server too (config/settings.py, ``THIDUA_DB_SERVER_BINDING``) and psycopg prepares each after its fifth run
on the connection; ``rows`` prepares at once, and also where that setting is off.

Only where the connection allows it: ``prepare_threshold`` in the database's OPTIONS is not None
(config/settings.py: off behind PgBouncer in transaction pooling, whose server connections are shared between
clients, unless ``THIDUA_DB_PREPARE=1`` says the PgBouncer is 1.21+ with ``max_prepared_statements`` set).
Elsewhere (SQLite, prepared statements off) the statement runs as any other. psycopg drops its prepared statements
after a ROLLBACK or a DROP (DEALLOCATE ALL) and prepares them again on their next use.
"""

from django.db import connection

try:
    import psycopg
except ImportError:  # SQLite-only installations
    psycopg = None


if psycopg is not None:

    class _PreparedCursor(psycopg.Cursor):
        """psycopg's cursor with server-side binding, asking for every statement it runs to be prepared."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)


def enabled() -> bool:
    """Are this connection's statements prepared (PostgreSQL through psycopg 3, a prepare threshold set)?"""
    if connection.vendor != "postgresql" or psycopg is None:
        return False
    connection.ensure_connection()
    return isinstance(connection.connection, psycopg.Connection) and connection.connection.prepare_threshold is not None


def rows(sql: str, params) -> list[tuple]:
    """The rows of ``sql`` (Django's ``%s`` placeholders) with ``params``, prepared on this connection when it
    allows it. Values come back as psycopg reads them (no Django converters: for ids, text, numbers and dates)."""
    if not enabled():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    raw = _PreparedCursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    connection.validate_thread_sharing()
    with cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if connection.queries_logged and connection.queries_log and connection.queries_log[-1]["sql"] is None:
        # Django logs what psycopg says it sent, which for a prepared statement is nothing: log the statement
        # with its values, as the other statements are logged (tests, debug pages, bench.pages --explain).
        connection.queries_log[-1]["sql"] = connection.ops.compose_sql(sql, params)
    return found
