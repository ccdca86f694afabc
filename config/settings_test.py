"""Test settings: the production settings with only speed overrides."""

from .settings import *  # noqa: F403

# PBKDF2 costs ~0.3 s per hash on these machines; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP; HTTPS redirects are covered by check --deploy.
SECURE_SSL_REDIRECT = False
