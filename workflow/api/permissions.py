"""Object lookups under the UI's rules: unseen → 404, seen but not yours to change → 403.

Every check is delegated to workflow.permissions; nothing is decided here.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from nominations.models import Attachment, Nomination, Submission

from .. import permissions as perms


def visible_submission(user, pk) -> Submission:
    """The submission, or 404 when it does not exist or ``user`` may not see it."""
    submission = Submission.objects.select_related("campaign", "unit").filter(pk=pk).first()
    if submission is None or not perms.can_view_submission(user, submission):
        raise Http404
    return submission


def visible_nomination(user, pk) -> Nomination:
    nomination = (
        Nomination.objects.select_related("candidate__unit", "award_type", "submission__campaign", "submission__unit")
        .filter(pk=pk)
        .first()
    )
    if nomination is None or not perms.can_view_submission(user, nomination.submission):
        raise Http404
    return nomination


def visible_attachment(user, pk) -> Attachment:
    attachment = Attachment.objects.select_related("submission").filter(pk=pk).first()
    if attachment is None or not perms.can_view_submission(user, attachment.submission):
        raise Http404
    return attachment


def check_editable(user, submission: Submission) -> None:
    """403 unless ``user`` holds the dossier's open preparing/completing task."""
    if not perms.can_edit_submission(user, submission):
        raise PermissionDenied(_("Hồ sơ không ở bước bạn được chỉnh sửa."))


def check_may_propose(user, unit) -> None:
    if not perms.can(user, perms.PROPOSE, unit):
        raise PermissionDenied(_("Bạn không được lập hồ sơ đề nghị cho đơn vị này."))
