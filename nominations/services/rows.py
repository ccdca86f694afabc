"""Many rows in few statements, from plain tuples: for the council's 500-item agendas and 15,000-vote rounds.

``QuerySet.bulk_create`` needs a model instance per row and ``bulk_update`` builds a ``Case(When(...))``
expression per row and field, which costs more than the statements they save. These write the same SQL
by hand (portable: multi-row VALUES and CASE), in batches the backend's parameter limit allows.
On PostgreSQL an INSERT or an UPDATE takes one array parameter per column instead (``unnest``): psycopg's client-side
binding then splits and quotes a handful of parameters, not 2,000 (a 500-item ballot), in one statement.
No signals, no field defaults and no ``auto_now``: the caller passes every value.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections


def _batch(columns: int, rows: list) -> int:
    limit = connection.features.max_query_params
    return max(1, limit // columns) if limit else max(1, len(rows))


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``fields``, in order) into ``model``'s table."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
    if connection.vendor == "postgresql":
        arrays = [f"%s::{c.db_type(connection)}[]" for c in columns]
        # The connection itself, not the thread-local proxy: each field's preparation asks it for its operations,
        # 75,000 times when a 30-member round's 15,000 secret votes are written out.
        wrapper = connections[DEFAULT_DB_ALIAS]
        params = [[prep(row[k], wrapper) for row in rows] for k, prep in enumerate(c.get_db_prep_save for c in columns)]
        with connection.cursor() as cursor:
            cursor.execute(f"{head}SELECT * FROM unnest({', '.join(arrays)})", params)
        return
    head += "VALUES "
    row_sql = f"({', '.join(['%s'] * len(columns))})"
    size = _batch(len(columns), rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [c.get_db_prep_save(v, connection) for row in chunk for c, v in zip(columns, row, strict=True)]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)), params)


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE ``model`` rows by primary key; each row is (pk, values of ``fields`` in order)."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    key = quote(model._meta.pk.column)
    if connection.vendor == "postgresql":
        # One array per column joined on the key: a CASE of 500 branches per column was evaluated for each of
        # the 500 rows (a quarter of a council round's close in PostgreSQL), and 5,000 parameters bound in Python.
        wrapper = connections[DEFAULT_DB_ALIAS]
        pk = model._meta.pk
        arrays = [f"%s::{c.db_type(connection)}[]" for c in (pk, *columns)]
        names = [f"v{k}" for k in range(len(columns) + 1)]
        params = [[pk.get_db_prep_save(row[0], wrapper) for row in rows]]
        params += [[c.get_db_prep_save(row[k + 1], wrapper) for row in rows] for k, c in enumerate(columns)]
        sets = ", ".join(f"{quote(c.column)} = v.{name}" for c, name in zip(columns, names[1:], strict=True))
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM unnest({', '.join(arrays)}) AS v({', '.join(names)}) "
                f"WHERE {table}.{key} = v.v0",
                params,
            )
        return
    cast = connection.features.requires_casted_case_in_updates  # PostgreSQL: CASE of parameters is untyped
    size = _batch(2 * len(columns) + 1, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sets, params = [], []
            for i, column in enumerate(columns):
                case = f"CASE {key} {' '.join(['WHEN %s THEN %s'] * len(chunk))} END"
                if cast:
                    case = f"CAST({case} AS {column.cast_db_type(connection)})"
                sets.append(f"{quote(column.column)} = {case}")
                for row in chunk:
                    params += [row[0], column.get_db_prep_save(row[i + 1], connection)]
            params += [row[0] for row in chunk]
            where = f"{key} IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)} WHERE {where}", params)
