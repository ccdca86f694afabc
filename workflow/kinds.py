"""The three flows, one ``Kind`` each: what every per-flow dispatch needs to know, said once.

A flow's URL namespace, its flow class, the model of the object its process is about (the artifact), who may
see that object, its label, and the audit scope of the object. Code that must treat a dossier, a council
session and a decision alike asks this registry instead of testing ``isinstance`` or a namespace.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models import CouncilSession, Decision, Submission

from . import permissions as perms


@dataclass(frozen=True)
class Kind:
    namespace: str  # the flow's URL namespace and the ``flow`` value of a task in the API
    flow_name: str  # the flow class's name in workflow.flows
    model: type[models.Model]  # the artifact: what a process of the flow is about
    label: str
    scope_name: str  # audit scope prefix: "<scope_name>:<pk>"
    can_view: Callable  # (user, artifact) -> bool, the pages' rule
    visible: Callable  # (user) -> queryset of the artifacts ``user`` may see
    related: tuple = ()  # what a list of artifacts loads with them
    # (user, process_pk, flow_class, task=None) -> bool, when the flow has a cheaper check than loading the artifact
    can_view_process: Callable | None = None

    @property
    def flow_class(self):
        # Late: workflow.flows imports the views, which reach this registry through the API and the middleware.
        return getattr(import_module("workflow.flows"), self.flow_name)

    def scope_of(self, artifact) -> str:
        return f"{self.scope_name}:{artifact.pk}"

    def may_view_process(self, user, process_pk, task=None) -> bool:
        """Whether ``user`` may see the artifact of process ``process_pk`` (and ``task`` is a condition on it)."""
        flow_class = self.flow_class
        if self.can_view_process is not None:
            return self.can_view_process(user, process_pk, flow_class, task=task)
        processes = flow_class.process_class.objects.filter(pk=process_pk, flow_class=flow_class)
        process = (processes.filter(task.exists()) if task is not None else processes).first()
        artifact = process.artifact if process else None
        return artifact is not None and self.can_view(user, artifact)


DOSSIER = Kind(
    namespace="nomination",
    flow_name="NominationFlow",
    model=Submission,
    label=_("Hồ sơ đề nghị"),
    scope_name="submission",
    can_view=perms.can_view_submission,
    visible=perms.visible_submissions,
    related=("unit", "campaign"),
    can_view_process=perms.can_view_submission_process,  # the flow of most traffic: one query on the process
)
COUNCIL = Kind(
    namespace="council",
    flow_name="CouncilFlow",
    model=CouncilSession,
    label=_("Phiên họp Hội đồng"),
    scope_name="council_session",
    can_view=perms.can_view_session,
    visible=perms.visible_sessions,
    related=("council", "campaign"),
    can_view_process=perms.can_view_session_process,  # a council's 30 ballots at once: one query on the process
)
DECISION = Kind(
    namespace="decision",
    flow_name="DecisionFlow",
    model=Decision,
    label=_("Quyết định khen thưởng"),
    scope_name="decision",
    can_view=perms.can_view_decision,
    visible=perms.visible_decisions,
    related=("issuer", "campaign"),
)

KINDS = (DOSSIER, COUNCIL, DECISION)
NAMESPACES = frozenset(kind.namespace for kind in KINDS)
_BY_NAMESPACE = {kind.namespace: kind for kind in KINDS}
_BY_MODEL = {kind.model: kind for kind in KINDS}


def of_namespace(namespace: str) -> Kind | None:
    return _BY_NAMESPACE.get(namespace)


def of_flow(flow_class) -> Kind:
    for kind in KINDS:
        if kind.flow_class is flow_class:
            return kind
    raise LookupError(flow_class)


def of_artifact(artifact) -> Kind | None:
    """The kind whose processes are about ``artifact`` (None for anything else)."""
    return _BY_MODEL.get(type(artifact))
