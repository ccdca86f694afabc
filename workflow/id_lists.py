"""``field__any_of=[…]``: a long list of ids as ONE parameter (issue 18).

A list page narrows by hundreds of ids (a reviewer's 300 dossiers to take, the queue's tasks). With ``__in``
every id is a parameter of its own: Django compiles a placeholder for each, and psycopg parses and quotes each
(about 4 ms of CPU for 300 ids). On PostgreSQL ``= ANY(%s)`` sends the list as one array; elsewhere (SQLite)
it is the same ``IN (…)`` as ``__in``.

Given a subquery, ``= ANY(ARRAY(subquery))``: PostgreSQL runs the subquery once and looks the resulting ids up
in the column's index, where ``IN (subquery)`` becomes a semi-join that it plans from a poor estimate of the
subquery's size (a reviewer's 9,000 visible nominations of 2,000 granted dossiers: 17 ms as a join).
"""

from django.db import connection
from django.db.models import Field, ForeignKey, Lookup


@ForeignKey.register_lookup
@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        if hasattr(self.rhs, "as_sql"):  # a subquery
            return self.rhs
        prep = self.lhs.output_field.get_prep_value
        return [prep(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "as_sql"):
            query, query_params = self.process_rhs(compiler, connection)
            if connection.vendor == "postgresql":
                return f"{lhs} = ANY(ARRAY{query})", [*params, *query_params]
            return f"{lhs} IN {query}", [*params, *query_params]
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        if not values:
            return "0 = 1", params
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


@ForeignKey.register_lookup
@Field.register_lookup
class Probe(Lookup):
    """``field__probe=subquery``: the same rows as ``field__in=subquery``, written so that PostgreSQL keeps the
    subquery as a hashed filter instead of turning it into a join.

    A top-level ``IN (subquery)`` is made a semi-join, which PostgreSQL plans from its (poor) guess of the
    subquery's size; wrapped in ``IS TRUE`` it stays a condition, run once into a hash and probed per row, so the
    rows can be read in the order of another index and the read stops at the page's end (``/dossiers/`` of a
    reviewer who sees 9 % of the table: 50 rows found after reading about 600 of the (sort key, id) index, 1 ms
    instead of 8). ``IS TRUE`` changes no answer: the column is never NULL here, and a NULL is no match either
    way. Elsewhere (SQLite) the plain ``IN``."""

    lookup_name = "probe"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        query, query_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"({lhs} IN {query}) IS TRUE", [*params, *query_params]
        return f"{lhs} IN {query}", [*params, *query_params]


def any_of_sql(column: str, values) -> tuple[str, list]:
    """The same condition in hand-written SQL: ``column = ANY(%s)`` with one array on PostgreSQL, ``IN (…)``
    elsewhere; (SQL, parameters)."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return "0 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values
