"""Import people with their roles, units and council members from Excel sheets (openpyxl): a template, a dry
run, then all or nothing.

Each row goes through the same services as the pages (``administration.person_create`` / ``membership_add``,
``org_units.unit_create``, ``council_seats.seat_add``), each in its own savepoint so that every row's Vietnamese
errors are collected; the whole import is then rolled back on a dry run or if
any row failed, so nothing is ever half-written.
"""

import dataclasses
import datetime
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ..models import Council, CouncilMember, Membership, OrgUnit, Role
from . import administration, authority, council_seats, org_units

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


def _run(upload, actor, dry_run: bool, width: int, import_row) -> tuple[list[RowResult], bool]:
    """Each non-empty row through ``import_row(cells, errors) -> label`` in its own savepoint; then keep all rows
    (not a dry run, none failed) or roll every one back."""
    rows = _rows(upload)
    issuers = list(authority.administered_issuers(actor))
    if not issuers:
        raise ValidationError(_("Bạn không phải quản trị hệ thống của cơ quan nào."), code="no_authority")
    results = []
    with transaction.atomic():
        for number, row in enumerate(rows, 2):
            cells = (list(row) + [None] * width)[:width]
            if not any(c not in (None, "") for c in cells):
                continue
            errors = []
            try:
                with transaction.atomic():
                    label = import_row(cells, errors, issuers)
                    if errors:
                        # Rows that failed their own checks write nothing of theirs either.
                        transaction.set_rollback(True)
            except ValidationError as error:
                label = str(cells[0] or "")
                errors.extend(_messages(error))
            results.append(RowResult(number, label, errors))
        wrote = not dry_run and bool(results) and not any(r.errors for r in results)
        if not wrote:
            transaction.set_rollback(True)
    return results, wrote


def people_import(*, upload, actor, dry_run: bool) -> tuple[list[RowResult], bool]:
    """Check (``dry_run``) or import the sheet's people and roles. Returns each row's errors and whether it wrote."""
    User = get_user_model()

    def import_row(cells, errors, issuers):
        username, full_name, email, unit_code, role_text, title, start, end = cells
        username = str(username or "").strip()
        unit = _unit(unit_code, errors)
        role = _role(role_text)
        if role is None:
            errors.append(_("vai trò “%(r)s” không có trong danh mục") % {"r": role_text or ""})
        valid_from = _date(start, errors, _("Từ ngày"), True)
        valid_to = _date(end, errors, _("Đến ngày"), False)
        if errors:
            return username
        existing = User.objects.filter(username__iexact=username).first()
        kwargs = dict(
            unit=unit, role=role, valid_from=valid_from, valid_to=valid_to, title=str(title or ""), actor=actor
        )
        if existing is None:
            administration.person_create(
                username=username, full_name=str(full_name or ""), email=str(email or ""), **kwargs
            )
        elif not _known(existing, issuers):
            errors.append(_("tên đăng nhập “%(u)s” thuộc người ngoài cơ quan") % {"u": username})
        else:
            administration.membership_add(user=existing, **kwargs)
        return username

    return _run(upload, actor, dry_run, len(PEOPLE_COLUMNS), import_row)


def _unit(code, errors: list):
    unit = OrgUnit.objects.filter(code=str(code or "").strip()).first()
    if unit is None:
        errors.append(_("không có đơn vị mã “%(c)s”") % {"c": code or ""})
    return unit


def _known(user, issuers) -> bool:
    """Whether ``user`` holds (or held) a role in one of ``issuers``' trees."""
    query = Q(pk__in=[])
    for issuer in issuers:
        query |= Q(unit__path__startswith=issuer.path)
    return Membership.objects.filter(query, user=user).exists()


def _choice(value, choices) -> str | None:
    """The choice's value from its value or its Vietnamese label (any case)."""
    text = str(value or "").strip().lower()
    for choice_value, label in choices:
        if text in (str(choice_value).lower(), str(label).lower()):
            return choice_value
    return None


def _template(title: str, columns, example, lists) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([str(c) for c in columns])
    sheet.append(example)
    for name, choices in lists:
        other = book.create_sheet(name)
        for value, label in choices:
            other.append([str(label), value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UNIT_COLUMNS = [
    _("Mã đơn vị"),
    _("Tên đơn vị"),
    _("Loại"),
    _("Cấp"),
    _("Mã đơn vị cấp trên"),
    _("Hiệu lực từ (dd/mm/yyyy)"),
]


def units_template() -> bytes:
    return _template(
        _("Đơn vị"),
        UNIT_COLUMNS,
        [
            "p-vi-du",
            "Phường Ví Dụ",
            str(OrgUnit.Kind.WARD.label),
            str(OrgUnit.Level.COMMUNE.label),
            "ma-cap-tren",
            "01/07/2025",
        ],
        [(_("Loại"), OrgUnit.Kind.choices), (_("Cấp"), OrgUnit.Level.choices)],
    )


def units_import(*, upload, actor, dry_run: bool) -> tuple[list[RowResult], bool]:
    """Check or found the sheet's units (a parent may be a unit founded on an earlier row)."""

    def import_row(cells, errors, issuers):
        code, name, kind_text, level_text, parent_code, start = cells
        code = str(code or "").strip()
        parent = _unit(parent_code, errors)
        kind = _choice(kind_text, OrgUnit.Kind.choices)
        if kind is None:
            errors.append(_("loại đơn vị “%(v)s” không có trong danh mục") % {"v": kind_text or ""})
        level = _choice(level_text, OrgUnit.Level.choices)
        if level is None:
            errors.append(_("cấp “%(v)s” không có trong danh mục") % {"v": level_text or ""})
        valid_from = _date(start, errors, _("Hiệu lực từ"), True)
        if not str(name or "").strip():
            errors.append(_("thiếu tên đơn vị"))
        if not errors:
            org_units.unit_create(
                parent=parent,
                code=code,
                name=str(name).strip(),
                kind=kind,
                level=int(level),
                valid_from=valid_from,
                actor=actor,
            )
        return code

    return _run(upload, actor, dry_run, len(UNIT_COLUMNS), import_row)


COUNCIL_COLUMNS = [
    _("Mã cơ quan"),
    _("Tên đăng nhập"),
    _("Chức danh"),
    _("Từ ngày (dd/mm/yyyy)"),
    _("Đến ngày (dd/mm/yyyy)"),
]


def council_template() -> bytes:
    return _template(
        _("Thành viên hội đồng"),
        COUNCIL_COLUMNS,
        ["ma-co-quan", "uyvien_vidu", str(CouncilMember.Position.MEMBER.label), "01/07/2025", ""],
        [(_("Chức danh"), CouncilMember.Position.choices)],
    )


def council_import(*, upload, actor, dry_run: bool) -> tuple[list[RowResult], bool]:
    """Check or seat the sheet's council members (the issuer's council must exist; people already known)."""
    User = get_user_model()

    def import_row(cells, errors, issuers):
        issuer_code, username, position_text, start, end = cells
        username = str(username or "").strip()
        issuer = _unit(issuer_code, errors)
        council = Council.objects.filter(issuer=issuer).first() if issuer else None
        if issuer is not None and council is None:
            errors.append(_("%(u)s chưa có hội đồng thi đua – khen thưởng") % {"u": issuer})
        user = User.objects.filter(username__iexact=username).first()
        if user is None or not _known(user, issuers):
            errors.append(_("không có người dùng “%(u)s” trong cơ quan") % {"u": username})
        position = _choice(position_text, CouncilMember.Position.choices)
        if position is None:
            errors.append(_("chức danh “%(v)s” không có trong danh mục") % {"v": position_text or ""})
        valid_from = _date(start, errors, _("Từ ngày"), True)
        valid_to = _date(end, errors, _("Đến ngày"), False)
        if not errors:
            council_seats.seat_add(
                council=council, user=user, position=position, valid_from=valid_from, valid_to=valid_to, actor=actor
            )
        return username

    return _run(upload, actor, dry_run, len(COUNCIL_COLUMNS), import_row)
