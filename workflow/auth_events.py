"""Logins, logouts and failed logins go to the audit trail (Django offers only signals for these).

Failed logins are audited once per burst, not per attempt: the first failure
of a username/address pair within django-axes' window, then the lockout.
Every audit append takes the chain's global lock, so auditing each attempt
would let a password guesser stall every other writer.
"""

from axes.signals import user_locked_out
from django.conf import settings
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


def _attempted_name(credentials) -> str:
    # Only the attempted name is kept; never the password or other secrets.
    field = get_user_model().USERNAME_FIELD
    return str(credentials.get(field) or credentials.get("username") or "")[:150]


def on_login_failed(sender, credentials, request=None, **kwargs):
    # axes' receiver ran first ("axes" precedes "workflow" in INSTALLED_APPS) and left
    # its count on the request: 1 opens a burst; later ones, and attempts refused
    # during a lockout (count None), are in axes' table, not in the trail.
    if settings.AXES_ENABLED and request is not None and getattr(request, "axes_failures_since_start", None) != 1:
        return
    attempted = _attempted_name(credentials)
    audit.record(
        audit.AUTH_LOGIN_FAILED,
        actor_name=attempted,
        scope=SCOPE,
        data={"username": attempted},
        ip=client_ip(request),
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    # axes also signals each attempt refused during the lockout (without a fresh
    # count on the request); only the failure that starts the lockout is an event.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    name = str(username or "")[:150]
    audit.record(
        audit.AUTH_LOCKED_OUT,
        actor_name=name,
        scope=SCOPE,
        data={"username": name, "failures": failures},
        ip=ip_address,
    )


def connect():
    """Connect the receivers once (dispatch_uid guards against double connection)."""
    user_logged_in.connect(on_login, dispatch_uid="workflow.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="workflow.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="workflow.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="workflow.audit.locked_out")
