"""Whatever writes a membership, a council seat or a delegation (a page, the API, the Django admin, an import,
a shell), its holder joins the groups that let them open the flows and see their audience's dossiers.

The right to act is not written here: ``workflow.roles`` reads the rows themselves, within their dates.
"""

from django.db.models.signals import post_save

from nominations.access import grant_council_seat, grant_membership, grant_signing
from nominations.models import CouncilMember, Delegation, Membership


def _membership_saved(sender, instance, **kwargs):
    grant_membership(instance)


def _seat_saved(sender, instance, **kwargs):
    grant_council_seat(instance)


def _delegation_saved(sender, instance, **kwargs):
    grant_signing(instance.delegate, instance.issuer)


def connect() -> None:
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="roles.membership")
    post_save.connect(_seat_saved, sender=CouncilMember, dispatch_uid="roles.council_seat")
    post_save.connect(_delegation_saved, sender=Delegation, dispatch_uid="roles.delegation")
