"""OpenAPI generation: every operation documents the error shape it can answer with."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorItemSerializer(serializers.Serializer):
    message = serializers.CharField(help_text=_("Thông báo tiếng Việt."))
    code = serializers.CharField(help_text=_("Mã lỗi ổn định, dùng cho máy."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Thông báo tiếng Việt."))
    code = serializers.CharField(help_text=_("Mã lỗi ổn định, dùng cho máy."))
    errors = serializers.DictField(
        child=serializers.ListField(child=ErrorItemSerializer()),
        help_text=_("Lỗi theo trường: đường dẫn trường → danh sách lỗi; non_field_errors cho lỗi chung."),
    )


ERRORS = {
    "400": _("Dữ liệu không hợp lệ: lỗi theo trường, mỗi lỗi có thông báo và mã."),
    "401": _("Chưa đăng nhập."),
    "403": _("Không có quyền."),
    "404": _("Không tìm thấy, hoặc bạn không được xem."),
    "409": _("Xung đột: công việc đã được người khác nhận, đã hoàn thành, hoặc hồ sơ đang bị khoá."),
    "429": _("Đăng nhập sai nhiều lần liên tiếp: tạm khoá, thử lại sau số giây trong Retry-After."),
}


class ApiAutoSchema(AutoSchema):
    """Adds 400/401/403/404 (and 409 or 429 where a view declares it) to every operation."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "404"]
        permissions = getattr(self.view, "permission_classes", [])
        if not all(isinstance(p, type) and issubclass(p, AllowAny) for p in permissions):
            codes += ["401", "403"]
        if getattr(self.view, "may_conflict", False):
            codes.append("409")
        if getattr(self.view, "may_lock_out", False):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = OpenApiResponse(ErrorSerializer, description=str(ERRORS[code]))
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
