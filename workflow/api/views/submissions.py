"""Submissions (tờ trình): list, open one through the flow, add nominations and files."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import Attachment, Submission
from nominations.services import dossiers
from workflow import audit
from workflow import permissions as perms
from workflow.flows import NominationFlow
from workflow.forms import dossier as forms

from ...access import access_dossier
from .. import errors
from ..filters import SubmissionFilter
from ..pagination import IdCursorPagination, OldestFirstPagination
from ..permissions import check_editable, check_may_propose
from ..serializers.dossiers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    NominationSerializer,
    NominationWriteSerializer,
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    TimelineEventSerializer,
)
from .common import validated
from .nominations import nomination_form


def _detail(request, submission: Submission) -> dict:
    submission = (
        Submission.objects.select_related("unit", "created_by")
        .prefetch_related("nominations__candidate", "nominations__award_type", "attachments__uploaded_by")
        .get(pk=submission.pk)
    )
    return SubmissionDetailSerializer(submission, context={"request": request}).data


@extend_schema_view(get=extend_schema(description="Các tờ trình bạn được xem (theo quyền như trên giao diện)."))
class SubmissionList(generics.ListAPIView):
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return perms.visible_submissions(self.request.user).select_related("unit", "created_by")

    @extend_schema(
        request=SubmissionCreateSerializer,
        responses={201: SubmissionDetailSerializer},
        description="Lập tờ trình mới cho một đơn vị bạn được đề nghị: mở quy trình xét khen thưởng, "
        "giao bước hoàn thiện hồ sơ cho bạn.",
    )
    def post(self, request):
        data = validated(SubmissionCreateSerializer, request.data)
        check_may_propose(request.user, data["unit"])
        with transaction.atomic():
            submission = NominationFlow.start_from_code.run(actor=request.user, **data)
        return Response(_detail(request, submission), status=status.HTTP_201_CREATED)


class SubmissionDetail(APIView):
    @extend_schema(
        responses=SubmissionDetailSerializer,
        description="Một tờ trình: các đề nghị, tài liệu, bạn có được sửa không và tài liệu còn thiếu.",
    )
    def get(self, request, pk: int):
        return Response(_detail(request, access_dossier(request.user, pk)))


@extend_schema_view(get=extend_schema(description="Nhật ký xử lý của tờ trình, theo thứ tự thời gian."))
class SubmissionTimeline(generics.ListAPIView):
    serializer_class = TimelineEventSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return audit.timeline("")
        submission = access_dossier(self.request.user, self.kwargs["pk"])
        return audit.timeline(dossiers.scope_of(submission))


class SubmissionNominations(APIView):
    @extend_schema(
        request=NominationWriteSerializer,
        responses={201: NominationSerializer},
        description="Thêm một đề nghị vào tờ trình (chỉ người đang giữ bước hoàn thiện/bổ sung hồ sơ).",
    )
    def post(self, request, pk: int):
        submission = access_dossier(request.user, pk)
        check_editable(request.user, submission)
        form = nomination_form(submission, validated(NominationWriteSerializer, request.data))
        nomination = dossiers.nomination_add(
            submission=submission,
            candidate=form.candidate_data(),
            award_type=form.cleaned_data["award_type"],
            achievement=form.cleaned_data["achievement"],
            actor=request.user,
        )
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)


class SubmissionAttachments(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        description="Đính kèm một tài liệu vào tờ trình (PDF, DOCX, JPEG, PNG; nội dung phải đúng định dạng).",
    )
    def post(self, request, pk: int):
        submission = access_dossier(request.user, pk)
        check_editable(request.user, submission)
        data = validated(AttachmentUploadSerializer, request.data)
        form = forms.AttachmentForm(
            data={"kind": data["kind"], "nomination": data.get("nomination") or ""},
            files={"file": data["file"]},
            submission=submission,
        )
        if not form.is_valid():
            raise errors.from_django(DjangoValidationError(form.errors.as_data()))
        attachment: Attachment = dossiers.attachment_add(
            submission=submission,
            nomination=form.cleaned_data["nomination"],
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
