"""The one writer of award records (``AwardRecord``): a decision's signature and any record entered without one.

Each record carries a copy of its recipient's attributes as they stood when it was written (kind, gender,
ethnicity, leader level, business person, direct worker): the TT 02/2023/TT-BNV statistics count them from the
award records alone, and what was awarded to whom does not change when the candidate is edited later.
"""

import functools
import operator

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import ExtractYear

from ..models import AwardRecord, AwardTally, Candidate, OrgUnit
from ..selectors import record_not_revoked
from ..statistics import AWARD_COLUMNS, award_counts

# The candidate's fields copied onto the record under the same name; its ``kind`` is the record's
# ``recipient_kind``.
COPIED = ("gender", "ethnicity", "leader_level", "business_person", "direct_worker")


def recipient_attributes(candidate: Candidate) -> dict:
    return {"recipient_kind": candidate.kind, **{name: getattr(candidate, name) for name in COPIED}}


def award_record(candidate: Candidate, **fields) -> AwardRecord:
    """An unsaved record of ``candidate`` with its attributes copied, for ``award_records_create``."""
    return AwardRecord(candidate=candidate, **fields, **recipient_attributes(candidate))


def award_records_create(records: list[AwardRecord]) -> list[AwardRecord]:
    """Write records built by ``award_record`` and recount their tallies, in a fixed number of statements."""
    records = AwardRecord.objects.bulk_create(records)
    tally_refresh(records)
    return records


def tallies(records, tally_model=AwardTally) -> list:
    """The tally rows of ``records`` (unsaved): per issuer, year, award type, campaign and decision, every TT 02
    column's count of the records not marked revoked, by the statistics' own filters. ``tally_model`` lets the
    migration that creates the table fill it with its historical models."""
    groups = (
        records.filter(record_not_revoked())
        .values("issuer_id", "award_type_id", "campaign_id", "decision_id", year=ExtractYear("decision_date"))
        .annotate(**award_counts())
        .order_by()
    )
    return [
        tally_model(
            issuer_id=group["issuer_id"],
            year=group["year"],
            award_type_id=group["award_type_id"],
            campaign_id=group["campaign_id"],
            decision_id=group["decision_id"],
            counts={column: group[column] for column in AWARD_COLUMNS},
        )
        for group in groups
    ]


# Its own transaction when called alone (the lock below needs one); inside a service's, no savepoint of its own.
@transaction.atomic(savepoint=False)
def tally_refresh(records=(), *, decisions=()) -> None:
    """Recount the tallies ``records`` belong to: their decisions' (and those of ``decisions``, ids), and for
    records without a decision their issuer's hand-entered records of that year. Three statements (delete,
    count, insert), however many records."""
    decisions = sorted(({record.decision_id for record in records} | set(decisions)) - {None})
    histories = sorted({(record.issuer_id, record.decision_date.year) for record in records if not record.decision_id})
    if not decisions and not histories:
        return
    if histories:
        # Two writers of one issuer's hand-entered records recount in turn, or both would insert the same rows.
        # (A decision's records are written under its own lock: signing, revocation.)
        issuers = sorted({issuer for issuer, _year in histories})
        list(OrgUnit.objects.select_for_update().filter(pk__in=issuers).order_by("pk").values_list("pk", flat=True))
    of_records, of_tallies = [], []
    if decisions:
        of_records.append(Q(decision_id__in=decisions))
        of_tallies.append(Q(decision_id__in=decisions))
    for issuer_id, year in histories:
        of_records.append(Q(decision__isnull=True, issuer_id=issuer_id, decision_date__year=year))
        of_tallies.append(Q(decision__isnull=True, issuer_id=issuer_id, year=year))
    AwardTally.objects.filter(functools.reduce(operator.or_, of_tallies)).delete()
    AwardTally.objects.bulk_create(tallies(AwardRecord.objects.filter(functools.reduce(operator.or_, of_records))))
