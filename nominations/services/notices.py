"""Telling the proposing unit the outcome of its dossier (Thông báo kết quả)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from notifications.results import outcome_to_unit, revocation_to_unit
from workflow import audit

from ..models import Decision, Membership, Nomination, Role, Submission


@translation.override("vi")
def outcome_notice(submission: Submission) -> tuple[str, str]:
    """Subject and body: who was awarded, and who was not with the reason."""
    nominations = list(submission.nominations.select_related("candidate", "award_type"))
    awarded = [n for n in nominations if n.status == Nomination.Status.AWARDED]
    others = [n for n in nominations if n.status != Nomination.Status.AWARDED]
    lines = [f"Kết quả xét đề nghị khen thưởng: {submission.title}", f"Phong trào: {submission.campaign}", ""]
    lines.append(f"Được khen thưởng ({len(awarded)}):")
    lines += [f"  - {n.candidate} – {n.award_type}" for n in awarded] or ["  (không có)"]
    lines.append(f"Không được khen thưởng ({len(others)}):")
    lines += [f"  - {n.candidate} – lý do: {n.outcome_reason or n.get_status_display()}" for n in others] or [
        "  (không có)"
    ]
    return f"Thông báo kết quả khen thưởng – {submission.unit}", "\n".join(lines)


def unit_recipients(submission: Submission) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(unit=submission.unit, role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD])
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@translation.override("vi")
def revocation_notice(decision: Decision, submission: Submission, nominations) -> tuple[str, str]:
    """Subject and body telling a unit that awards of its dossier were revoked, by which decision and why."""
    lines = [
        f"Quyết định số {decision.reference} ngày {decision.decision_date:%d/%m/%Y} đã bị hủy bỏ "
        f"bởi Quyết định số {decision.revocation_reference} ngày {timezone.localtime(decision.revoked_at):%d/%m/%Y}.",
        f"Lý do: {decision.revoke_reason}",
        f"Hồ sơ: {submission.title}",
        "",
        f"Bị hủy bỏ khen thưởng ({len(nominations)}):",
    ]
    lines += [f"  - {n.candidate} – {n.award_type}" for n in nominations]
    return f"Thông báo hủy bỏ khen thưởng – {submission.unit}", "\n".join(lines)


@transaction.atomic
def notify_revocation(decision_id: int) -> bool:
    """Tell each proposing unit of a revoked decision, once; a redelivered task does nothing."""
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    if decision.revocation_notified_at is not None or decision.status != Decision.Status.REVOKED:
        return False
    by_dossier = {}
    for nomination in Nomination.objects.filter(
        decision_item__decision=decision, status=Nomination.Status.REVOKED
    ).select_related("candidate", "award_type", "submission__unit", "submission__campaign"):
        by_dossier.setdefault(nomination.submission, []).append(nomination)
    sent = {}
    for submission, nominations in by_dossier.items():
        subject, body = revocation_notice(decision, submission, nominations)
        recipients = unit_recipients(submission)
        if recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        sent[str(submission.pk)] = recipients
        revocation_to_unit(decision, submission, nominations)
    decision.revocation_notified_at = timezone.now()
    decision.save(update_fields=["revocation_notified_at"])
    audit.record_transition(decision, audit.SUBMISSION_NOTIFIED, data={"revocation": sent})
    return True


@transaction.atomic
def notify_outcome(submission_id: int) -> bool:
    """Send the outcome notice once; a redelivered task finds it already sent and does nothing."""
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.notified_at is not None:
        return False
    subject, body = outcome_notice(submission)
    recipients = unit_recipients(submission)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    outcome_to_unit(submission)
    submission.notified_at = timezone.now()
    submission.save(update_fields=["notified_at"])
    audit.record_transition(submission, audit.SUBMISSION_NOTIFIED, data={"recipients": recipients})
    return True
