"""One definition per step: each human node's form and service call are in its flow's step table.

The page (``StepView``) and the API (``task_steps``) both read ``workflow.steps``; nothing else says what a
step does, and the API learns nothing from the UI's step views.
"""

import ast
from pathlib import Path

import pytest
from viewflow.workflow import flow

from workflow.flows import CouncilFlow, DecisionFlow, NominationFlow
from workflow.steps import step_for
from workflow.views.base import StepView

FLOWS = (NominationFlow, CouncilFlow, DecisionFlow)
HUMAN = [node for f in FLOWS for node in f.instance.nodes() if isinstance(node, flow.View | flow.Start)]
STEP_VIEW_MODULES = {
    "workflow.views.base",
    "workflow.views.dossier",
    "workflow.views.council",
    "workflow.views.decision",
}


def test_the_flows_have_thirteen_human_nodes():
    assert len(HUMAN) == 13, [n.name for n in HUMAN]


@pytest.mark.parametrize("node", HUMAN, ids=lambda n: f"{n.flow_class.__name__}.{n.name}")
def test_each_human_node_has_one_step_named_after_it(node):
    step = step_for(node)
    assert step is not None
    assert step.perform.__name__ == node.name
    assert (
        step.perform.__module__
        == {
            NominationFlow: "workflow.steps.dossier",
            CouncilFlow: "workflow.steps.council",
            DecisionFlow: "workflow.steps.decision",
        }[node.flow_class]
    )


@pytest.mark.parametrize("node", HUMAN, ids=lambda n: f"{n.flow_class.__name__}.{n.name}")
def test_the_page_of_a_step_only_shows_it(node):
    """The node's view is the generic step view; it defines no form and no perform of its own."""
    view = node.view if isinstance(node, flow.View) else node._start_view
    view_class = view.view_class
    assert issubclass(view_class, StepView)
    for cls in view_class.__mro__[: view_class.__mro__.index(StepView)]:
        assert not {"form_class", "perform", "form_valid", "get_form_kwargs"} & set(vars(cls)), cls


def _imports(path: Path) -> set[str]:
    package = ".".join(path.relative_to(Path.cwd()).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_no_api_module_imports_a_step_view():
    api = sorted((Path.cwd() / "workflow" / "api").rglob("*.py"))
    assert api
    for path in api:
        assert not _imports(path) & STEP_VIEW_MODULES, path
