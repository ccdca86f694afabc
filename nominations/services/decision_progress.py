"""How far the work after signing has gone: the decision's documents, its certificates, and failed jobs.

Signing records the signature, the number and the awards, and queues the documents and certificates as
background jobs (decisions._issue, jobs/outbox.py); this reads what they have made so far, for the progress page
and its API. A job that failed stays pending with its error on its outbox row and is tried again: it shows here
as a failure until a later try succeeds; the signature is never undone by it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jobs.models import OutboxJob
from jobs.outbox import MAX_ATTEMPTS

from ..models import Decision
from ..tasks import generate_certificates_task, generate_decision_documents_task, generate_revocation_documents_task
from .decision_documents import DOCUMENT_FIELDS, certificates_progress

DOCUMENT_TASKS = (
    generate_decision_documents_task.name,
    generate_certificates_task.name,
    generate_revocation_documents_task.name,
)


@dataclass
class Progress:
    documents_done: int
    documents_total: int
    certificates_done: int
    certificates_total: int
    failures: list[str] = field(default_factory=list)
    given_up: bool = False

    @property
    def done(self) -> bool:
        return self.documents_done == self.documents_total and self.certificates_done == self.certificates_total

    @property
    def percent(self) -> int:
        total = self.documents_total + self.certificates_total
        return 100 if not total else (self.documents_done + self.certificates_done) * 100 // total

    @property
    def status(self) -> str:
        if self.done:
            return "done"
        return "failed" if self.failures else "running"

    @property
    def status_label(self) -> str:
        return {
            "done": _("Đã hoàn tất: văn bản và giấy khen đã sẵn sàng."),
            "failed": _("Có lỗi khi tạo văn bản; quyết định vẫn đã được ký."),
            "running": _("Đang tạo văn bản và giấy khen…"),
        }[self.status]


def failed_jobs(decision: Decision):
    """The decision's document jobs not done whose last try failed (their first argument is the decision's id)."""
    return OutboxJob.objects.filter(task__in=DOCUMENT_TASKS, args__0=decision.pk, done_at=None).exclude(last_error="")


def _failure(job: OutboxJob) -> str:
    what = {
        generate_decision_documents_task.name: _("Tạo và ký số văn bản quyết định"),
        generate_certificates_task.name: _("In giấy khen"),
        generate_revocation_documents_task.name: _("Tạo quyết định hủy bỏ"),
    }[job.task]
    if job.attempts >= MAX_ATTEMPTS:
        return _("%(what)s: không thành công sau %(n)s lần thử; cần quản trị viên kiểm tra (Việc chạy nền).") % {
            "what": what,
            "n": job.attempts,
        }
    return _("%(what)s: lần thử gần nhất bị lỗi; hệ thống sẽ tự thử lại.") % {"what": what}


def decision_progress(decision: Decision) -> Progress:
    """Documents (the Quyết định and the Tờ trình, DOCX and PDF) and certificates made, out of how many."""
    if decision.status not in (Decision.Status.SIGNED, Decision.Status.REVOKED):
        return Progress(0, 0, 0, 0)
    certificates_done, certificates_total = certificates_progress(decision)
    jobs = list(failed_jobs(decision))
    return Progress(
        documents_done=sum(1 for name in DOCUMENT_FIELDS if getattr(decision, name)),
        documents_total=len(DOCUMENT_FIELDS),
        certificates_done=certificates_done,
        certificates_total=certificates_total,
        failures=sorted({_failure(job) for job in jobs}),
        given_up=any(job.attempts >= MAX_ATTEMPTS for job in jobs),
    )
