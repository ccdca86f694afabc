"""What each node of the three flows does, one module per flow.

``dossier`` (NominationFlow), ``council`` (CouncilFlow), ``decision``
(DecisionFlow): a function per node, named after the node, and a ``STEPS``
table of the human nodes (form, form arguments, the one service call). The
page's step view and the API's task completion look a node's step up here.
"""

from . import council, decision, dossier
from .base import Step

# Flow class name → its table: the flows import these modules, so this one cannot import the flows.
TABLES = {"NominationFlow": dossier.STEPS, "CouncilFlow": council.STEPS, "DecisionFlow": decision.STEPS}


def step_for(node) -> Step | None:
    """The step of a flow node (``activation.flow_task``), None for a node no person completes."""
    return TABLES[node.flow_class.__name__].get(node.name)
