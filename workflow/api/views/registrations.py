"""Registrations (đăng ký thi đua) over the API: the pages' actions with the same services and checks
(wrong unit 404, wrong role 403, bad input 400 with Vietnamese field errors)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.access import ACCEPT_REGISTRATION, REGISTER, SIGN_REGISTRATION
from nominations.models import Campaign, OrgUnit, Registration, Target, Work
from nominations.progress import STATUS_LABELS, ProgressPages, progress_table, progress_xlsx
from nominations.services import registrations, reminders
from nominations.services.downloads import XLSX, Download
from nominations.text import safe_file_name

from ... import roles
from ...access import access_progress, access_registration
from ...downloads import respond
from ...permissions import can
from ..serializers.registrations import (
    ProgressRowSerializer,
    RegistrationContentSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    ReportInputSerializer,
    ReportSerializer,
    ReviewSerializer,
)

UNIT_PARAM = OpenApiParameter("unit", int, description="Chỉ một đơn vị")
STATUS_PARAM = OpenApiParameter(
    "status", str, enum=list(STATUS_LABELS), description="Chỉ các dòng có tình trạng này (như bộ lọc của trang)"
)


def _require(user, perm, unit):
    if not can(user, perm, unit):
        raise PermissionDenied


def _content(serializer_class, request):
    """The validated body (a 400 otherwise); the services check that its areas and targets are the campaign's."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


def _shown(registration, status_code=status.HTTP_200_OK):
    registration = Registration.objects.prefetch_related("commitments", "plans", "works").get(pk=registration.pk)
    return Response(RegistrationSerializer(registration).data, status=status_code)


class RegistrationList(APIView):
    @extend_schema(
        operation_id="registrations_list",
        responses=RegistrationSerializer(many=True),
        description="Đăng ký thi đua của các đơn vị mà bạn là cán bộ thi đua hoặc thủ trưởng, và của các đơn vị "
        "đăng ký với cơ quan mà bạn thẩm định.",
    )
    def get(self, request):
        user = request.user
        units = roles.units_with(user, REGISTER, SIGN_REGISTRATION)
        issuers = roles.units_with(user, ACCEPT_REGISTRATION)
        queryset = Registration.objects.filter(unit_id__in=units) | Registration.objects.filter(
            campaign__issuer_id__in=issuers
        )
        queryset = queryset.prefetch_related("commitments", "plans", "works").order_by("pk")
        return Response(RegistrationSerializer(queryset, many=True).data)

    @extend_schema(
        operation_id="registrations_create",
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
        description="Cán bộ thi đua của đơn vị lập đăng ký thi đua (nội dung theo từng nội dung thi đua, mức đăng "
        "ký từng chỉ tiêu, công trình chào mừng) trong hạn đăng ký. Ghi nhật ký registration.created.",
    )
    def post(self, request):
        serializer = _content(RegistrationCreateSerializer, request)
        campaign = Campaign.objects.filter(pk=serializer.validated_data["campaign"]).first()
        if campaign is None:
            raise DjangoValidationError({"campaign": _("Không có phong trào này.")})
        units = roles.units_with(request.user, REGISTER)
        wanted = serializer.validated_data.get("unit")
        unit = OrgUnit.objects.filter(pk__in=units if wanted is None else units & {wanted}).order_by("path").first()
        if unit is None:
            raise PermissionDenied
        registration = registrations.registration_create(
            campaign=campaign, unit=unit, actor=request.user, **serializer.service_kwargs(unit)
        )
        return _shown(registration, status.HTTP_201_CREATED)


class RegistrationDetail(APIView):
    @extend_schema(
        operation_id="registrations_retrieve",
        responses=RegistrationSerializer,
        description="Một đăng ký thi đua: nội dung, mức đăng ký các chỉ tiêu, công trình và trạng thái.",
    )
    def get(self, request, pk: int):
        return _shown(access_registration(request.user, pk))

    @extend_schema(
        operation_id="registrations_update",
        request=RegistrationContentSerializer,
        responses=RegistrationSerializer,
        description="Sửa đăng ký khi đang soạn hoặc bị trả lại: thay nội dung và mức đăng ký, thêm công trình. "
        "Ghi nhật ký registration.updated.",
    )
    def put(self, request, pk: int):
        registration = access_registration(request.user, pk)
        _require(request.user, REGISTER, registration.unit)
        serializer = _content(RegistrationContentSerializer, request)
        registrations.registration_update(
            registration=registration, actor=request.user, **serializer.service_kwargs(registration.unit)
        )
        return _shown(registration)


class RegistrationSign(APIView):
    @extend_schema(
        operation_id="registrations_sign_create",
        request=None,
        responses=RegistrationSerializer,
        description="Thủ trưởng đơn vị ký đăng ký, gửi cơ quan thường trực. Ghi nhật ký registration.signed.",
    )
    def post(self, request, pk: int):
        registration = access_registration(request.user, pk)
        _require(request.user, SIGN_REGISTRATION, registration.unit)
        return _shown(registrations.registration_sign(registration=registration, actor=request.user))


class RegistrationReview(APIView):
    @extend_schema(
        operation_id="registrations_review_create",
        request=ReviewSerializer,
        responses=RegistrationSerializer,
        description="Cơ quan thường trực chấp thuận đăng ký, hoặc trả lại kèm ý kiến (bắt buộc). Ghi nhật ký "
        "registration.accepted / registration.returned.",
    )
    def post(self, request, pk: int):
        registration = access_registration(request.user, pk)
        _require(request.user, ACCEPT_REGISTRATION, registration.campaign.issuer)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = registrations.registration_accept if data.validated_data["decision"] == "accept" else None
        step = step or registrations.registration_return
        return _shown(step(registration=registration, actor=request.user, comment=data.validated_data["comment"]))


class RegistrationReports(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="registrations_reports_list",
        responses=ReportSerializer(many=True),
        description="Các báo cáo tiến độ của một đăng ký thi đua, theo ngày.",
    )
    def get(self, request, pk: int):
        registration = access_registration(request.user, pk)
        return Response(ReportSerializer(registration.reports.all(), many=True).data)

    @extend_schema(
        operation_id="registrations_reports_create",
        request={"multipart/form-data": ReportInputSerializer, "application/json": ReportInputSerializer},
        responses={201: ReportSerializer},
        description="Đơn vị báo cáo tiến độ một chỉ tiêu hoặc một công trình của mình (giá trị, ngày, minh chứng, "
        "ghi chú). Ghi nhật ký registration.progress.",
    )
    def post(self, request, pk: int):
        registration = access_registration(request.user, pk)
        _require(request.user, REGISTER, registration.unit)
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        target_id, work_id = fields.pop("target", None), fields.pop("work", None)
        target = work = None
        if target_id is not None:
            target = Target.objects.filter(pk=target_id, campaign=registration.campaign_id).first()
            if target is None:
                raise DjangoValidationError({"target": _("Chỉ tiêu không thuộc phong trào này.")})
        if work_id is not None:
            work = Work.objects.filter(pk=work_id).first()
            if work is None:
                raise DjangoValidationError({"work": _("Không có công trình này.")})
        report = registrations.progress_report(
            registration=registration, actor=request.user, target=target, work=work, **fields
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


def _unit(request):
    try:
        return int(request.query_params["unit"])
    except (KeyError, ValueError):
        return None


def _status(request) -> str:
    status = request.query_params.get("status", "")
    return status if status in STATUS_LABELS else ""


class ProgressPagination(PageNumberPagination):
    """The table by pages of 200 rows (as on the page), ordered by unit and target; each page reads its own
    plans and their latest reports only (``ProgressPages``)."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 200


class CampaignProgress(GenericAPIView):
    queryset = Campaign.objects.none()  # the path's id is a campaign's (for the schema); rows: ProgressPages
    pagination_class = ProgressPagination
    serializer_class = ProgressRowSerializer

    @extend_schema(
        operation_id="campaigns_progress_list",
        parameters=[UNIT_PARAM, STATUS_PARAM],
        responses=ProgressRowSerializer(many=True),
        description="Bảng tiến độ: mỗi đơn vị × chỉ tiêu với mức đăng ký, giá trị mới nhất và tình trạng (đã đạt, "
        "đúng tiến độ, chậm tiến độ), theo trang 200 dòng. Cho cơ quan thường trực của cơ quan phát động.",
    )
    def get(self, request, pk: int):
        campaign = access_progress(request.user, pk)
        page = self.paginate_queryset(ProgressPages(campaign, unit_id=_unit(request), status=_status(request)))
        return self.get_paginated_response([progress_row(row) for row in page])


def progress_row(row) -> dict:
    """A row as ``ProgressRowSerializer`` writes it (its schema), built directly: the serializer's fields cost
    about ten times more on a page of 200 rows. Decimals are strings with their two places, days ISO dates."""
    return {
        "unit": row.unit,
        "unit_id": row.unit_id,
        "registration_id": row.registration_id,
        "target": row.target,
        "unit_of_measure": row.unit_of_measure,
        "planned": f"{row.planned:.2f}",
        "latest": None if row.latest is None else f"{row.latest:.2f}",
        "latest_day": None if row.latest_day is None else row.latest_day.isoformat(),
        "status": row.status,
        "status_label": row.status_label,
    }


class CampaignProgressExport(APIView):
    @extend_schema(
        operation_id="campaigns_progress_xlsx_retrieve",
        parameters=[UNIT_PARAM, STATUS_PARAM],
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="Bảng tiến độ dưới dạng tệp Excel.",
    )
    def get(self, request, pk: int):
        campaign = access_progress(request.user, pk)
        content = progress_xlsx(campaign, progress_table(campaign, unit_id=_unit(request), status=_status(request)))
        return respond(Download(content, safe_file_name("tien-do", campaign.code, ext="xlsx"), XLSX))


class ReminderInputSerializer(drf_serializers.Serializer):
    unit = drf_serializers.IntegerField(help_text="Đơn vị được đôn đốc")
    message = drf_serializers.CharField(max_length=reminders.MAX_MESSAGE, help_text="Nội dung đôn đốc")


class ReminderSerializer(drf_serializers.Serializer):
    id = drf_serializers.IntegerField(help_text="Sự kiện trong nhật ký")
    unit = drf_serializers.IntegerField()
    message = drf_serializers.CharField()
    created_at = drf_serializers.DateTimeField()


class CampaignReminders(APIView):
    @extend_schema(
        operation_id="campaigns_reminders_create",
        request=ReminderInputSerializer,
        responses={201: ReminderSerializer},
        description="Cơ quan thường trực đôn đốc một đơn vị về đăng ký, tiến độ thi đua: ghi vào nhật ký và gửi "
        "thông báo (trong ứng dụng và thư điện tử) tới cán bộ thi đua và thủ trưởng đơn vị.",
    )
    def post(self, request, pk: int):
        campaign = access_progress(request.user, pk)
        serializer = ReminderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = OrgUnit.objects.filter(pk=serializer.validated_data["unit"]).first()
        if unit is None:
            raise DjangoValidationError({"unit": _("Không có đơn vị này.")})
        event = reminders.registration_remind(
            campaign=campaign, unit=unit, actor=request.user, message=serializer.validated_data["message"]
        )
        data = {"id": event.pk, "unit": unit.pk, "message": event.comment, "created_at": event.created_at}
        return Response(ReminderSerializer(data).data, status=status.HTTP_201_CREATED)
