"""``migrate`` as the database owner when ``DATABASE_MIGRATE_URL`` is set.

In production the application's role (``DATABASE_URL``) may only INSERT and
SELECT the audit trail and owns no table, so it cannot change the schema.
Migrations connect with the owner's credentials instead, on the same database.
"""

import environ
from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

OWNER_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


class Command(migrate.Command):
    def handle(self, *args, **options):
        if settings.DATABASE_MIGRATE_URL and options["database"] == DEFAULT_DB_ALIAS:
            use_owner(connections[DEFAULT_DB_ALIAS], settings.DATABASE_MIGRATE_URL)
        return super().handle(*args, **options)


def use_owner(connection, url: str) -> None:
    """Reconnect ``connection`` with the owner's credentials from ``url`` (the rest of its settings stay)."""
    owner = environ.Env.db_url_config(url)
    if owner["ENGINE"] != connection.settings_dict["ENGINE"]:
        raise ValueError("DATABASE_MIGRATE_URL must name the same kind of database as DATABASE_URL")
    connection.close()
    connection.settings_dict.update({key: owner[key] for key in OWNER_KEYS if key in owner})
