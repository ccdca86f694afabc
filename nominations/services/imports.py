"""Import people with their roles from an Excel sheet (openpyxl): a template, a dry run, then all or nothing.

Each row goes through the same services as the page (``administration.person_create`` /
``membership_add``), each in its own savepoint so that every row's Vietnamese
errors are collected; the whole import is then rolled back on a dry run or if
any row failed, so nothing is ever half-written.
"""

import dataclasses
import datetime
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ..models import Membership, OrgUnit, Role
from . import administration, authority

PEOPLE_COLUMNS = [
    _("Tên đăng nhập"),
    _("Họ và tên"),
    _("E-mail"),
    _("Mã đơn vị"),
    _("Vai trò"),
    _("Chức vụ"),
    _("Từ ngày (dd/mm/yyyy)"),
    _("Đến ngày (dd/mm/yyyy)"),
]
MAX_ROWS = 2000


@dataclasses.dataclass
class RowResult:
    number: int
    label: str
    errors: list[str]


def people_template() -> bytes:
    """The sheet to fill in: headers, one example row, and the roles' names on a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Người dùng")
    sheet.append([str(c) for c in PEOPLE_COLUMNS])
    sheet.append(
        [
            "canbo_vidu",
            "Nguyễn Văn A",
            "vidu@example.vn",
            "ma-don-vi",
            str(Role.UNIT_CLERK.label),
            "Chuyên viên",
            "01/01/2026",
            "",
        ]
    )
    roles = book.create_sheet(_("Vai trò"))
    for role in Role:
        roles.append([str(role.label), role.value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _date(value, errors: list, label: str, required: bool):
    if value in (None, ""):
        if required:
            errors.append(_("thiếu %(c)s") % {"c": label})
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        errors.append(_("%(c)s “%(v)s” không đúng dạng dd/mm/yyyy") % {"c": label, "v": value})
        return None


def _role(value) -> str | None:
    text = str(value or "").strip()
    for role in Role:
        if text.lower() in (role.value, str(role.label).lower()):
            return role.value
    return None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _rows(upload):
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ValidationError({"file": _("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")}) from exc
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": _("Tệp có quá %(n)s dòng.") % {"n": MAX_ROWS}})
    return rows


def people_import(*, upload, actor, dry_run: bool) -> tuple[list[RowResult], bool]:
    """Check (``dry_run``) or import the sheet's people and roles. Returns each row's errors and whether it wrote."""
    rows = _rows(upload)
    issuers = list(authority.administered_issuers(actor))
    if not issuers:
        raise ValidationError(_("Bạn không phải quản trị hệ thống của cơ quan nào."), code="no_authority")
    User = get_user_model()
    results = []
    with transaction.atomic():
        for number, row in enumerate(rows, 2):
            cells = list(row) + [None] * (len(PEOPLE_COLUMNS) - len(row))
            if not any(c not in (None, "") for c in cells):
                continue
            username, full_name, email, unit_code, role_text, title, start, end = (cells + [None] * 8)[:8]
            username = str(username or "").strip()
            errors = []
            unit = OrgUnit.objects.filter(code=str(unit_code or "").strip()).first()
            if unit is None:
                errors.append(_("không có đơn vị mã “%(c)s”") % {"c": unit_code or ""})
            role = _role(role_text)
            if role is None:
                errors.append(_("vai trò “%(r)s” không có trong danh mục") % {"r": role_text or ""})
            valid_from = _date(start, errors, _("Từ ngày"), True)
            valid_to = _date(end, errors, _("Đến ngày"), False)
            if not errors:
                try:
                    with transaction.atomic():
                        existing = User.objects.filter(username__iexact=username).first()
                        kwargs = dict(
                            unit=unit,
                            role=role,
                            valid_from=valid_from,
                            valid_to=valid_to,
                            title=str(title or ""),
                            actor=actor,
                        )
                        if existing is None:
                            administration.person_create(
                                username=username, full_name=str(full_name or ""), email=str(email or ""), **kwargs
                            )
                        elif not Membership.objects.filter(
                            user=existing, unit__in=[u for i in issuers for u in i.descendants(include_self=True)]
                        ).exists():
                            errors.append(_("tên đăng nhập “%(u)s” thuộc người ngoài cơ quan") % {"u": username})
                        else:
                            administration.membership_add(user=existing, **kwargs)
                except ValidationError as error:
                    errors.extend(_messages(error))
            results.append(RowResult(number, username, errors))
        wrote = not dry_run and bool(results) and not any(r.errors for r in results)
        if not wrote:
            transaction.set_rollback(True)
    return results, wrote
