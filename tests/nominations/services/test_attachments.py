"""nominations.services.attachments, called directly: removing and replacing a dossier's files, with history."""

import pytest
from django.core.exceptions import ValidationError

from nominations.models import Attachment
from nominations.services import attachments, review
from workflow import audit

from .world import build, dossier, last_event, nothing_written, pdf


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build()


def test_a_draft_files_are_removed_and_replaced_and_stay_in_the_history(world):
    submission, (a,) = dossier(world, "Nguyễn Thị Một")
    minutes = Attachment.objects.get(submission=submission, nomination=None)
    report = Attachment.objects.get(nomination=a)
    attachments.attachment_remove(submission=submission, attachment=minutes, actor=world.clerk)
    new = attachments.attachment_replace(
        submission=submission, attachment=report, upload=pdf("moi.pdf"), actor=world.clerk
    )
    assert (new.kind, new.nomination, new.original_name) == ("achievement_report", a, "moi.pdf")
    assert set(submission.attachments.all()) == {new}
    assert list(attachments.attachment_history(submission)) == [Attachment.history.get(pk=report.pk), minutes]
    event = last_event(audit.ATTACHMENT_REPLACED, report)
    assert (event.data["replaced_by"], event.data["nomination"], event.scope) == (new.pk, a.pk, submission.audit_scope)
    assert last_event(audit.ATTACHMENT_REMOVED, minutes).data["kind"] == "review_minutes"
    # The missing-documents check sees only the current files: the minutes are missing again.
    assert len(review.missing_documents(submission)) == 1


def test_a_removed_file_or_another_dossiers_file_is_refused_and_nothing_is_written(world):
    submission, (a,) = dossier(world, "Nguyễn Thị Một")
    other, (b,) = dossier(world, "Trần Văn Hai")
    foreign = Attachment.objects.get(nomination=b)
    with nothing_written(), pytest.raises(ValidationError) as error:
        attachments.attachment_remove(submission=submission, attachment=foreign, actor=world.clerk)
    assert error.value.code == "not_found"
    report = Attachment.objects.get(nomination=a)
    attachments.attachment_remove(submission=submission, attachment=report, actor=world.clerk)
    with nothing_written(), pytest.raises(ValidationError):
        attachments.attachment_replace(submission=submission, attachment=report, upload=pdf(), actor=world.clerk)


def test_a_submitted_dossiers_files_are_refused(world):
    submission, (a,) = dossier(world, "Nguyễn Thị Một")
    review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    submission.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        attachments.attachment_remove(
            submission=submission, attachment=Attachment.objects.get(nomination=a), actor=world.clerk
        )
    assert error.value.code == "not_editable"
