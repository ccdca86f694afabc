"""Object lookups under the UI's rules: unseen → 404, seen but not yours to change → 403.

Every check is delegated to workflow.permissions; nothing is decided here.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from nominations.models import Submission

from .. import permissions as perms


def check_editable(user, submission: Submission) -> None:
    """403 unless ``user`` holds the dossier's open preparing/completing task."""
    if not perms.can_edit_submission(user, submission):
        raise PermissionDenied(_("Hồ sơ không ở bước bạn được chỉnh sửa."))


def check_may_propose(user, unit) -> None:
    if not perms.can(user, perms.PROPOSE, unit):
        raise PermissionDenied(_("Bạn không được lập hồ sơ đề nghị cho đơn vị này."))
