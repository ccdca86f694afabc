"""The standing body's board (issue 17): every open dossier of an issuer's campaigns, with its stage, its age in
working days, its due date and who holds it; the overdue ones first.

Read by the issuer's standing body and its committee roles only (``may_read``). A fixed number of queries for the
whole board (the processes, their dossiers, their open tasks, the tasks' deadlines, the calendar), whatever the
number of dossiers.
"""

import dataclasses
import io

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from viewflow.workflow.status import STATUS

from nominations import workdays
from nominations.models import OrgUnit, Submission
from nominations.services.downloads import XLSX, Download
from nominations.text import safe_file_name

from . import deadlines, roles
from . import permissions as perms
from .flows import NominationFlow

# Who reads an issuer's board: its standing body (appraisal), its council's secretary, its signing chairman.
READERS = (perms.REVIEW, perms.RECORD_COUNCIL, perms.APPROVE)
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def may_read(user, issuer: OrgUnit) -> bool:
    return any(perms.can(user, perm, issuer) for perm in READERS)


def issuers_of(user) -> list[OrgUnit]:
    """The issuing bodies whose board ``user`` reads: a role in force on the unit, which has launched campaigns (a
    reviewer's rights also reach their own office, which issues none)."""
    units = OrgUnit.objects.filter(pk__in=roles.units_with(user, *READERS), campaigns__isnull=False)
    return list(units.distinct().order_by("path"))


@dataclasses.dataclass
class Row:
    submission: Submission
    stage: str
    node: str  # the open step's name ("review", …), "" when the dossier waits on no one's task
    holder: str
    age: int  # working days since the dossier was submitted (created, if not yet submitted)
    deadline: deadlines.Deadline | None
    task_id: int | None

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline.overdue


def board(issuer: OrgUnit, *, unit: int | None = None, campaign: int | None = None, due: str = "") -> list[Row]:
    """Open dossiers of ``issuer``'s campaigns, overdue first, then by due date, then the oldest.

    ``unit``, ``campaign``: only that proposing unit's / campaign's dossiers; ``due``: the lists' deadline filter
    (workflow.deadlines.due_predicate: ``qua-han`` or a number of working days).
    """
    dossiers = Submission.objects.filter(campaign__issuer=issuer)
    if unit:
        dossiers = dossiers.filter(unit_id=unit)
    if campaign:
        dossiers = dossiers.filter(campaign_id=campaign)
    processes = NominationFlow.process_class.objects.filter(
        flow_class=NominationFlow,
        finished__isnull=True,
        artifact_content_type=ContentType.objects.get_for_model(Submission),
        artifact_object_id__in=dossiers.values("pk"),
    )
    processes = {p.pk: p for p in processes}
    by_pk = Submission.objects.select_related("unit", "campaign").in_bulk(
        [int(p.artifact_object_id) for p in processes.values()]
    )
    tasks = list(
        NominationFlow.task_class.objects.filter(process_id__in=processes, status__in=OPEN, flow_task_type="HUMAN")
        .select_related("process", "owner")
        .order_by("created")
    )
    today = timezone.localdate()
    starts = {pk: timezone.localdate(s.submitted_at or s.created_at) for pk, s in by_pk.items()}
    calendar = workdays.calendar(today, *starts.values(), *(timezone.localdate(t.created) for t in tasks))
    found = deadlines.task_deadlines(tasks, calendar)
    task_of = {t.process_id: t for t in tasks}  # the newest open task of each dossier
    rows = []
    for process in processes.values():
        submission = by_pk.get(int(process.artifact_object_id))
        if submission is None:
            continue
        task = task_of.get(process.pk)
        started = starts[submission.pk]
        rows.append(
            Row(
                submission=submission,
                stage=str(task.flow_task.task_title if task else submission.get_status_display()),
                node=task.flow_task.name if task else "",
                holder=_holder(task),
                age=workdays.working_days_between(started, today, calendar),
                deadline=found.get(task.pk) if task else None,
                task_id=task.pk if task else None,
            )
        )
    keep = deadlines.due_predicate(due)
    if keep is not None:
        rows = [row for row in rows if keep(row.deadline)]
    rows.sort(key=lambda row: (not row.overdue, *deadlines.by_due_date(row.deadline), -row.age))
    return rows


def _holder(task) -> str:
    if task is None:
        return _("Không có việc đang chờ (chờ Hội đồng hoặc quyết định)")
    if task.owner is not None:
        return task.owner.get_full_name() or task.owner.username
    return _("Chưa ai nhận (hàng chờ)")


HEADERS = (
    "Tờ trình",
    "Đơn vị",
    "Phong trào",
    "Bước đang xử lý",
    "Người đang giữ",
    "Số ngày làm việc đã qua",
    "Hạn xử lý",
    "Số ngày làm việc còn lại",
    "Quá hạn",
)


def as_table(rows: list[Row]) -> list[list]:
    """The board's rows as cells (the Excel export)."""
    return [
        [
            row.submission.title,
            str(row.submission.unit),
            str(row.submission.campaign),
            row.stage,
            row.holder,
            row.age,
            row.deadline.due_on if row.deadline else None,
            row.deadline.working_days_left if row.deadline else None,
            _("Quá hạn") if row.overdue else "",
        ]
        for row in rows
    ]


def board_xlsx(issuer: OrgUnit, rows: list[Row]) -> Download:
    """The board as an Excel workbook: a title line, the headers, one line per dossier (overdue first)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Hồ sơ đang xử lý"
    sheet.append([f"Hồ sơ đang xử lý – {issuer} – ngày {timezone.localdate():%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for cells in as_table(rows):
        sheet.append(cells)
        sheet.cell(sheet.max_row, 7).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHI", (48, 32, 40, 36, 28, 12, 12, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    name = safe_file_name("ho-so-dang-xu-ly", issuer.code, ext="xlsx")
    return Download(buffer.getvalue(), name, XLSX)
