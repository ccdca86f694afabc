"""Nominations: list, read, change or withdraw while the dossier is being prepared; files."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations import uploads
from nominations.models import Nomination, Submission
from nominations.services import dossiers
from workflow import audit
from workflow import permissions as perms
from workflow.forms import dossier as forms
from workflow.views import dossier_pages as ui

from ...access import access_nomination
from .. import errors
from ..filters import NominationFilter
from ..pagination import OldestFirstPagination
from ..permissions import check_editable
from ..serializers.dossiers import NominationSerializer, NominationWriteSerializer, TimelineEventSerializer
from .common import validated


def nomination_form(submission: Submission, payload: dict) -> forms.NominationForm:
    """The UI's nomination form over ``payload``, valid, or a 400 with its errors."""
    data = {key: "" if value is None else value for key, value in payload.items()}
    form = forms.NominationForm(data=data, campaign=submission.campaign)
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()))
    return form


def _current(nomination: Nomination) -> dict:
    initial = forms.NominationForm.initial_for(nomination)
    return {**initial, "award_type": nomination.award_type_id}


@extend_schema_view(
    get=extend_schema(description="Các đề nghị khen thưởng bạn được xem; tìm theo tên, lọc theo trạng thái.")
)
class NominationList(generics.ListAPIView):
    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    pagination_class = OldestFirstPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Nomination.objects.none()
        return perms.visible_nominations(self.request.user).select_related("candidate", "award_type")


class NominationDetail(APIView):
    @extend_schema(responses=NominationSerializer, description="Một đề nghị khen thưởng.")
    def get(self, request, pk: int):
        return Response(NominationSerializer(access_nomination(request.user, pk)).data)

    @extend_schema(
        request=NominationWriteSerializer,
        responses=NominationSerializer,
        description="Sửa toàn bộ đề nghị (chỉ khi bạn đang giữ bước hoàn thiện/bổ sung hồ sơ).",
    )
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    @extend_schema(
        request=NominationWriteSerializer(partial=True),
        responses=NominationSerializer,
        description="Sửa một phần đề nghị; các trường không gửi giữ nguyên giá trị.",
    )
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(
        responses={204: OpenApiResponse(description="Đã rút đề nghị.")},
        description="Rút đề nghị khỏi tờ trình chưa trình.",
    )
    def delete(self, request, pk: int):
        nomination = access_nomination(request.user, pk)
        check_editable(request.user, nomination.submission)
        dossiers.nomination_remove(nomination=nomination, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, pk, *, partial):
        nomination = access_nomination(request.user, pk)
        check_editable(request.user, nomination.submission)
        payload = validated(NominationWriteSerializer, request.data, partial=partial)
        form = nomination_form(nomination.submission, {**_current(nomination), **payload} if partial else payload)
        nomination = dossiers.nomination_update(
            nomination=nomination,
            candidate=form.candidate_data(),
            award_type=form.cleaned_data["award_type"],
            achievement=form.cleaned_data["achievement"],
            actor=request.user,
        )
        return Response(NominationSerializer(nomination).data)


@extend_schema_view(
    get=extend_schema(description="Nhật ký xử lý của một đề nghị (và các sự kiện của tờ trình chứa nó).")
)
class NominationTimeline(generics.ListAPIView):
    serializer_class = TimelineEventSerializer
    pagination_class = OldestFirstPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return audit.timeline("")
        nomination = access_nomination(self.request.user, self.kwargs["pk"])
        return audit.nomination_timeline(nomination)


_FILE = {(200, kind): OpenApiTypes.BINARY for kind in (uploads.PDF, uploads.DOCX, uploads.JPEG, uploads.PNG)}


class AttachmentDownload(APIView):
    @extend_schema(responses=_FILE, description="Tải tệp đính kèm (chỉ người được xem hồ sơ).")
    def get(self, request, pk: int):
        # The UI's download view: same lookup, same check, same headers.
        return ui.attachment_download(request._request, pk)
