"""Results told in the app to the proposing unit's people, next to the outcome notice e-mailed to the unit.

Called by the notice services (nominations/services/notices.py) inside their
own job and transaction; in-app only, since the notice itself is the e-mail.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nominations.models import Membership, Nomination, Role

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
