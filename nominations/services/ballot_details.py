"""What a council member reads on the ballot, per item: the nomination as the council receives it.

Four queries whatever the number of items (the items, their files, the appraisals, the rule in force): an
agenda may hold hundreds of nominations.
"""

from dataclasses import dataclass, field

from workflow import audit

from ..models import Attachment, CouncilSession, Nomination
from ..models.awards import DocumentKind
from .ballots import session_rule


@dataclass
class BallotDetail:
    pk: int  # the agenda item's
    number: int
    candidate: str
    unit: str
    award_type: str
    achievement: str
    appraisal: str = ""  # the reviewer's conclusion and opinion
    appraised_by: str = ""
    files: list = field(default_factory=list)  # [(attachment id, name, kind label)]


def threshold(session: CouncilSession) -> dict:
    """The rule the session's votes are counted by (``ballots._tally``): {"vote_threshold": "70%", "base": what
    the share is of, "quorum": "66,67%", "rule": the rule set}."""
    rule = session_rule(session)
    return {
        "vote_threshold": _percent(rule.vote_threshold),
        "base": rule.get_vote_base_display().lower(),
        "quorum": _percent(rule.quorum),
        "rule": rule,
    }


def _percent(ratio) -> str:
    text = f"{ratio * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"  # Vietnamese decimal comma


def ballot_details(items) -> list[BallotDetail]:
    """BallotDetails of a queryset of agenda items, in agenda order."""
    rows = list(
        items.values_list(
            "pk",
            "number",
            "nomination_id",
            "nomination__submission_id",
            "nomination__candidate__name",
            "nomination__submission__unit__name",
            "nomination__award_type__name",
            "nomination__achievement",
        )
    )
    nomination_ids = [row[2] for row in rows]
    files, shared = {}, {}
    documents = Attachment.objects.filter(submission__in={row[3] for row in rows}).order_by("uploaded_at", "pk")
    for pk, name, kind, nomination_id, submission_id in documents.values_list(
        "pk", "original_name", "kind", "nomination_id", "submission_id"
    ):
        entry = (pk, name, DocumentKind(kind).label if kind in DocumentKind.values else kind)
        if nomination_id is None:
            shared.setdefault(submission_id, []).append(entry)
        elif nomination_id in nomination_ids:
            files.setdefault(nomination_id, []).append(entry)
    reviews = audit.last_events(audit.NOMINATION_REVIEWED, Nomination, nomination_ids)
    details = []
    for pk, number, nomination_id, submission_id, candidate, unit, award_type, achievement in rows:
        detail = BallotDetail(pk, number, candidate, unit, award_type, achievement)
        detail.files = files.get(nomination_id, []) + shared.get(submission_id, [])
        review = reviews.get(nomination_id)
        if review is not None:
            decision = (review.data or {}).get("decision", "")
            label = Nomination.Review(decision).label if decision in Nomination.Review.values else ""
            detail.appraisal = f"{label}. {review.comment}".strip() if review.comment else str(label)
            actor = review.actor
            detail.appraised_by = (actor.get_full_name() or actor.username) if actor else review.actor_name
        details.append(detail)
    return details
