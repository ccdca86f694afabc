"""Whatever writes a membership, a council seat or a delegation (a page, the API, the Django admin, an import,
a shell), its holder joins the groups that let them open the flows and see their audience's dossiers.

The right to act is not written here: ``workflow.roles`` reads the rows themselves, within their dates.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

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
    counters.invalidate(instance.user_id)  # the side menu (workflow/templatetags/frame.py)


def _delegation_saved(sender, instance, **kwargs):
    grant_signing(instance.delegate, instance.issuer)
    counters.invalidate(instance.delegate_id)  # the side menu (workflow/templatetags/frame.py)


def _rights_row_deleted(sender, instance, **kwargs):
    # A deleted membership, seat or delegation leaves the holder's side menu on their next page.
    counters.invalidate(getattr(instance, "delegate_id", None) or getattr(instance, "user_id", None))


def _user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # A person's groups and permissions decide the side menu's flow entries.
    if not action.startswith("post_"):
        return
    if not reverse:
        counters.invalidate(instance.pk)  # user.groups.add(…) / user.user_permissions.add(…)
    else:
        for pk in pk_set or ():  # group.user_set.add(…): the users named (a clear names none: the TTL covers it)
            counters.invalidate(pk)


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
    for model in (Membership, CouncilMember, Delegation):
        post_delete.connect(_rights_row_deleted, sender=model, dispatch_uid=f"frame.menu.{model.__name__}")
    user_model = get_user_model()
    m2m_changed.connect(_user_groups_changed, sender=user_model.groups.through, dispatch_uid="frame.menu.groups")
    m2m_changed.connect(
        _user_groups_changed, sender=user_model.user_permissions.through, dispatch_uid="frame.menu.permissions"
    )
    nominations_decided.connect(_nominations_decided, dispatch_uid="flows.resume_dossiers")
    units_reorganised.connect(_units_reorganised, dispatch_uid="flows.reorganised_tasks")
