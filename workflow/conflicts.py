"""A task taken or finished by someone else is a conflict (409), not a crash or a bare 403."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from . import kinds

_TASK_ACTIONS = {"assign", "execute"}


class TaskConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if match is None or kinds.NAMESPACES.isdisjoint(match.namespaces):
            return None
        if isinstance(exception, FlowLockFailed):
            return self._conflict(request, _("Hồ sơ đang được người khác xử lý. Vui lòng thử lại sau ít phút."))
        if isinstance(exception, PermissionDenied) and match.url_name in _TASK_ACTIONS:
            if self._taken_by_someone_else(request.user, match.kwargs.get("task_pk")):
                return self._conflict(
                    request,
                    _("Công việc này đã được người khác nhận hoặc đã hoàn thành. Không có thay đổi nào được ghi."),
                )
        return None

    @staticmethod
    def _taken_by_someone_else(user, task_pk) -> bool:
        from viewflow.workflow.models import Task

        task = Task.objects.filter(pk=task_pk).first()
        if task is None:
            return False
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return True
        # Only someone who could have taken the task hears that another did;
        # everyone else gets the plain refusal.
        from .permissions import could_take

        return could_take(user, task) and task.owner_id not in (None, user.pk)

    @staticmethod
    def _conflict(request, message):
        return TemplateResponse(request, "workflow/conflict.html", {"message": message}, status=409).render()
