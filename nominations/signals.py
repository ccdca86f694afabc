"""What the domain tells whoever listens, in the transaction of the change.

``nominations_decided``: a council session concluded (sender ``CouncilSession``, with ``session``) or a decision was
signed (sender ``Decision``), deciding nominations of the dossiers ``submission_ids``. The workflow layer listens
(``workflow.signals``): each of those dossiers' flows moves on in a background job recorded in the same
transaction. The domain names no flow.

``campaign_launched``: a campaign moves from draft to launched (``campaign``), in the launch's transaction.
"""

from django.dispatch import Signal

nominations_decided = Signal()

# ``units_reorganised``: a reorganisation moved open dossiers to successor units (sender ``OrgUnit``).
# ``moves``: {submission id: {"units": {old unit id: new unit id}, "person": user id of the clerk who takes over
# the dossier's personal tasks, or None when its unit did not change}}. The workflow layer re-points the open
# tasks of those dossiers in the same transaction, so that the successor's people act and the old unit's do not.
units_reorganised = Signal()
# A campaign is launched (``campaign``): the notifications app tells the units concerned (notifications/signals.py).
campaign_launched = Signal()
