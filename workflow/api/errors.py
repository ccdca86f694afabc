"""One error shape for the whole API: ``{"detail", "code", "errors"}``.

``errors`` maps a field path (``title``, ``items.12.note``,
``non_field_errors``) to a list of ``{"message", "code"}``. Codes are stable
and machine-readable; messages are Vietnamese. Services raise Django's
ValidationError (often with ``code=``); it becomes a 400 here, exactly as the
UI shows it on the form.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback
from viewflow.workflow.exceptions import FlowLockFailed

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

# DRF's own messages are English for most codes (its "vi" catalogue is
# small); these replace them. Domain messages are Vietnamese already.
MESSAGES = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống."),
    "blank": _("Trường này không được để trống."),
    "empty": _("Không được để trống."),
    "invalid": _("Giá trị không hợp lệ."),
    "incorrect_type": _("Kiểu dữ liệu không đúng."),
    "does_not_exist": _("Không tìm thấy đối tượng có mã này."),
    "invalid_choice": _("Lựa chọn không hợp lệ."),
    "invalid_pk_value": _("Mã đối tượng không hợp lệ."),
    "max_length": _("Giá trị dài quá mức cho phép."),
    "min_length": _("Giá trị ngắn hơn mức tối thiểu."),
    "max_value": _("Giá trị lớn hơn mức cho phép."),
    "min_value": _("Giá trị nhỏ hơn mức tối thiểu."),
    "max_string_length": _("Số quá lớn."),
    "not_a_list": _("Cần một danh sách."),
    "not_a_dict": _("Cần một đối tượng JSON."),
    "date": _("Cần một ngày, không phải thời điểm."),
    "datetime": _("Cần một thời điểm, không phải ngày."),
    "no_name": _("Không xác định được tên tệp."),
    "not_authenticated": _("Chưa đăng nhập: cần gửi mã xác thực (Token) hoặc phiên đăng nhập."),
    "authentication_failed": _("Thông tin xác thực không hợp lệ."),
    "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
    "not_found": _("Không tìm thấy."),
    "method_not_allowed": _("Phương thức này không được hỗ trợ."),
    "not_acceptable": _("Không trả về được định dạng yêu cầu."),
    "unsupported_media_type": _("Kiểu nội dung gửi lên không được hỗ trợ."),
    "parse_error": _("Dữ liệu gửi lên sai cú pháp."),
    "throttled": _("Quá nhiều yêu cầu, vui lòng thử lại sau."),
}
FALLBACK = _("Dữ liệu không hợp lệ.")


class Conflict(exceptions.APIException):
    """409: the state changed under the caller (task taken, finished, locked)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Dữ liệu đã thay đổi, không thực hiện được thao tác này.")
    default_code = "conflict"


def vietnamese(message: str, code: str | None) -> str:
    """The message, unless it is one of DRF's untranslated English defaults."""
    if str(message).isascii() and message:
        return str(MESSAGES.get(code, FALLBACK))
    return str(message)


def field_errors(error: DjangoValidationError, rename=None) -> dict:
    """{path: [ErrorDetail]} of a Django ValidationError (service or form), codes kept."""
    rename = rename or (lambda name: name)
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, error.error_list)]
    result = {}
    for field, errors in items:
        key = NON_FIELD if field in (NON_FIELD_ERRORS, None) else rename(field)
        for item in errors:
            message = item.message % item.params if item.params else item.message
            result.setdefault(key, []).append(ErrorDetail(str(message), code=item.code or "invalid"))
    return result


def from_django(error: DjangoValidationError, rename=None) -> exceptions.ValidationError:
    """A DRF 400 carrying the Django error's fields, messages and codes."""
    return exceptions.ValidationError(field_errors(error, rename))


def _flatten(detail, path="") -> dict:
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{path}.{index}" if path else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    code = lambda item: getattr(item, "code", None) or "invalid"  # noqa: E731
    return {path or NON_FIELD: [{"message": vietnamese(item, code(item)), "code": code(item)} for item in items]}


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        return from_django(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, FlowLockFailed):
        return Conflict(_("Hồ sơ đang được người khác xử lý. Vui lòng thử lại sau ít phút."), code="process_locked")
    return exc


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every known error in the one shape."""
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(body(exc), status=exc.status_code, headers=headers)


def body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        flat = [item for items in errors.values() for item in items]
        if len(flat) == 1:
            return {"detail": flat[0]["message"], "code": flat[0]["code"], "errors": errors}
        return {"detail": str(FALLBACK), "code": "invalid", "errors": errors}
    code = getattr(exc.detail, "code", None) or exc.default_code
    return {"detail": vietnamese(exc.detail, code), "code": code, "errors": {}}
