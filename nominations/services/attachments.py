"""A dossier's files after they are attached: removed or replaced while the unit holds the dossier.

Nothing is deleted: a removed or replaced file keeps its row (``Attachment.history``) and its bytes, so the
reviewer, the trail and whoever may see the dossier can still open what the unit had sent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Attachment, Submission
from .dossiers import attachment_add, check_editable, check_not_locked

FILE_FIELDS = ["kind", "original_name", "content_type", "size", "sha256", "nomination"]


def _current(submission: Submission, attachment: Attachment | int) -> Attachment:
    """The dossier's current file ``attachment``, locked; an id of another dossier's file is not found here."""
    pk = getattr(attachment, "pk", attachment)
    found = Attachment.objects.select_for_update().filter(pk=pk, submission=submission).first()
    if found is None:
        raise ValidationError(_("Tài liệu không thuộc hồ sơ này hoặc đã được gỡ, thay thế."), code="not_found")
    return found


def _check_may_change(submission: Submission, attachment: Attachment) -> None:
    check_editable(submission)
    try:
        check_not_locked(attachment.nomination)
    except ValidationError as error:
        raise ValidationError({"nomination": error.messages}) from None
    if attachment.nomination_id is None and submission.status != Submission.Status.DRAFT:
        # A file of the whole dossier (the unit's minutes) was appraised with every nomination, the accepted
        # ones too: during completion it may be added to, not taken away.
        raise ValidationError(_("Tài liệu chung của hồ sơ chỉ gỡ hoặc thay được khi hồ sơ chưa trình."), code="locked")


def _retire(attachment: Attachment, *, actor, replaced_by: Attachment | None = None) -> None:
    attachment.removed_at, attachment.removed_by, attachment.replaced_by = timezone.now(), actor, replaced_by
    attachment.save(update_fields=["removed_at", "removed_by", "replaced_by"])


@transaction.atomic
def attachment_remove(*, submission: Submission, attachment: Attachment | int, actor, trail=None) -> Attachment:
    """Take a file out of a dossier the unit holds; it stays in the dossier's history, still downloadable."""
    attachment = _current(submission, attachment)
    _check_may_change(submission, attachment)
    _retire(attachment, actor=actor)
    audit.record_transition(
        attachment,
        audit.ATTACHMENT_REMOVED,
        actor=actor,
        data={"attachment": attachment.pk, **audit.snapshot(attachment, FILE_FIELDS)},
        trail=trail,
    )
    return attachment


@transaction.atomic
def attachment_replace(
    *, submission: Submission, attachment: Attachment | int, upload, actor, trail=None
) -> Attachment:
    """Put a new file in place of one of the dossier's files (same kind, same nomination); returns the new one."""
    old = _current(submission, attachment)
    _check_may_change(submission, old)
    new = attachment_add(
        submission=submission, upload=upload, kind=old.kind, nomination=old.nomination, actor=actor, trail=trail
    )
    _retire(old, actor=actor, replaced_by=new)
    audit.record_transition(
        old,
        audit.ATTACHMENT_REPLACED,
        actor=actor,
        data={
            "attachment": old.pk,
            "replaced_by": new.pk,
            "new_name": new.original_name,
            **audit.snapshot(old, FILE_FIELDS),
        },
        trail=trail,
    )
    return new


def attachment_history(submission: Submission):
    """The dossier's removed and replaced files, newest first, with who took them out and what replaced them."""
    return (
        Attachment.history.filter(submission=submission, removed_at__isnull=False)
        .select_related("nomination__candidate", "removed_by", "replaced_by")
        .order_by("-removed_at", "-pk")
    )
