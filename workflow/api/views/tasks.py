"""My tasks: the inbox and queue of the nomination flow; claim and complete."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from ... import deadlines
from ...flows import NominationFlow
from .. import task_actions
from ..filters import TaskFilter
from ..pagination import IdCursorPagination
from ..serializers.tasks import TaskCompleteSerializer, TaskDetailSerializer, TaskResultSerializer, TaskSerializer
from .common import validated


@extend_schema_view(
    get=extend_schema(
        description="Việc của bạn: việc đã nhận (inbox) và việc bạn có thể nhận (queue), của quy trình xét khen thưởng "
        "và của phiên họp Hội đồng (bỏ phiếu, kết thúc biểu quyết, vòng hai)."
    )
)
class TaskList(generics.ListAPIView):
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NominationFlow.task_class.objects.none()
        return task_actions.my_tasks(self.request.user)

    def paginate_queryset(self, queryset):
        page = task_actions.attach_artifacts(super().paginate_queryset(queryset))
        # The page's deadlines in a fixed number of queries, not a few per task.
        self.deadlines = deadlines.task_deadlines(page)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "deadlines": getattr(self, "deadlines", {})}


class TaskDetail(APIView):
    @extend_schema(
        responses=TaskDetailSerializer,
        description="Một công việc và những gì cần gửi để hoàn thành nó (lựa chọn, các đề nghị cần cho ý kiến).",
    )
    def get(self, request, pk: int):
        task = task_actions.visible_task(request.user, pk)
        return Response(TaskDetailSerializer(task, context={"request": request}).data)


class TaskClaim(APIView):
    may_conflict = True

    @extend_schema(
        request=None,
        responses=TaskSerializer,
        description="Nhận việc. 409 nếu việc đã có người nhận hoặc đã hoàn thành.",
    )
    def post(self, request, pk: int):
        task = task_actions.claim(request.user, pk)
        return Response(TaskSerializer(task, context={"request": request}).data)


class TaskUnassign(APIView):
    may_conflict = True

    @extend_schema(
        request=None,
        responses=TaskSerializer,
        description="Trả lại việc đã nhận, như trên giao diện. Việc được quy trình giao riêng cho một người "
        "(bỏ phiếu, chuẩn bị hồ sơ, …) vẫn chỉ người đó nhận lại được. 409 nếu việc chưa được nhận hoặc đã xong.",
    )
    def post(self, request, pk: int):
        task = task_actions.unassign(request.user, pk)
        return Response(TaskSerializer(task, context={"request": request}).data)


class TaskComplete(APIView):
    may_conflict = True

    @extend_schema(
        request=TaskCompleteSerializer,
        responses=TaskResultSerializer,
        description="Hoàn thành việc đã nhận, với cùng kiểm tra như biểu mẫu trên giao diện; quy trình chuyển bước. "
        "409 nếu việc đã được người khác nhận, đã hoàn thành, hoặc chưa được nhận.",
    )
    def post(self, request, pk: int):
        task, result = task_actions.complete(
            request.user, pk, request._request, parse=lambda: validated(TaskCompleteSerializer, request.data)
        )
        task.result = result
        return Response(TaskResultSerializer(task, context={"request": request}).data)
