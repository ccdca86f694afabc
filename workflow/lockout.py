"""What a locked-out login sees (django-axes calls this instead of its English default)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """429 with a Vietnamese message: the lockout page, or the API's error shape under /api/."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Đăng nhập sai %(limit)s lần liên tiếp: tài khoản tạm khoá trên máy này trong %(minutes)s phút. "
        "Vui lòng thử lại sau, hoặc liên hệ quản trị hệ thống."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
