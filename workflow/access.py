"""One access helper per object, used by the pages and the API alike.

Each returns the object or raises ``Http404`` with the same answer for "missing" and "forbidden", so an id
never tells an outsider whether it exists. The rules themselves live in ``workflow.permissions``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from nominations import compiled
from nominations.access import ACCEPT_REGISTRATION, REGISTER, SIGN_REGISTRATION
from nominations.models import (
    Attachment,
    Campaign,
    CouncilSession,
    Decision,
    Nomination,
    OrgUnit,
    Registration,
    Submission,
)

from . import permissions as perms


def _first(queryset, pk):
    try:
        return queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def access_dossier(user, pk) -> Submission:
    """A unit's dossier (Submission) that ``user`` may see."""
    submission = _first(Submission.objects.select_related("campaign", "unit"), pk)
    if submission is None or not perms.can_view_submission(user, submission):
        raise Http404
    return submission


def access_nomination(user, pk) -> Nomination:
    queryset = Nomination.objects.select_related(
        "candidate__unit", "award_type", "submission__campaign", "submission__unit"
    )
    nomination = _first(queryset, pk)
    if nomination is None or not perms.can_view_submission(user, nomination.submission):
        raise Http404
    return nomination


def access_attachment(user, pk) -> Attachment:
    # Removed and replaced files too: the dossier's history keeps them for those who may see it.
    attachment = _first(Attachment.history.select_related("submission"), pk)
    if attachment is None or not perms.can_view_submission(user, attachment.submission):
        raise Http404
    return attachment


def access_session(user, pk) -> CouncilSession:
    """A council session that ``user`` may see (its council's issuer, members, secretary)."""
    session = _first(CouncilSession.objects.select_related("council__issuer", "campaign"), pk)
    if session is None or not perms.can_view_session(user, session):
        raise Http404
    return session


def access_decision(user, pk) -> Decision:
    decision = _first(Decision.objects.select_related("issuer", "campaign", "award_type"), pk)
    if decision is None or not perms.can_view_decision(user, decision):
        raise Http404
    return decision


def access_campaign_summary(user, pk) -> Campaign:
    """A campaign whose summary (tổng kết) ``user`` may read: the issuing body's reviewers, council secretary
    and leaders."""
    campaign = _first(Campaign.objects.select_related("issuer"), pk)
    if campaign is None or not any(
        perms.can(user, p, campaign.issuer) for p in (perms.REVIEW, perms.RECORD_COUNCIL, perms.APPROVE)
    ):
        raise Http404
    return campaign


def access_registration(user, pk) -> Registration:
    """A unit's registration (đăng ký thi đua): its clerk and head, and the issuer's standing body see it."""
    registration = _first(Registration.objects.select_related("campaign__issuer", "unit"), pk)
    if registration is None or not (
        any(perms.can(user, p, registration.unit) for p in (REGISTER, SIGN_REGISTRATION))
        or perms.can(user, ACCEPT_REGISTRATION, registration.campaign.issuer)
    ):
        raise Http404
    return registration


def access_progress(user, pk) -> Campaign:
    """A campaign whose progress table the user reads: the issuer's standing body; anyone else gets 403
    (a campaign is public, its existence no secret)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    # Read on every request of the progress pages and API: its SQL compiled once per campaign.
    campaign = compiled.first(("access-progress", pk), Campaign.objects.filter(pk=pk), "issuer")
    if campaign is None:
        raise Http404
    if not perms.can(user, ACCEPT_REGISTRATION, campaign.issuer):
        raise PermissionDenied
    return campaign


def access_statistics(user, pk) -> OrgUnit:
    """An issuer whose TT 02/2023 statistics the user reads: its reviewers, council secretary and leaders;
    anyone else gets 403 (the committee's existence is no secret)."""
    issuer = _first(OrgUnit.objects.all(), pk)
    if issuer is None:
        raise Http404
    if not any(perms.can(user, p, issuer) for p in (perms.REVIEW, perms.RECORD_COUNCIL, perms.APPROVE)):
        raise PermissionDenied
    return issuer
