"""Permission denials (PermissionDenied or any 403 response) go to the audit trail."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import audit
from .auth_events import client_ip

logger = logging.getLogger(__name__)

_RECORDED = "_audit_access_denied_recorded"


class AccessDeniedAuditMiddleware:
    """Record one ACCESS_DENIED event per denied request; never breaks the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, _RECORDED, False):
            _record_denial(request, reason="")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            _record_denial(request, reason=str(exception))
        return None


def _record_denial(request, *, reason: str):
    # The flag is set first so that a failed write is not retried by __call__.
    setattr(request, _RECORDED, True)
    user = getattr(request, "user", None)
    try:
        # Own transaction: the view's work, if any, has been rolled back.
        with transaction.atomic():
            audit.record(
                audit.ACCESS_DENIED,
                actor=user,
                scope="access",
                data={"path": request.path[:500], "method": request.method, "reason": reason[:500]},
                ip=client_ip(request),
            )
    except Exception:
        logger.exception("could not record an access denial for %s", request.path)
