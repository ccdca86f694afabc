"""Award decisions: list, draft (starts the decision flow), read, timeline, revoke; documents, draft preview,
certificates."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import Decision, DecisionItem
from nominations.services import decisions, downloads
from nominations.services.decision_documents import certificates_progress
from nominations.services.decision_progress import decision_progress
from workflow import audit
from workflow import permissions as perms
from workflow.flows import DecisionFlow

from ...access import access_decision
from ...downloads import respond
from .. import task_actions
from ..pagination import IdCursorPagination, OldestFirstPagination
from ..serializers.decisions import (
    CertificateProgressSerializer,
    CertificateSerializer,
    DecisionDetailSerializer,
    DecisionProgressSerializer,
    DecisionSerializer,
    DraftDecisionSerializer,
    RevokeDecisionSerializer,
)
from ..serializers.dossiers import TimelineEventSerializer
from .common import validated


def _detail(decision) -> dict:
    decision = Decision.objects.prefetch_related(
        "items__nomination__candidate", "items__nomination__submission__unit"
    ).get(pk=decision.pk)
    return DecisionDetailSerializer(decision).data


@extend_schema_view(get=extend_schema(description="Các quyết định khen thưởng bạn soạn thảo hoặc ký."))
class DecisionList(generics.ListAPIView):
    serializer_class = DecisionSerializer
    pagination_class = IdCursorPagination
    filterset_fields = ["campaign", "status", "award_type"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        return perms.visible_decisions(self.request.user).select_related("signed_by")

    @extend_schema(
        request=DraftDecisionSerializer,
        responses={201: DecisionDetailSerializer},
        description="Thư ký Hội đồng dự thảo quyết định từ kết quả của Hội đồng; việc ký được giao cho Chủ tịch.",
    )
    def post(self, request):
        data = validated(DraftDecisionSerializer, request.data)
        decision = task_actions.start(request, DecisionFlow.start, data)
        return Response(_detail(decision), status=status.HTTP_201_CREATED)


class DecisionDetail(APIView):
    @extend_schema(
        responses=DecisionDetailSerializer,
        description="Một quyết định: số, ngày ký, người ký, danh sách được khen thưởng và người bị gạch tên.",
    )
    def get(self, request, pk: int):
        return Response(_detail(access_decision(request.user, pk)))


@extend_schema_view(get=extend_schema(description="Nhật ký của quyết định, theo thứ tự thời gian."))
class DecisionTimeline(generics.ListAPIView):
    serializer_class = TimelineEventSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return audit.timeline("")
        return audit.timeline(decisions.scope_of(access_decision(self.request.user, self.kwargs["pk"])))


class DecisionRevoke(APIView):
    @extend_schema(
        request=RevokeDecisionSerializer,
        responses=DecisionDetailSerializer,
        description="Chủ tịch UBND (hoặc Phó Chủ tịch được ủy quyền còn hiệu lực) hủy bỏ quyết định đã ban hành: "
        "cần lý do và nhập lại mật khẩu; quyết định hủy bỏ được lấy số trong sổ của cơ quan, đơn vị được thông báo.",
    )
    def post(self, request, pk: int):
        decision = access_decision(request.user, pk)
        if not perms.can(request.user, perms.APPROVE, decision.issuer):
            raise PermissionDenied
        data = validated(RevokeDecisionSerializer, request.data)
        decisions.decision_revoke(
            decision=decision, actor=request.user, reason=data["reason"], password=data["password"]
        )
        return Response(_detail(decision))


_DOCUMENT = {(200, downloads.DOCX): OpenApiTypes.BINARY, (200, downloads.PDF): OpenApiTypes.BINARY}


class DecisionFile(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=tuple(downloads.DECISION_FILES))],
        responses=_DOCUMENT,
        description="Quyết định (docx, pdf) hoặc Tờ trình (letter.docx, letter.pdf) đã ban hành, Quyết định hủy bỏ "
        "(revocation.docx, revocation.pdf) khi quyết định đã bị hủy bỏ. 404 nếu văn bản chưa được tạo.",
    )
    def get(self, request, pk: int, name: str):
        return respond(downloads.decision_file(access_decision(request.user, pk), name))


class DraftPreview(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=downloads.DRAFT_NAMES)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="Bản xem trước (chưa có số) của Quyết định hoặc Tờ trình, tạo ngay lúc này để đọc trước khi ký.",
    )
    def get(self, request, pk: int, name: str):
        return respond(downloads.draft_preview(access_decision(request.user, pk), name))


@extend_schema_view(
    get=extend_schema(description="Giấy khen của quyết định: người được khen thưởng, mã xác thực, đã in hay chưa.")
)
class CertificateList(generics.ListAPIView):
    serializer_class = CertificateSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DecisionItem.objects.none()
        decision = access_decision(self.request.user, self.kwargs["pk"])
        return decision.items.select_related(
            "nomination__candidate", "nomination__submission__unit", "certificate"
        ).order_by("pk")


class CertificatesZip(APIView):
    @extend_schema(
        operation_id="decisions_certificates_zip_retrieve",
        responses={(200, downloads.ZIP): OpenApiTypes.BINARY},
        description="Tất cả giấy khen đã in của quyết định, trong một tệp zip.",
    )
    def get(self, request, pk: int):
        return respond(downloads.certificates_zip(access_decision(request.user, pk)))


class CertificatesProgress(APIView):
    @extend_schema(
        responses=CertificateProgressSerializer,
        description="Tiến độ in giấy khen: đã in bao nhiêu trên tổng số (giấy khen được in dần sau khi ký).",
    )
    def get(self, request, pk: int):
        done, total = certificates_progress(access_decision(request.user, pk))
        return Response(CertificateProgressSerializer({"done": done, "total": total}).data)


class DecisionProgress(APIView):
    @extend_schema(
        responses=DecisionProgressSerializer,
        description="Tiến độ sau khi ký: văn bản (Quyết định, Tờ trình) và giấy khen đã tạo trên tổng số, các lỗi "
        "(việc lỗi được tự thử lại; chữ ký vẫn giữ nguyên).",
    )
    def get(self, request, pk: int):
        return Response(DecisionProgressSerializer(decision_progress(access_decision(request.user, pk))).data)
