"""One gate for every flow URL that names a process: outsiders get 404.

viewflow's task pages (assign, execute, detail, undo, cancel, revive, chart)
check only the flow-level permission; the object check lives here so that no
page can be forgotten.

viewflow loads a task by its own id and locks the process named in the URL.
So a task URL is answered only when its task belongs to that process, to the
flow of the URL's namespace and to the node the URL names: otherwise a visible
process id would open another dossier's task (and its redirects would tell
where that task lives), and two requests on one task would hold two
different process locks.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404

from . import permissions as perms

FLOW_NAMESPACES = ("nomination", "council", "decision")


def _flows():
    # flows imports the views, which import this module.
    from .flows import CouncilFlow, DecisionFlow, NominationFlow

    return {"nomination": NominationFlow, "council": CouncilFlow, "decision": DecisionFlow}


def task_of_process(flow_class, task_pk, node):
    """Condition on processes of ``flow_class``: task ``task_pk`` is theirs and at ``node``."""
    tasks = flow_class.task_class._default_manager.filter(pk=task_pk, process=OuterRef("pk"), flow_task=node)
    return Exists(tasks)


class ProcessScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.namespaces or match.namespaces[0] not in FLOW_NAMESPACES:
            return None
        process_pk = view_kwargs.get("process_pk")
        if process_pk is None:
            return None
        namespace = match.namespaces[0]
        flow_class = _flows()[namespace]
        task = None
        if "task_pk" in view_kwargs:
            # The node is the namespace under the flow's: nomination:<node>:<page>.
            node = flow_class.instance.node(match.namespaces[1]) if len(match.namespaces) > 1 else None
            if node is None:
                raise Http404
            task = task_of_process(flow_class, view_kwargs["task_pk"], node)
        if namespace == "nomination":
            # The dossier flow, most of the traffic: one query keyed on the process.
            if not perms.can_view_submission_process(request.user, process_pk, flow_class, task=task):
                raise Http404
            return None
        check = perms.can_view_session if namespace == "council" else perms.can_view_decision
        processes = flow_class.process_class.objects.filter(pk=process_pk, flow_class=flow_class)
        process = (processes.filter(task) if task is not None else processes).first()
        artifact = process.artifact if process else None
        if artifact is None or not check(request.user, artifact):
            raise Http404
        return None
