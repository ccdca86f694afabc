"""Settings are read from the environment, with safe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings(**env):
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'],"
        "'name': s.DATABASES['default']['NAME'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        "'broker': s.CELERY_BROKER_URL, 'hosts': s.ALLOWED_HOSTS, 'lang': s.LANGUAGE_CODE,"
        "'tz': s.TIME_ZONE, 'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'),"
        "'tx': s.DATABASES['default'].get('OPTIONS', {}).get('transaction_mode'),"
        "'ssl': s.SECURE_SSL_REDIRECT}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    out = subprocess.run([sys.executable, "-c", code], env=clean, cwd=ROOT, capture_output=True, text=True, check=True)
    import json

    return json.loads(out.stdout)


def test_embedded_defaults():
    s = _settings()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["tx"] == "IMMEDIATE"
    assert s["eager"] is True and s["broker"] == ""
    assert s["debug"] is False and s["ssl"] is True
    assert s["lang"] == "vi" and s["tz"] == "Asia/Ho_Chi_Minh"


def test_production_services_from_the_environment():
    s = _settings(
        DATABASE_URL="postgres://u:p@db.example:5432/thidua",
        CELERY_BROKER_URL="redis://cache.example:6379/0",
        DJANGO_ALLOWED_HOSTS="thidua.example.vn,www.thidua.example.vn",
        DJANGO_DEBUG="1",
    )
    assert s["engine"] == "django.db.backends.postgresql" and s["name"] == "thidua"
    assert s["conn_max_age"] == 60
    assert s["eager"] is False and s["broker"] == "redis://cache.example:6379/0"
    assert s["hosts"] == ["thidua.example.vn", "www.thidua.example.vn"]
    assert s["debug"] is True and s["ssl"] is False


AUDIT_KEYS = {
    "THIDUA_AUDIT_KEY": "k3Jx9-audit-" + "q" * 40,
    "THIDUA_AUDIT_ANCHOR_KEY": "p8Zr2-anchor-" + "w" * 40,
}


def _check_deploy(**extra):
    prefixes = ("DJANGO_", "DATABASE_", "CELERY_", "THIDUA_AUDIT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7#kQ2!mZp9@vL4$wR8^tN1&bH6*cJ3(eF5)gD0_aS-yU+iO=" * 2,
        DJANGO_ALLOWED_HOSTS="thidua.example.vn",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _check_deploy(**AUDIT_KEYS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_audit_keys():
    result = _check_deploy()
    assert result.returncode != 0
    assert "workflow.W001" in result.stderr and "workflow.W002" in result.stderr


def test_check_deploy_warns_on_the_development_key_and_a_shared_key():
    dev = "thidua-audit-development-only"
    result = _check_deploy(THIDUA_AUDIT_KEY=dev, THIDUA_AUDIT_ANCHOR_KEY=dev)
    assert "workflow.W001" in result.stderr and "workflow.W003" in result.stderr
