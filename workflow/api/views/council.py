"""Council sessions: list, open (starts the council flow), read results, timeline."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import CouncilSession
from nominations.services import council
from workflow import audit
from workflow import permissions as perms
from workflow.flows import CouncilFlow

from ...access import access_session
from .. import task_actions
from ..pagination import IdCursorPagination, OldestFirstPagination
from ..serializers.council import CouncilSessionDetailSerializer, CouncilSessionSerializer, OpenSessionSerializer
from ..serializers.dossiers import TimelineEventSerializer
from .common import validated


def _detail(session) -> dict:
    session = CouncilSession.objects.prefetch_related(
        "items__nomination__candidate", "items__nomination__submission__unit", "attendance__member__user"
    ).get(pk=session.pk)
    return CouncilSessionDetailSerializer(session).data


@extend_schema_view(get=extend_schema(description="Các phiên họp Hội đồng bạn là thành viên hoặc thư ký."))
class CouncilSessionList(generics.ListAPIView):
    serializer_class = CouncilSessionSerializer
    pagination_class = IdCursorPagination
    filterset_fields = ["campaign", "status", "council"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CouncilSession.objects.none()
        return perms.visible_sessions(self.request.user)

    @extend_schema(
        request=OpenSessionSerializer,
        responses={201: CouncilSessionDetailSerializer},
        description="Thư ký mở phiên họp: chương trình (các đề nghị đạt thẩm định), điểm danh; "
        "mỗi thành viên có mặt nhận một việc bỏ phiếu.",
    )
    def post(self, request):
        data = validated(OpenSessionSerializer, request.data)
        session = task_actions.start(request, CouncilFlow.start, data)
        return Response(_detail(session), status=status.HTTP_201_CREATED)


class CouncilSessionDetail(APIView):
    @extend_schema(
        responses=CouncilSessionDetailSerializer,
        description="Một phiên họp: chương trình và kết quả biểu quyết, điểm danh, mã phiếu đã công bố.",
    )
    def get(self, request, pk: int):
        return Response(_detail(access_session(request.user, pk)))


@extend_schema_view(get=extend_schema(description="Nhật ký của phiên họp Hội đồng, theo thứ tự thời gian."))
class CouncilSessionTimeline(generics.ListAPIView):
    serializer_class = TimelineEventSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return audit.timeline("")
        return audit.timeline(council.scope_of(access_session(self.request.user, self.kwargs["pk"])))
