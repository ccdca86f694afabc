"""Sessions in the database (Django's engine: any host reads any session), written only when they change, read
with a statement written once.

viewflow's inbox and queue remember the list the user came from (``session["vf-pin-location"]``, its "back"
link) on every visit; Django marks the session modified on any assignment, so each visit rewrote the session
row (BEGIN, UPDATE, COMMIT) even when the address had not changed. An assignment of the plain value (text, a
number, a flag) already held is not a change here. A list or a dict is always a change: it may be the same object
mutated in place and assigned back, the way Django's documentation marks a session modified.

Every request reads its session: Django builds and compiles that ``get()`` each time (~0.4 ms of CPU, issue 18);
here the same statement (the key's row, not expired) is written once and run.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

PLAIN = (str, int, float, bool, type(None))


class SessionStore(DatabaseSessionStore):
    def __setitem__(self, key, value):
        held = self._session.get(key, self)  # self: nothing held (no session value is the store itself)
        if isinstance(value, PLAIN) and type(held) is type(value) and held == value:
            return
        super().__setitem__(key, value)

    def _get_session_from_db(self):
        """Django's read: the session of this key unless expired, else None (and no key: a new one on save)."""
        if self.session_key is not None:  # a malformed key from the cookie is None already (Django's check)
            connection = connections[router.db_for_read(self.model)]
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(self.model._meta.db_table)
                cursor.execute(
                    f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                    [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
                )
                row = cursor.fetchone()
            if row is not None:
                return self.model(session_key=self.session_key, session_data=row[0])
        self._session_key = None
        return None
