"""The ballot's reading over the API (tasks_retrieve of a vote task): what the ballot page shows per item."""

from django.urls import reverse

from nominations.services.ballot_details import ballot_details, threshold
from nominations.services.council import ballot_items

from ..steps.council import ballot_member


def ballot_reading(activation) -> dict:
    """Per item: award type, candidate, unit, achievement, appraisal and files; and the threshold in force."""
    session = activation.process.artifact
    rule = threshold(session)
    items = [
        {
            "item": d.pk,
            "number": d.number,
            "award_type": d.award_type,
            "candidate": d.candidate,
            "unit": d.unit,
            "achievement": d.achievement,
            "appraisal": d.appraisal,
            "appraised_by": d.appraised_by,
            "files": [
                {"id": pk, "name": name, "kind": kind, "download": reverse("api:attachment-download", args=[pk])}
                for pk, name, kind in d.files
            ],
        }
        for d in ballot_details(ballot_items(session, ballot_member(activation)))
    ]
    return {
        "items": items,
        "vote_threshold": str(rule["rule"].vote_threshold),
        "vote_base": rule["rule"].vote_base,
        "quorum": str(rule["rule"].quorum),
    }
