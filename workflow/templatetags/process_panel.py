"""The side panel of viewflow's task and process pages, in Vietnamese and for people.

viewflow lists every field of the process and its artifact with ``verbose_name.capitalize()``: fields
without a Vietnamese verbose name come out in English ("Created by", "Head decision"), and values raw
(True/False, usernames, file paths). Here only fields with a Vietnamese label are shown, with values
formatted: people by their full name, yes/no, Vietnamese dates, whether a document has been made.
"""

import datetime

from django import template
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from viewflow.utils import get_object_data

register = template.Library()

# Artifact fields declared without a verbose name, named here.
LABELS = {
    "created_by": _("Người lập"),
    "created_at": _("Thời điểm lập"),
    "opened_by": _("Người mở phiên họp"),
    "drafted_by": _("Người dự thảo"),
    "signed_by": _("Người ký"),
    "docx": _("Quyết định (DOCX)"),
    "pdf": _("Quyết định (PDF)"),
    "letter_docx": _("Tờ trình (DOCX)"),
    "letter_pdf": _("Tờ trình (PDF)"),
}


def _label(field) -> str | None:
    if field.name in LABELS:
        return str(LABELS[field.name])
    if str(field.verbose_name) == field.name.replace("_", " "):
        return None  # no Vietnamese label: an internal field
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def _value(value) -> str | None:
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, get_user_model()):
        return value.get_full_name() or value.get_username()
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, models.fields.files.FieldFile):
        return str(_("Đã tạo")) if value else None
    if isinstance(value, dict | list):
        return None
    return str(value) if value != "" else None


@register.simple_tag
def process_panel(process) -> list[tuple[str, str]]:
    """(label, value) rows: the process's state and dates, then the artifact's labelled fields."""
    rows = [(str(_("Trạng thái xử lý")), process.get_status_display())]
    rows.append((str(_("Bắt đầu")), _value(process.created)))
    if process.finished:
        rows.append((str(_("Kết thúc")), _value(process.finished)))
    artifact = process.artifact if process.artifact_object_id else None
    if artifact is not None:
        for field, _label_text, value in get_object_data(artifact):
            label, shown = _label(field), _value(value)
            if label and shown:
                rows.append((label, shown))
    return rows
