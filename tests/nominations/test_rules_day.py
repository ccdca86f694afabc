"""A dossier is judged by the rules in force the day the standing body received it (issue 13, item 3).

The transitional rule (files received before a change stay under the old rules) ties the documents, the
criteria and the completion limit to that day, also when the dossier is returned and completed after a new
rule set has begun. Frozen clock: the rule set changes between reception and completion.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from nominations.models import AwardType, Campaign, OrgUnit, Submission
from nominations.models.awards import DocumentKind, RecipientKind
from nominations.services import award_rules, dossiers, review
from tests.workflow.helpers import pdf

User = get_user_model()
DAY = datetime.timedelta(days=1)
RECEIVED = datetime.date.today()
CHANGE = RECEIVED + 3 * DAY


def on(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


def _user(name):
    return User.objects.get(username=name)


def _received_dossier() -> Submission:
    """A Kỳ Lừa dossier with one individual's Giấy khen and its documents, submitted (received) today."""
    clerk = _user("canbo_vinhtrai")
    submission = dossiers.submission_create(
        campaign=Campaign.objects.get(code="dien-tap"),
        unit=OrgUnit.objects.get(code="p-ky-lua"),
        title="Tờ trình thử ngày nhận hồ sơ",
        actor=clerk,
    )
    nomination = dossiers.nomination_add(
        submission=submission,
        candidate={"kind": RecipientKind.INDIVIDUAL, "name": "Hoàng Thị Nhận", "gender": "female"},
        award_type=AwardType.objects.get(code="giay-khen"),
        achievement="Hoàn thành xuất sắc nhiệm vụ.",
        actor=clerk,
    )
    dossiers.attachment_add(submission=submission, upload=pdf(), kind=DocumentKind.REVIEW_MINUTES, actor=clerk)
    dossiers.attachment_add(
        submission=submission, upload=pdf(), kind=DocumentKind.ACHIEVEMENT_REPORT, nomination=nomination, actor=clerk
    )
    review.submission_send_to_head(submission=submission, actor=clerk)
    review.submission_head_decide(submission=submission, actor=_user("chutich_vinhtrai"), submit=True)
    submission.refresh_from_db()
    return submission


def _stricter_rules_from(day):
    """From ``day`` the Giấy khen needs an initiative certificate, goes to collectives only and may be sent
    back for completion twice (the rehearsal's issuer, the province, still decides it)."""
    current = AwardType.objects.get(code="giay-khen").rule_sets.order_by("-valid_from").first()
    return award_rules.rule_set_add(
        award_type=current.award_type,
        valid_from=day,
        actor=_user("quantri_ubnd"),
        authority_level=current.authority_level,
        legal_basis="Quy định mới (thử)",
        recipient_kinds=[RecipientKind.COLLECTIVE],
        required_documents=[*current.required_documents, DocumentKind.INITIATIVE_CERTIFICATE],
        completion_requests_limit=2,
        prize_coefficient=current.prize_coefficient,
        collective_multiplier=current.collective_multiplier,
        household_multiplier=current.household_multiplier,
    )


def _ask_completion(submission):
    [nomination] = submission.nominations.filter(status="submitted")
    return review.submission_review(
        submission=submission,
        actor=_user("thamdinh_noivu"),
        decisions={nomination.pk: (review.COMPLETE, "Bổ sung số liệu.")},
    )


@pytest.fixture
def received(db):
    with on(RECEIVED):
        from workflow.demo import load_demo

        load_demo()
        submission = _received_dossier()
        _stricter_rules_from(CHANGE)
    return submission


def test_the_first_submission_to_the_standing_body_stores_the_reception_day(received):
    assert received.received_on == RECEIVED
    with on(CHANGE + DAY):
        _ask_completion(received)
        received.refresh_from_db()
        review.submission_complete(submission=received, actor=_user("canbo_vinhtrai"))
    received.refresh_from_db()
    assert received.received_on == RECEIVED  # a completion is not a new reception


def test_a_dossier_received_before_a_change_is_completed_under_the_old_rules(received):
    with on(CHANGE + DAY):
        _ask_completion(received)
        received.refresh_from_db()
        # The documents required are the old ones: no initiative certificate is asked for.
        assert review.missing_documents(received) == []
        # The criteria too: the individual may still be proposed while the unit completes the dossier.
        nomination = received.nominations.get()
        dossiers.nomination_update(
            nomination=nomination,
            candidate={"kind": RecipientKind.INDIVIDUAL, "name": "Hoàng Thị Nhận", "gender": "female"},
            award_type=nomination.award_type,
            achievement="Hoàn thành xuất sắc nhiệm vụ; bổ sung số liệu.",
            actor=_user("canbo_vinhtrai"),
        )
        review.submission_complete(submission=received, actor=_user("canbo_vinhtrai"))
        received.refresh_from_db()
        # The old limit (one request for completion) holds, not the new rule set's two.
        with pytest.raises(ValidationError) as error:
            _ask_completion(received)
    assert error.value.code == "completion_limit"
    assert "chỉ cho phép 1 lần" in error.value.messages[0]


def test_a_dossier_received_after_the_change_is_judged_by_the_new_rules(received):
    with on(CHANGE + DAY):
        clerk = _user("canbo_vinhtrai")
        later = dossiers.submission_create(
            campaign=Campaign.objects.get(code="dien-tap"),
            unit=OrgUnit.objects.get(code="p-ky-lua"),
            title="Tờ trình sau khi quy định đổi",
            actor=clerk,
        )
        with pytest.raises(ValidationError) as error:
            dossiers.nomination_add(
                submission=later,
                candidate={"kind": RecipientKind.INDIVIDUAL, "name": "Lý Văn Sau", "gender": "male"},
                award_type=AwardType.objects.get(code="giay-khen"),
                achievement="Hoàn thành tốt nhiệm vụ.",
                actor=clerk,
            )
    assert "không áp dụng cho đối tượng này" in error.value.message_dict["kind"][0]


def test_a_dossier_under_a_ward_is_received_when_the_ward_endorses_it(db):
    with on(RECEIVED):
        from workflow.demo import load_demo

        load_demo()
        clerk = _user("canbo_khoi5")
        submission = dossiers.submission_create(
            campaign=Campaign.objects.get(code="dien-tap"),
            unit=OrgUnit.objects.get(code="p-ky-lua-khoi-5"),
            title="Tờ trình của Khối 5",
            actor=clerk,
        )
        nomination = dossiers.nomination_add(
            submission=submission,
            candidate={"kind": RecipientKind.INDIVIDUAL, "name": "Nông Thị Khối", "gender": "female"},
            award_type=AwardType.objects.get(code="giay-khen"),
            achievement="Giữ gìn vệ sinh khu phố.",
            actor=clerk,
        )
        dossiers.attachment_add(submission=submission, upload=pdf(), kind=DocumentKind.REVIEW_MINUTES, actor=clerk)
        dossiers.attachment_add(
            submission=submission,
            upload=pdf(),
            kind=DocumentKind.ACHIEVEMENT_REPORT,
            nomination=nomination,
            actor=clerk,
        )
        review.submission_send_to_head(submission=submission, actor=clerk)
        review.submission_head_decide(submission=submission, actor=_user("truongkhoi_khoi5"), submit=True)
        submission.refresh_from_db()
        assert submission.received_on is None  # the ward has it, not yet the standing body
    with on(RECEIVED + DAY):
        review.submission_ward_decide(submission=submission, actor=_user("thidua_vinhtrai"), endorse=True)
    submission.refresh_from_db()
    assert submission.received_on == RECEIVED + DAY
