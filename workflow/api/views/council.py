"""Council sessions: list, open (starts the council flow), read results, timeline; written ballots, recusals,
minutes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import AgendaItem, CouncilSession
from nominations.services import council, downloads
from workflow import audit
from workflow import permissions as perms
from workflow.flows import CouncilFlow
from workflow.forms import council as council_forms

from ...access import access_session
from ...downloads import respond
from .. import errors, task_actions
from ..pagination import IdCursorPagination, OldestFirstPagination
from ..serializers.council import (
    CouncilSessionDetailSerializer,
    CouncilSessionSerializer,
    OpenSessionSerializer,
    RecusalResultSerializer,
    RecusalSerializer,
    WrittenVoteSerializer,
)
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


class WrittenVote(APIView):
    @extend_schema(
        request=WrittenVoteSerializer,
        responses={201: CouncilSessionDetailSerializer},
        description="Thư ký nhập phiếu bằng văn bản của một thành viên vắng mặt (khi quy chế cho phép), "
        "với cùng kiểm tra như trên giao diện. 403 nếu không phải thư ký của Hội đồng.",
    )
    def post(self, request, pk: int):
        session = access_session(request.user, pk)
        if not perms.can(request.user, perms.RECORD_COUNCIL, session.council.issuer):
            raise PermissionDenied
        data = validated(WrittenVoteSerializer, request.data)
        absent, items = council.written_ballot(session, data["member"])
        form_data = {"member": data["member"], **{f"item_{key}": value for key, value in data["items"].items()}}
        form = council_forms.WrittenBallotForm(data=form_data, absent=absent, items=items)
        if not form.is_valid():
            raise errors.from_django(DjangoValidationError(form.errors.as_data()), rename=_api_field)
        try:
            council.ballot_cast(
                session=session,
                member=form.cleaned_data["member"],
                choices=form.choices(),
                written=True,
                entered_by=request.user,
            )
        except DjangoValidationError as error:
            raise errors.from_django(error, rename=_api_field) from error
        return Response(_detail(session), status=status.HTTP_201_CREATED)


def _api_field(name: str) -> str:
    """The written ballot form's ``item_<id>`` → ``items.<id>``."""
    kind, _sep, pk = name.partition("_")
    return f"items.{pk}" if kind == "item" and pk.isdigit() else name


class Recusal(APIView):
    @extend_schema(
        request=RecusalSerializer,
        responses={201: RecusalResultSerializer},
        description="Thành viên có mặt trong phiên họp xin không tham gia biểu quyết một nội dung (xung đột lợi ích), "
        "trước khi bỏ phiếu. 404 nếu bạn không phải thành viên biểu quyết của phiên họp.",
    )
    def post(self, request, pk: int):
        item = AgendaItem.objects.select_related("session__council").filter(pk=pk).first()
        member = council.attending_member(item.session, request.user) if item else None
        if member is None:
            raise NotFound
        data = validated(RecusalSerializer, request.data)
        recusal = council.recusal_declare(item=item, member=member, reason=data["reason"])
        return Response(RecusalResultSerializer(recusal).data, status=status.HTTP_201_CREATED)


class MinutesDownload(APIView):
    @extend_schema(
        operation_id="council_sessions_minutes_retrieve",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=downloads.MINUTES_FORMATS)],
        responses={(200, downloads.DOCX): OpenApiTypes.BINARY, (200, downloads.PDF): OpenApiTypes.BINARY},
        description="Biên bản họp Hội đồng (DOCX hoặc PDF) của phiên họp đã kết thúc.",
    )
    def get(self, request, pk: int, fmt: str):
        return respond(downloads.minutes(access_session(request.user, pk), fmt))
