"""The several-hosts switches, read from the environment by the production settings (any database, no server)."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
from django.conf import settings as s
django.setup()
from django.core.cache import caches
from django.core.files.storage import storages
db = s.DATABASES["default"]
print(json.dumps({
    "storage": type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
    "options": s.STORAGES["default"]["OPTIONS"],
    "cache": type(caches["default"]).__module__ + "." + type(caches["default"]).__name__,
    "sessions": s.SESSION_ENGINE,
    "pool": db.get("OPTIONS", {}).get("pool"),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "no_server_cursors": db.get("DISABLE_SERVER_SIDE_CURSORS"),
}))
"""


def probe(**env) -> dict:
    prefixes = ("DJANGO_", "DATABASE_", "CELERY_", "THIDUA_", "AWS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.splitlines()[-1])


def test_by_default_one_host_keeps_files_on_its_disk():
    s = probe()
    assert s["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert s["options"]["location"].endswith("var/private")
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["sessions"] == "workflow.sessions"  # Django's database sessions (shared by every host), subclassed


def test_the_environment_puts_files_on_a_private_bucket_and_the_cache_in_redis():
    s = probe(
        THIDUA_S3_BUCKET="thidua-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        THIDUA_CACHE_URL="redis://redis.example.vn:6379/2",
    )
    assert s["storage"] == "storages.backends.s3.S3Storage"
    options = s["options"]
    assert options["bucket_name"] == "thidua-files" and options["endpoint_url"] == "https://s3.example.vn"
    # Private objects; any URL made of one is signed and short-lived; a name is never overwritten.
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["file_overwrite"] is False
    assert "access_key" not in options and "secret_key" not in options  # boto3 reads them from the environment
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_the_pool_and_pgbouncer_switches():
    url = "postgres://u:p@db.example.vn:5432/thidua"
    pooled = probe(DATABASE_URL=url, THIDUA_DB_POOL="1", THIDUA_DB_POOL_MIN="3", THIDUA_DB_POOL_MAX="7")
    assert pooled["pool"] == {"min_size": 3, "max_size": 7, "timeout": 10} and pooled["conn_max_age"] == 0
    assert pooled["no_server_cursors"] is False
    bouncer = probe(DATABASE_URL=url, THIDUA_DB_PGBOUNCER="1", DATABASE_CONN_MAX_AGE="0")
    assert bouncer["pool"] is None and bouncer["no_server_cursors"] is True
