"""A small world for service tests, built directly: a city (the issuer), a ward, a unit under the city and a
residential group under the ward, one award type with its rule set, a launched campaign, and the people.

Dossiers are then built through the services themselves (``dossier``), as production builds them.
"""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nominations.models import (
    Attachment,
    AwardRuleSet,
    AwardType,
    Campaign,
    CampaignAward,
    Candidate,
    Nomination,
    OrgUnit,
    Submission,
)
from nominations.services import dossiers
from workflow.models import AuditEvent

START = datetime.date(2020, 1, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REQUIRED = ["review_minutes", "achievement_report"]
PERSON = {"kind": "individual", "name": "", "gender": "female", "birth_year": 1980, "ethnicity": "Kinh"}


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build(*, completion_limit=1, deadline_days=30) -> SimpleNamespace:
    today = timezone.localdate()
    user = get_user_model().objects.create_user
    city = OrgUnit.objects.create(code="tp-dv", name="Thành phố Dịch Vụ", kind="city", level=2, valid_from=START)
    ward = OrgUnit.objects.create(
        code="p-dv", name="Phường Dịch Vụ", kind="ward", level=3, parent=city, valid_from=START
    )
    school = OrgUnit.objects.create(
        code="truong-dv", name="Trường Tiểu học Dịch Vụ", kind="school", level=3, parent=city, valid_from=START
    )
    group = OrgUnit.objects.create(
        code="khoi-dv", name="Khối phố 1", kind="residential", level=4, parent=ward, valid_from=START
    )
    award = AwardType.objects.create(code="gk-dv", name="Giấy khen", form="giay_khen")
    rule = AwardRuleSet.objects.create(
        award_type=award,
        valid_from=START,
        authority_level=2,
        recipient_kinds=["individual"],
        required_documents=REQUIRED,
        completion_requests_limit=completion_limit,
    )
    campaign = Campaign.objects.create(
        issuer=city,
        code="c-dv",
        title="Phong trào thi đua thử",
        period_start=START,
        period_end=today + datetime.timedelta(days=deadline_days),
        nomination_deadline=today + datetime.timedelta(days=deadline_days),
        status=Campaign.Status.LAUNCHED,
    )
    offer = CampaignAward.objects.create(campaign=campaign, award_type=award)
    return SimpleNamespace(
        today=today,
        city=city,
        ward=ward,
        school=school,
        group=group,
        award=award,
        rule=rule,
        campaign=campaign,
        offer=offer,
        clerk=user("canbo-dv"),
        head=user("thutruong-dv"),
        ward_officer=user("thidua-phuong-dv"),
        reviewer=user("thamdinh-dv"),
    )


def add(world, submission, name, **fields):
    return dossiers.nomination_add(
        submission=submission,
        candidate={**PERSON, "name": name, **fields},
        award_type=world.award,
        achievement="Hoàn thành xuất sắc nhiệm vụ.",
        actor=world.clerk,
    )


def dossier(world, *names, unit=None, documents=True) -> tuple[Submission, list[Nomination]]:
    """A draft dossier of ``unit`` (the school by default) with one nomination per name and, unless
    ``documents`` is false, every required document."""
    submission = dossiers.submission_create(
        campaign=world.campaign, unit=unit or world.school, title="Tờ trình đề nghị", actor=world.clerk
    )
    nominations = [add(world, submission, name) for name in names]
    if documents:
        dossiers.attachment_add(submission=submission, upload=pdf(), kind="review_minutes", actor=world.clerk)
        for nomination in nominations:
            dossiers.attachment_add(
                submission=submission, upload=pdf(), kind="achievement_report", nomination=nomination, actor=world.clerk
            )
    return submission, nominations


def state() -> dict:
    """Everything a refused service call must leave as it was: rows, statuses and the audit trail."""
    return {
        "submissions": sorted(Submission.objects.values_list("pk", "status", "review_rounds", "submitted_at")),
        "nominations": sorted(
            Nomination.objects.values_list("pk", "status", "missing_items", "outcome_reason", "award_type_id")
        ),
        "candidates": sorted(Candidate.objects.values_list("pk", "name")),
        "attachments": sorted(Attachment.objects.values_list("pk", "file")),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
    }


@contextmanager
def nothing_written():
    """Assert the block wrote nothing: no row, status or audit event changed."""
    before = state()
    yield
    assert state() == before


def last_event(event_type, target=None) -> AuditEvent:
    events = AuditEvent.objects.filter(event_type=event_type)
    if target is not None:
        events = events.filter(target_id=str(target.pk))
    return events.latest("pk")
