"""What the domain tells whoever listens, in the transaction of the change.

``nominations_decided``: a council session concluded (sender ``CouncilSession``, with ``session``) or a decision was
signed (sender ``Decision``), deciding nominations of the dossiers ``submission_ids``. The workflow layer listens
(``workflow.signals``): each of those dossiers' flows moves on in a background job recorded in the same
transaction. The domain names no flow.

``campaign_launched``: a campaign moves from draft to launched (``campaign``), in the launch's transaction.
"""

from django.dispatch import Signal

nominations_decided = Signal()
# A campaign is launched (``campaign``): the notifications app tells the units concerned (notifications/signals.py).
campaign_launched = Signal()
