"""A statement's SQL compiled once per process for the same inputs, then only run.

Building and compiling a grouped statement with a ``CASE`` or fifteen sums costs the ORM 2–3 ms of CPU each
time, more than PostgreSQL spends running it (the progress chart, the TT 02 tallies, the progress table's
page of plans). The SQL depends only on the inputs the caller names in ``key`` (ids, a path, a day, a slice),
never on the data, so keeping the text is not keeping any answer: each call runs the statement and reads the
rows as they are now."""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

MAX_ENTRIES = 512
_sql: dict[tuple, tuple[str, tuple, list]] = {}


def rows(key: tuple, build: Callable[[], QuerySet | tuple[str, tuple]]) -> list[tuple]:
    """The rows of ``build()`` (a ``values_list``, or SQL and its parameters built from one), its SQL compiled on
    the first call for ``key`` only. ``key`` must hold every input ``build`` reads. The values are converted as
    the query set would convert them (the backend's converters, kept with the SQL: SQLite's decimals and dates;
    none on PostgreSQL for numbers, strings, decimals and days), so the rows equal ``list(build())``."""
    key = (connection.vendor, *key)
    compiled = _sql.get(key)
    if compiled is None:
        if len(_sql) >= MAX_ENTRIES:
            _sql.clear()  # a bound on the memory; the next calls compile again
        compiled = _sql[key] = _compile(build())
    sql, params, converters = compiled
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not converters:
        return fetched
    converted = []
    for row in fetched:
        row = list(row)
        for pos, (functions, expression) in converters:
            value = row[pos]
            for function in functions:
                value = function(value, expression, connection)
            row[pos] = value
        converted.append(tuple(row))
    return converted


def _compile(built) -> tuple[str, tuple, list]:
    if isinstance(built, tuple):
        return (*built, [])  # SQL written around a query set's: its columns need no conversion (the caller's word)
    compiler = built.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # nothing can match (an empty slice): as the query set, no statement
        return None, (), []
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    return sql, params, list(compiler.get_converters(fields).items())


def first(key: tuple, queryset: QuerySet, related: str = ""):
    """``queryset.select_related(related).first()`` (one row: filter it to one, by its key) as a model instance
    with its ``related`` object, its SQL compiled once for ``key``: building the query set with the join is
    most of the ORM's cost of reading one row. The instances are made as the ORM makes them (``from_db``
    with every concrete field, values converted by the backend's and the fields' converters)."""
    model = queryset.model
    own = [field.attname for field in model._meta.concrete_fields]
    names = list(own)
    if related:
        relation = model._meta.get_field(related)
        theirs = [field.attname for field in relation.related_model._meta.concrete_fields]
        names += [f"{related}__{name}" for name in theirs]
    fetched = rows(key, lambda: queryset.values_list(*names)[:1])
    if not fetched:
        return None
    row = fetched[0]
    instance = model.from_db(connection.alias, own, row[: len(own)])
    if related:
        relation.set_cached_value(instance, relation.related_model.from_db(connection.alias, theirs, row[len(own) :]))
    return instance
