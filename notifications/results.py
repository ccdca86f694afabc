"""Results told to the proposing unit's people.

The outcome and a revocation are called by the notice services (nominations/services/notices.py) inside their
own job and transaction; in-app only, since the notice itself is the e-mail. The council's result has no notice
of its own: it is told in the app and by e-mail, by a job sent when the session concludes (notifications/signals.py).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nominations.models import AgendaItem, Membership, Nomination, Role

from .models import Notification
from .services import notify


def _unit_people(submission):
    return {m.user for m in Membership.objects.filter(unit=submission.unit, role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD])
            .exclude(user__is_active=False).select_related("user")}  # fmt: skip


def _url(submission) -> str:
    return reverse("dossiers:submission", args=[submission.pk])


@translation.override("vi")
def outcome_to_unit(submission) -> int:
    """Awarded / not awarded, per nomination, to the unit's clerks and heads; once per person."""
    noms = list(submission.nominations.select_related("candidate", "award_type"))
    awarded = [n for n in noms if n.status == Nomination.Status.AWARDED]
    others = [n for n in noms if n.status != Nomination.Status.AWARDED]
    lines = [_("Được khen thưởng (%(n)s):") % {"n": len(awarded)}] + [
        f"- {n.candidate} – {n.award_type}" for n in awarded
    ]
    lines += [_("Không được khen thưởng (%(n)s):") % {"n": len(others)}]
    lines += [f"- {n.candidate}: {n.outcome_reason or n.get_status_display()}" for n in others]
    title = _("Kết quả xét khen thưởng: %(s)s") % {"s": submission.title}
    return sum(
        bool(notify(user=u, kind=Notification.Kind.RESULT, title=title, body="\n".join(lines), url=_url(submission),
                    dedup_key=f"outcome:{submission.pk}:{u.pk}", email=False))
        for u in _unit_people(submission)
    )  # fmt: skip


@translation.override("vi")
def revocation_to_unit(decision, submission, nominations) -> int:
    """Awards of the unit's dossier revoked, by which decision; once per person."""
    title = _("Hủy bỏ khen thưởng theo Quyết định số %(ref)s") % {"ref": decision.revocation_reference}
    lines = [_("Lý do: %(r)s") % {"r": decision.revoke_reason}] + [
        f"- {n.candidate} – {n.award_type}" for n in nominations
    ]
    return sum(
        bool(notify(user=u, kind=Notification.Kind.RESULT, title=title, body="\n".join(lines), url=_url(submission),
                    dedup_key=f"revocation:{decision.pk}:{submission.pk}:{u.pk}", email=False))
        for u in _unit_people(submission)
    )  # fmt: skip


@translation.override("vi")
def council_result_to_units(session_id: int) -> int:
    """The council's result, passed or not passed per nomination, to each dossier's unit (its clerks and heads);
    once per session, dossier and person, however often the job runs."""
    items = (
        AgendaItem.objects.filter(session_id=session_id, nomination__submission__isnull=False)
        .select_related("session", "nomination__candidate", "nomination__award_type", "nomination__submission__unit")
        .order_by("number")
    )
    by_dossier = {}
    for item in items:
        if item.result != AgendaItem.Result.PENDING:
            by_dossier.setdefault(item.nomination.submission, []).append(item)
    written = 0
    for submission, decided in by_dossier.items():
        title = _("Kết quả Hội đồng Thi đua – Khen thưởng: %(s)s") % {"s": submission.title}
        lines = [_("Phiên họp: %(p)s") % {"p": decided[0].session.title}]
        for item in decided:
            nomination = item.nomination
            verdict = _("Thông qua") if item.result == AgendaItem.Result.PASSED else _("Không thông qua")
            reason = "" if item.result == AgendaItem.Result.PASSED else f" ({nomination.outcome_reason})"
            lines.append(f"- {nomination.candidate} – {nomination.award_type}: {verdict}{reason}")
        body, url = "\n".join(lines), _url(submission)
        for user in _unit_people(submission):
            key = f"council:{session_id}:{submission.pk}:{user.pk}"
            written += bool(
                notify(user=user, kind=Notification.Kind.RESULT, title=title, body=body, url=url, dedup_key=key)
            )
    return written
