"""Logins, logouts and failed logins go to the audit trail (Django offers only signals for these)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import audit

SCOPE = "auth"


def client_ip(request) -> str | None:
    """The peer address as seen by Django (REMOTE_ADDR), or None without a request."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def on_login(sender, request, user, **kwargs):
    audit.record(audit.AUTH_LOGIN, actor=user, target=user, scope=SCOPE, ip=client_ip(request))


def on_logout(sender, request, user, **kwargs):
    # Logging out without a session (user is None) is not an event.
    if user is not None:
        audit.record(audit.AUTH_LOGOUT, actor=user, target=user, scope=SCOPE, ip=client_ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the attempted name is kept; never the password or other secrets.
    field = get_user_model().USERNAME_FIELD
    attempted = str(credentials.get(field) or credentials.get("username") or "")[:150]
    audit.record(
        audit.AUTH_LOGIN_FAILED,
        actor_name=attempted,
        scope=SCOPE,
        data={"username": attempted},
        ip=client_ip(request),
    )


def connect():
    """Connect the receivers once (dispatch_uid guards against double connection)."""
    user_logged_in.connect(on_login, dispatch_uid="workflow.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="workflow.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="workflow.audit.login_failed")
