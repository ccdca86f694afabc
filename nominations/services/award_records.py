"""The one writer of award records (``AwardRecord``): a decision's signature and any record entered without one.

Each record carries a copy of its recipient's attributes as they stood when it was written (kind, gender,
ethnicity, leader level, business person, direct worker): the TT 02/2023/TT-BNV statistics count them from the
award records alone, and what was awarded to whom does not change when the candidate is edited later.
"""

from ..models import AwardRecord, Candidate

# The candidate's fields copied onto the record under the same name; its ``kind`` is the record's
# ``recipient_kind``.
COPIED = ("gender", "ethnicity", "leader_level", "business_person", "direct_worker")


def recipient_attributes(candidate: Candidate) -> dict:
    return {"recipient_kind": candidate.kind, **{name: getattr(candidate, name) for name in COPIED}}


def award_record(candidate: Candidate, **fields) -> AwardRecord:
    """An unsaved record of ``candidate`` with its attributes copied, for ``award_records_create``."""
    return AwardRecord(candidate=candidate, **fields, **recipient_attributes(candidate))


def award_records_create(records: list[AwardRecord]) -> list[AwardRecord]:
    """Write records built by ``award_record``, in one statement however many."""
    return AwardRecord.objects.bulk_create(records)
