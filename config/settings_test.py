"""Test settings: the production settings with only speed overrides."""

from .settings import *  # noqa: F403

# PBKDF2 costs ~0.3 s per hash on these machines; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP; HTTPS redirects are covered by check --deploy.
SECURE_SSL_REDIRECT = False
# The suite runs on the development audit keys unless the environment names
# others (CI's PostgreSQL stage shares them with its worker), and writes no
# anchors unless a test points the path at its own folder.
THIDUA_AUDIT_KEY = THIDUA_AUDIT_KEY or THIDUA_AUDIT_DEV_KEY  # noqa: F405
THIDUA_AUDIT_ANCHOR_KEY = THIDUA_AUDIT_ANCHOR_KEY or THIDUA_AUDIT_ANCHOR_DEV_KEY  # noqa: F405
THIDUA_AUDIT_ANCHOR_PATH = env.str("THIDUA_AUDIT_ANCHOR_PATH", default="")  # noqa: F405
# Inline jobs run on commit, in the request, as the tests expect; tests of the deferral turn it on.
THIDUA_INLINE_AFTER_RESPONSE = False
# Tests log in at the real time, then travel (time-machine) to 10:00 of a chosen day, possibly the next one:
# with production's 8 hours that session had expired whenever the run started between 00:00 and 02:00 in
# Vietnam (17:00-19:00 UTC), and a dozen tests failed by the clock. Production keeps its 8 hours.
SESSION_COOKIE_AGE = 14 * 24 * 3600
