"""Whatever writes a membership, a council seat or a delegation (a page, the API, the Django admin, an import,
a shell), its holder joins the groups that let them open the flows and see their audience's dossiers.

The right to act is not written here: ``workflow.roles`` reads the rows themselves, within their dates.
"""

from django.db.models.signals import post_save

from nominations.access import grant_council_seat, grant_membership, grant_signing
from nominations.models import CouncilMember, CouncilSession, Decision, Delegation, Membership, Nomination
from nominations.signals import nominations_decided, units_reorganised

from . import counters
from .reorganised import repoint_tasks
from .tasks import resume_dossiers_on_commit

# Where a dossier's flow waits for the body that decides its nominations, and the status none of its
# nominations may still have for it to move on.
WAITING_FOR = {
    CouncilSession: ("council", Nomination.Status.ACCEPTED),
    Decision: ("decision", Nomination.Status.COUNCIL_PASSED),
}


def _membership_saved(sender, instance, **kwargs):
    grant_membership(instance)
    counters.invalidate(instance.user_id)  # the side menu's cached answers (workflow/templatetags/site_menu.py)


def _seat_saved(sender, instance, **kwargs):
    grant_council_seat(instance)


def _delegation_saved(sender, instance, **kwargs):
    grant_signing(instance.delegate, instance.issuer)


def _nominations_decided(sender, submission_ids, **kwargs):
    # Each dossier's own flow moves on under its own lock, in a job sent once the change has committed: the
    # ballot that ends a session, or the signature, answers without waiting for ~a hundred dossiers.
    resume_dossiers_on_commit(submission_ids, *WAITING_FOR[sender])


def _units_reorganised(sender, moves, actor=None, **kwargs):
    repoint_tasks(moves, actor=actor)


def connect() -> None:
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="roles.membership")
    post_save.connect(_seat_saved, sender=CouncilMember, dispatch_uid="roles.council_seat")
    post_save.connect(_delegation_saved, sender=Delegation, dispatch_uid="roles.delegation")
    nominations_decided.connect(_nominations_decided, dispatch_uid="flows.resume_dossiers")
    units_reorganised.connect(_units_reorganised, dispatch_uid="flows.reorganised_tasks")
