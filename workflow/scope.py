"""One gate for every flow URL that names a process: outsiders get 404.

viewflow's task pages (assign, execute, detail, undo, cancel, revive, chart)
check only the flow-level permission; the object check lives here so that no
page can be forgotten.
"""

from django.http import Http404

from . import permissions as perms


class ProcessScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not {"nomination", "council", "decision"} & set(match.namespaces):
            return None
        process_pk = view_kwargs.get("process_pk")
        if process_pk is None:
            return None
        from .flows import CouncilFlow, DecisionFlow, NominationFlow

        namespace = match.namespaces[0]
        if namespace not in ("council", "decision"):
            # The dossier flow, most of the traffic: one query keyed on the process.
            if not perms.can_view_submission_process(request.user, process_pk, NominationFlow):
                raise Http404
            return None
        flow_class, check = {
            "council": (CouncilFlow, perms.can_view_session),
            "decision": (DecisionFlow, perms.can_view_decision),
        }[namespace]
        process = flow_class.process_class.objects.filter(pk=process_pk, flow_class=flow_class).first()
        artifact = process.artifact if process else None
        if artifact is None or not check(request.user, artifact):
            raise Http404
        return None
