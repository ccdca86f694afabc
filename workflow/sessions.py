"""Sessions in the database (Django's engine: any host reads any session), written only when they change.

viewflow's inbox and queue remember the list the user came from (``session["vf-pin-location"]``, its "back"
link) on every visit; Django marks the session modified on any assignment, so each visit rewrote the session
row (BEGIN, UPDATE, COMMIT) even when the address had not changed. An assignment of the plain value (text, a
number, a flag) already held is not a change here. A list or a dict is always a change: it may be the same object
mutated in place and assigned back, the way Django's documentation marks a session modified.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

PLAIN = (str, int, float, bool, type(None))


class SessionStore(DatabaseSessionStore):
    def __setitem__(self, key, value):
        held = self._session.get(key, self)  # self: nothing held (no session value is the store itself)
        if isinstance(value, PLAIN) and type(held) is type(value) and held == value:
            return
        super().__setitem__(key, value)
