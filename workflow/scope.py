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
        if match is None or "nomination" not in match.namespaces:
            return None
        perms.prime_queue_cache(request.user)
        process_pk = view_kwargs.get("process_pk")
        if process_pk is None:
            return None
        from .flows import NominationFlow

        process = (
            NominationFlow.process_class.objects.filter(pk=process_pk, flow_class=NominationFlow)
            .select_related("artifact_content_type")
            .first()
        )
        submission = process.artifact if process else None
        if submission is None or not perms.can_view_submission(request.user, submission):
            raise Http404
        return None
