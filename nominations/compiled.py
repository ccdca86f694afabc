"""A statement's SQL compiled once per process for the same inputs, then only run.

Building and compiling a grouped statement with a ``CASE`` or fifteen sums costs the ORM 2–3 ms of CPU each
time, more than PostgreSQL spends running it (the progress chart, the TT 02 tallies, the progress table's
page of plans). The SQL depends only on the inputs the caller names in ``key`` (ids, a path, a day, a slice),
never on the data, so keeping the text is not keeping any answer: each call runs the statement and reads the
rows as they are now."""

import datetime
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

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
    return _converted(fetched, converters)


def _converted(fetched: list[tuple], converters: list) -> list[tuple]:
    """The rows with the converters kept with the SQL applied, on this thread's connection."""
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


# Statements whose inputs change on every call (a dossier's id, its rules day): compiled once per process for
# stand-in values, which are then replaced by the real ones in the parameters. A stand-in must reach the
# parameters as itself (an id) or as the backend adapts it (a day on SQLite); if Django ever put one anywhere
# else (inlined in the text, or changed), the statement would silently read the stand-in: RuntimeError instead.
STAND_IN_ID, STAND_IN_DAY = -91_827_365, datetime.date(1901, 2, 4)
_bound: dict[tuple, tuple] = {}


class _Slot:
    """A parameter filled from the call's values: the ``index``-th, adapted as the backend adapts it or not."""

    __slots__ = ("index", "adapt")

    def __init__(self, index: int, adapt):
        self.index, self.adapt = index, adapt


def _adapters(value):
    """(adapter, the stand-in as the ORM may pass it) pairs for one stand-in value."""
    if isinstance(value, datetime.date):
        return [(None, value), (connection.ops.adapt_datefield_value, connection.ops.adapt_datefield_value(value))]
    return [(None, value)]


def _compile_bound(queryset: QuerySet, stand_ins: tuple):
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    slots, seen = [], set()
    for param in params:
        slot = param
        for index, stand_in in enumerate(stand_ins):
            for adapt, form in _adapters(stand_in):
                if type(param) is type(form) and param == form:
                    slot = _Slot(index, adapt)
                    seen.add(index)
        slots.append(slot)
    literals = [str(form) for stand_in in stand_ins for _adapt, form in _adapters(stand_in)]
    if len(seen) != len(stand_ins) or any(literal in sql for literal in literals):
        raise RuntimeError(f"a stand-in value is not a parameter of the compiled statement: {sql} {params}")
    # The compiler is kept for its select (the model instances' columns), not for its connection: the converters
    # run with the calling thread's (below).
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    return sql, slots, compiler, list(compiler.get_converters(fields).items())


def _bound_run(key: tuple, build: Callable[..., QuerySet], values: tuple, stand_ins: tuple):
    key = (connection.vendor, *key)
    compiled = _bound.get(key)
    if compiled is None:
        if len(_bound) >= MAX_ENTRIES:
            _bound.clear()
        compiled = _bound[key] = _compile_bound(build(*stand_ins), stand_ins)
    sql, slots, compiler, converters = compiled
    params = []
    for slot in slots:
        if isinstance(slot, _Slot):
            value = values[slot.index]
            slot = value if slot.adapt is None else slot.adapt(value)
        params.append(slot)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    # The backend's and the fields' converters, as the query set applies them.
    return _converted(fetched, converters), compiler


def bound_rows(key: tuple, build: Callable[..., QuerySet], values: tuple, stand_ins: tuple) -> list[tuple]:
    """``list(build(*values))`` of a ``values_list`` query set, its SQL compiled once for ``key`` with
    ``build(*stand_ins)`` (``STAND_IN_ID``, ``STAND_IN_DAY``: one distinct stand-in per value). ``key`` must hold
    every input ``build`` reads besides ``values``."""
    return [tuple(row) for row in _bound_run(key, build, values, stand_ins)[0]]


def bound_instances(key: tuple, build: Callable[..., QuerySet], values: tuple, stand_ins: tuple) -> list:
    """``list(build(*values))`` of a model query set (its ``select_related`` objects set as the ORM sets them),
    compiled once for ``key`` as ``bound_rows``."""
    fetched, compiler = _bound_run(key, build, values, stand_ins)
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, connection.alias)
    instances = []
    for row in fetched:
        instance = klass_info["model"].from_db(connection.alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        instances.append(instance)
    return instances
