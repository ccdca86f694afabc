"""What the domain tells whoever listens, in the transaction of the change.

``nominations_decided``: a council session concluded (sender ``CouncilSession``) or a decision was signed
(sender ``Decision``), deciding nominations of the dossiers ``submission_ids``. The workflow layer listens
(``workflow.signals``): each of those dossiers' flows moves on in a background job recorded in the same
transaction. The domain names no flow.
"""

from django.dispatch import Signal

nominations_decided = Signal()
