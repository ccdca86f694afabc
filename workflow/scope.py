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

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404

from . import kinds


@dataclass(frozen=True)
class TaskOfProcess:
    """Condition on processes of ``flow_class``: task ``task_pk`` is theirs and at ``node``. The dossier's gate
    writes it in its own SQL (permissions.can_view_submission_process); the others filter with ``exists()``."""

    flow_class: type
    task_pk: int
    node: object

    def exists(self) -> Exists:
        tasks = self.flow_class.task_class._default_manager.filter(
            pk=self.task_pk, process=OuterRef("pk"), flow_task=self.node
        )
        return Exists(tasks)


def task_of_process(flow_class, task_pk, node) -> TaskOfProcess:
    return TaskOfProcess(flow_class, task_pk, node)


class ProcessScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        kind = kinds.of_namespace(match.namespaces[0]) if match and match.namespaces else None
        process_pk = view_kwargs.get("process_pk")
        if kind is None or process_pk is None:
            return None
        flow_class = kind.flow_class
        task = None
        if "task_pk" in view_kwargs:
            # The node is the namespace under the flow's: nomination:<node>:<page>.
            node = flow_class.instance.node(match.namespaces[1]) if len(match.namespaces) > 1 else None
            if node is None:
                raise Http404
            task = task_of_process(flow_class, view_kwargs["task_pk"], node)
        if not kind.may_view_process(request.user, process_pk, task=task):
            raise Http404
        return None
