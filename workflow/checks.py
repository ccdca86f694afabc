"""Deployment checks of the audit trail's secrets (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def audit_keys_check(app_configs, **kwargs):
    """Warn when an audit key is missing, the development one, too short, or the two keys are the same."""
    found = []
    keys = (
        ("THIDUA_AUDIT_KEY", settings.THIDUA_AUDIT_DEV_KEY, "workflow.W001", "the audit trail"),
        ("THIDUA_AUDIT_ANCHOR_KEY", settings.THIDUA_AUDIT_ANCHOR_DEV_KEY, "workflow.W002", "its anchors"),
    )
    for name, dev_key, check_id, what in keys:
        value = getattr(settings, name)
        if not value or value == dev_key or len(value) < MIN_KEY_LENGTH:
            found.append(
                Warning(
                    f"{name} is missing, the development default, or shorter than {MIN_KEY_LENGTH} characters: "
                    f"whoever can write to the database could forge {what}.",
                    hint=f"Set {name} in the environment to a long random secret kept outside the database.",
                    id=check_id,
                )
            )
    if settings.THIDUA_AUDIT_KEY and settings.THIDUA_AUDIT_KEY == settings.THIDUA_AUDIT_ANCHOR_KEY:
        found.append(
            Warning(
                "THIDUA_AUDIT_KEY and THIDUA_AUDIT_ANCHOR_KEY are the same key.",
                hint="Give the anchors a key of their own.",
                id="workflow.W003",
            )
        )
    return found
