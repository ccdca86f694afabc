"""nominations.services.dossiers, called directly: building a unit's dossier, one rule per test."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Attachment, Campaign, Nomination, Submission, UnitQuota
from nominations.services import dossiers, review
from workflow import audit

from .world import PERSON, add, build, dossier, last_event, nothing_written, pdf

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the uploads of these tests go nowhere else
    return build()


def messages(error: ValidationError) -> str:
    return " ".join(error.value.messages)


# --- opening a dossier


def test_a_dossier_opens_as_a_draft_with_its_creation_in_the_trail(world):
    submission = dossiers.submission_create(
        campaign=world.campaign, unit=world.school, title="Tờ trình năm 2026", actor=world.clerk
    )
    assert (submission.status, submission.created_by, submission.unit) == ("draft", world.clerk, world.school)
    event = last_event(audit.SUBMISSION_CREATED, submission)
    assert (event.actor, event.scope, event.from_state, event.to_state) == (
        world.clerk,
        f"submission:{submission.pk}",
        "",
        "draft",
    )
    assert event.data["title"] == "Tờ trình năm 2026" and event.data["unit"] == world.school.pk


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.CLOSED])
def test_a_campaign_not_launched_takes_no_dossier(world, status):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=status)
    world.campaign.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.submission_create(campaign=world.campaign, unit=world.school, title="T", actor=world.clerk)
    assert error.value.code == "closed" and "không nhận hồ sơ đề nghị" in messages(error)


def test_a_campaign_past_its_deadline_takes_no_dossier(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(nomination_deadline=world.today - DAY)
    world.campaign.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.submission_create(campaign=world.campaign, unit=world.school, title="T", actor=world.clerk)
    assert error.value.code == "deadline_passed"
    assert f"hạn cuối {world.today - DAY:%d/%m/%Y}" in messages(error)


def test_a_campaign_of_a_dissolved_issuer_takes_no_dossier(world):
    world.city.valid_to = world.today - DAY
    world.city.save()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.submission_create(campaign=world.campaign, unit=world.school, title="T", actor=world.clerk)
    assert error.value.code == "issuer_not_in_force" and "không còn hoạt động" in messages(error)


@pytest.mark.parametrize("dates", ["dissolved", "not_yet_founded"])
def test_a_unit_outside_its_dates_opens_no_dossier(world, dates):
    if dates == "dissolved":
        world.school.valid_to = world.today - DAY
    else:
        world.school.valid_from = world.today + DAY
    world.school.save()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.submission_create(campaign=world.campaign, unit=world.school, title="T", actor=world.clerk)
    assert "không còn hoạt động" in error.value.message_dict["unit"][0]


def test_a_dossier_needs_a_title(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.submission_create(campaign=world.campaign, unit=world.school, title="", actor=world.clerk)
    assert "title" in error.value.message_dict


# --- nominations


def test_adding_a_nomination_writes_the_candidate_and_the_trail(world):
    submission, _noms = dossier(world, documents=False)
    nomination = add(world, submission, "Nguyễn Thị Lan", position="Giáo viên")
    assert nomination.status == Nomination.Status.DRAFT and nomination.candidate.unit == world.school
    event = last_event(audit.NOMINATION_ADDED, nomination)
    assert event.actor == world.clerk and event.scope == f"submission:{submission.pk}"
    assert event.data["name"] == "Nguyễn Thị Lan" and event.data["position"] == "Giáo viên"
    assert event.data["award_type"] == world.award.pk


def test_an_award_the_campaign_does_not_offer_is_refused(world):
    from nominations.models import AwardType

    other = AwardType.objects.create(code="bk-dv", name="Bằng khen", form="bang_khen")
    submission, _noms = dossier(world, documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.nomination_add(
            submission=submission,
            candidate={**PERSON, "name": "X"},
            award_type=other,
            achievement="A",
            actor=world.clerk,
        )
    assert error.value.message_dict["award_type"] == ["Phong trào không có hình thức khen thưởng này."]


def test_an_award_without_a_rule_set_in_force_is_refused(world):
    world.rule.valid_to = world.today - DAY
    world.rule.save()
    submission, _noms = dossier(world, documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        add(world, submission, "Nguyễn Văn Hùng")
    assert "award_type" in error.value.message_dict


def test_a_recipient_kind_the_rule_set_excludes_is_refused(world):
    submission, _noms = dossier(world, documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        add(world, submission, "Tổ văn nghệ", kind="collective", gender="")
    assert "không áp dụng cho đối tượng này" in error.value.message_dict["kind"][0]


def test_a_candidate_the_model_refuses_writes_nothing(world):
    submission, _noms = dossier(world, documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        add(world, submission, "")
    assert "name" in error.value.message_dict


def test_the_units_quota_counts_its_live_nominations(world):
    UnitQuota.objects.create(offer=world.offer, unit=world.school, quota=1)
    submission, (first,) = dossier(world, "Nguyễn Thị Một", documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        add(world, submission, "Trần Văn Hai")
    assert error.value.message_dict["award_type"] == ["Đơn vị đã dùng hết chỉ tiêu 1 đề nghị cho hình thức này."]
    # A rejected nomination gives its place back.
    Nomination.objects.filter(pk=first.pk).update(status=Nomination.Status.REJECTED)
    assert add(world, submission, "Trần Văn Hai").pk


def test_a_submitted_dossier_takes_no_new_nomination(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    submission.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        add(world, submission, "Trần Văn Hai")
    assert error.value.code == "not_editable" and messages(error) == "Hồ sơ đã trình, không thể sửa ở bước này."


def test_updating_a_nomination_records_what_changed(world):
    submission, (nomination,) = dossier(world, "Nguyễn Thị Lan", documents=False)
    dossiers.nomination_update(
        nomination=nomination,
        candidate={"name": "Nguyễn Thị Lan Anh", "birth_year": 1981},
        award_type=world.award,
        achievement="Thành tích mới",
        actor=world.clerk,
    )
    event = last_event(audit.NOMINATION_UPDATED, nomination)
    assert event.changes["name"] == ["Nguyễn Thị Lan", "Nguyễn Thị Lan Anh"]
    assert event.changes["birth_year"] == [1980, 1981]
    assert event.changes["achievement"] == ["Hoàn thành xuất sắc nhiệm vụ.", "Thành tích mới"]
    assert "gender" not in event.changes


def test_removing_is_only_for_a_draft_nomination_and_is_audited(world):
    submission, (kept, removed) = dossier(world, "Nguyễn Thị Lan", "Trần Văn Hai", documents=False)
    removed_pk = removed.pk
    dossiers.nomination_remove(nomination=removed, actor=world.clerk)
    assert list(submission.nominations.values_list("pk", flat=True)) == [kept.pk]
    event = last_event(audit.NOMINATION_REMOVED)
    assert event.target_id == str(removed_pk) and event.data["name"] == "Trần Văn Hai"
    Nomination.objects.filter(pk=kept.pk).update(status=Nomination.Status.SUBMITTED)
    kept.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.nomination_remove(nomination=kept, actor=world.clerk)
    assert messages(error) == "Chỉ rút được đề nghị chưa trình."


# --- files


def test_a_file_is_stored_checked_and_audited(world):
    submission, (nomination,) = dossier(world, "Nguyễn Thị Lan", documents=False)
    attachment = dossiers.attachment_add(
        submission=submission,
        upload=pdf("Báo cáo thành tích.pdf"),
        kind="achievement_report",
        nomination=nomination,
        actor=world.clerk,
    )
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    assert "Báo" not in attachment.file.name and attachment.original_name == "Báo cáo thành tích.pdf"
    event = last_event(audit.ATTACHMENT_ADDED, attachment)
    assert event.data["kind"] == "achievement_report" and event.data["nomination"] == nomination.pk


def test_a_file_that_is_not_what_it_says_is_refused_and_not_stored(world, tmp_path):
    submission, _noms = dossier(world, documents=False)
    stored = {p for p in tmp_path.rglob("*") if p.is_file()}
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.attachment_add(submission=submission, upload=fake, kind="other", actor=world.clerk)
    assert "Chỉ chấp nhận tệp PDF" in error.value.message_dict["file"][0]
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == stored


def test_a_file_for_another_dossiers_nomination_is_refused(world):
    mine, _noms = dossier(world, documents=False)
    other, (theirs,) = dossier(world, "Nguyễn Thị Lan", unit=world.ward, documents=False)
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.attachment_add(submission=mine, upload=pdf(), kind="other", nomination=theirs, actor=world.clerk)
    assert error.value.message_dict["nomination"] == ["Đề nghị không thuộc hồ sơ này."]
    assert not Attachment.objects.filter(submission=mine).exists() and other.pk != mine.pk


def test_files_are_taken_while_completing_and_refused_once_submitted(world):
    submission, (a, b) = dossier(world, "Nguyễn Thị Lan", "Trần Văn Hai")
    review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    submission.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        dossiers.attachment_add(submission=submission, upload=pdf(), kind="other", nomination=a, actor=world.clerk)
    assert error.value.code == "not_editable"
    review.submission_review(
        submission=submission, actor=world.reviewer, decisions={a.pk: ("accept", ""), b.pk: ("complete", "Thiếu")}
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    b.refresh_from_db()  # as a page loads it: the service reads the nomination's appraised status
    assert dossiers.attachment_add(submission=submission, upload=pdf(), kind="other", nomination=b, actor=world.clerk)
