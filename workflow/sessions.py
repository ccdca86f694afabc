"""Sessions in the database (Django's engine: any host reads any session), written only when they change.

viewflow's inbox and queue remember the list the user came from (``session["vf-pin-location"]``, its "back"
link) on every visit; Django marks the session modified on any assignment, so each visit rewrote the session
row (BEGIN, UPDATE, COMMIT) even when the address had not changed. An assignment of the value already held is
not a change here.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def __setitem__(self, key, value):
        if key in self._session and self._session[key] == value:
            return
        super().__setitem__(key, value)
