"""``field__any_of=[…]``: a long list of ids as ONE parameter (issue 18).

A list page narrows by hundreds of ids (a reviewer's 300 dossiers to take, the queue's tasks). With ``__in``
every id is a parameter of its own: Django compiles a placeholder for each, and psycopg parses and quotes each
(about 4 ms of CPU for 300 ids). On PostgreSQL ``= ANY(%s)`` sends the list as one array; elsewhere (SQLite)
it is the same ``IN (…)`` as ``__in``.
"""

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        prep = self.lhs.output_field.get_prep_value
        return [prep(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        if not values:
            return "0 = 1", params
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]
