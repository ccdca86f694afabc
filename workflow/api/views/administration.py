"""/api/admin/: the administrator's people, roles and campaigns (the page's forms and services, the same rules).

Someone who administers no committee gets 403; an object outside their committees 404.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import Campaign, Membership, OrgUnit
from nominations.services import administration, authority, campaigns, imports, org_units, reorganisation

from ...forms import administration as forms
from .. import errors
from ..serializers.administration import (
    AdminCampaignSerializer,
    AdminOrgUnitSerializer,
    CampaignBody,
    DissolveBody,
    EndMembershipBody,
    ImportBody,
    ImportResultSerializer,
    MembershipBody,
    MembershipSerializer,
    PersonBody,
    RenameBody,
    ReorganisationResultSerializer,
    ReorganiseBody,
    UnitBody,
)


def _issuers(user):
    issuers = list(authority.administered_issuers(user))
    if not issuers:
        raise PermissionDenied
    return issuers


def _bound(form):
    if not form.is_valid():
        raise errors.from_django(DjangoValidationError(form.errors.as_data()))
    return form.cleaned_data


def _in_trees(issuers, field):
    query = Q(pk__in=[])
    for issuer in issuers:
        query |= Q(**{f"{field}__startswith": issuer.path})
    return query


class MembershipList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("day", str, description="Ngày (YYYY-MM-DD hoặc dd/mm/yyyy); mặc định hôm nay.")],
        responses=MembershipSerializer(many=True),
        description="Ai giữ vai trò gì vào một ngày, trong các cơ quan bạn quản trị (403 nếu không là quản trị).",
    )
    def get(self, request):
        issuers = _issuers(request.user)
        day = _bound(forms.DayForm(request.query_params)).get("day") or timezone.localdate()
        rows = [m for issuer in issuers for m in administration.holders_on(issuer, day)]
        return Response(MembershipSerializer(rows, many=True).data)

    @extend_schema(
        request=MembershipBody,
        responses={201: MembershipSerializer},
        parameters=[OpenApiParameter("user", int, required=True, description="Người được phân công.")],
        description="Phân công một vai trò cho người đã có trong cơ quan. Ghi nhật ký membership.added.",
    )
    def post(self, request):
        issuers = _issuers(request.user)
        known = Membership.objects.filter(_in_trees(issuers, "unit__path")).values("user")
        person = get_object_or_404(get_user_model().objects.filter(pk__in=known), pk=request.query_params.get("user"))
        data = _bound(forms.MembershipForm(data=request.data, issuers=issuers))
        membership = administration.membership_add(user=person, actor=request.user, **data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipEnd(APIView):
    @extend_schema(
        request=EndMembershipBody,
        responses=MembershipSerializer,
        description="Kết thúc một vai trò vào ngày cho trước. Ghi nhật ký membership.ended.",
    )
    def post(self, request, pk: int):
        issuers = _issuers(request.user)
        membership = get_object_or_404(Membership.objects.filter(_in_trees(issuers, "unit__path")), pk=pk)
        data = _bound(forms.EndMembershipForm(data=request.data))
        membership = administration.membership_end(membership=membership, actor=request.user, **data)
        return Response(MembershipSerializer(membership).data)


class PersonCreate(APIView):
    @extend_schema(
        request=PersonBody,
        responses={201: MembershipSerializer},
        description="Tạo tài khoản (chưa có mật khẩu) với vai trò đầu tiên; invite=true gửi thư mời đặt mật khẩu.",
    )
    def post(self, request):
        issuers = _issuers(request.user)
        data = _bound(forms.PersonForm(data=request.data, issuers=issuers))
        invite = data.pop("invite")
        user = administration.person_create(actor=request.user, **data)
        if invite:
            administration.person_invite(user=user, base_url=request.build_absolute_uri("/"), actor=request.user)
        return Response(MembershipSerializer(user.memberships.get()).data, status=status.HTTP_201_CREATED)


def _managed(user):
    issuers = list(authority.campaign_issuers(user))
    if not issuers:
        raise PermissionDenied
    return issuers


class CampaignCreate(APIView):
    @extend_schema(
        request=CampaignBody,
        responses={201: AdminCampaignSerializer},
        parameters=[OpenApiParameter("issuer", int, required=True, description="Cơ quan phát động.")],
        description="Tạo phong trào (dự thảo) với nội dung, hình thức và chỉ tiêu. Ghi nhật ký campaign.created.",
    )
    def post(self, request):
        issuer = next((i for i in _managed(request.user) if str(i.pk) == request.query_params.get("issuer")), None)
        if issuer is None:
            raise Http404
        form = forms.CampaignForm(data=request.data, issuer=issuer)
        _bound(form)
        campaign = campaigns.campaign_create(issuer=issuer, actor=request.user, **form.service_kwargs())
        return Response(AdminCampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignUpdate(APIView):
    @extend_schema(
        request=CampaignBody,
        responses=AdminCampaignSerializer,
        description="Sửa phong trào như trang sửa: dự thảo sửa được mọi nội dung, đã phát động chỉ sửa được các mốc "
        "thời gian. Ghi nhật ký campaign.updated.",
    )
    def put(self, request, pk: int):
        campaign = get_object_or_404(Campaign.objects.filter(issuer__in=_managed(request.user)), pk=pk)
        form = forms.CampaignForm(data=request.data, issuer=campaign.issuer)
        _bound(form)
        campaign = campaigns.campaign_update(campaign=campaign, actor=request.user, **form.service_kwargs())
        return Response(AdminCampaignSerializer(campaign).data)


class _CampaignTransition(APIView):
    transition = staticmethod(campaigns.campaign_launch)

    def post(self, request, pk: int):
        campaign = get_object_or_404(Campaign.objects.filter(issuer__in=_managed(request.user)), pk=pk)
        campaign = self.transition(campaign=campaign, actor=request.user)
        return Response(AdminCampaignSerializer(campaign).data)


def _transition(service, operation: str, description: str):
    def post(self, request, pk: int):  # its own function: extend_schema annotates the function it decorates
        return _CampaignTransition.post(self, request, pk)

    post = extend_schema(
        request=None, responses=AdminCampaignSerializer, operation_id=operation, description=description
    )(post)
    return type(operation, (_CampaignTransition,), {"transition": staticmethod(service), "post": post})


CampaignLaunch = _transition(
    campaigns.campaign_launch, "admin_campaign_launch", "Phát động phong trào (dự thảo → đã phát động)."
)
CampaignClose = _transition(
    campaigns.campaign_close, "admin_campaign_close", "Kết thúc nhận hồ sơ (đã phát động → đã kết thúc)."
)
CampaignSummarise = _transition(
    campaigns.campaign_summarise, "admin_campaign_summarise", "Tổng kết phong trào (đã kết thúc → đã tổng kết)."
)


class UnitList(APIView):
    @extend_schema(
        responses=AdminOrgUnitSerializer(many=True),
        description="Cây đơn vị của các cơ quan bạn quản trị (depth: cấp dưới cơ quan).",
    )
    def get(self, request):
        rows = [row for issuer in _issuers(request.user) for row in org_units.tree_of(issuer)]
        depths = {unit.pk: depth for unit, depth in rows}
        units = [unit for unit, _depth in rows]
        return Response(AdminOrgUnitSerializer(units, many=True, context={"depths": depths}).data)

    @extend_schema(
        request=UnitBody,
        responses={201: AdminOrgUnitSerializer},
        description="Thành lập đơn vị dưới một đơn vị bạn quản trị. Ghi nhật ký orgunit.created.",
    )
    def post(self, request):
        data = _bound(forms.UnitCreateForm(data=request.data, issuers=_issuers(request.user)))
        unit = org_units.unit_create(actor=request.user, **data)
        return Response(AdminOrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)


def _unit(user, pk):
    return get_object_or_404(OrgUnit.objects.filter(_in_trees(_issuers(user), "path")), pk=pk)


class UnitRename(APIView):
    @extend_schema(
        request=RenameBody,
        responses=AdminOrgUnitSerializer,
        description="Đổi tên đơn vị từ một ngày; tên cũ được giữ cho các ngày trước. Ghi nhật ký orgunit.renamed.",
    )
    def post(self, request, pk: int):
        unit = _unit(request.user, pk)
        data = _bound(forms.UnitRenameForm(data=request.data))
        return Response(AdminOrgUnitSerializer(org_units.unit_rename(unit=unit, actor=request.user, **data)).data)


class UnitDissolve(APIView):
    @extend_schema(
        request=DissolveBody,
        responses=AdminOrgUnitSerializer,
        description="Giải thể đơn vị sau ngày cuối cùng, với đơn vị kế thừa. Ghi nhật ký orgunit.dissolved.",
    )
    def post(self, request, pk: int):
        unit = _unit(request.user, pk)
        data = _bound(forms.UnitDissolveForm(data=request.data, issuers=_issuers(request.user)))
        return Response(AdminOrgUnitSerializer(org_units.unit_dissolve(unit=unit, actor=request.user, **data)).data)


class PeopleImport(APIView):
    parser_classes = [MultiPartParser]
    service = staticmethod(imports.people_import)
    label = "username"

    @extend_schema(
        request={"multipart/form-data": ImportBody},
        responses={200: ImportResultSerializer},
        description="Nhập người dùng và vai trò từ tệp Excel theo mẫu. dry_run=true: chỉ kiểm tra từng dòng; "
        "nếu không, ghi tất cả các dòng hoặc không dòng nào (written cho biết đã ghi chưa).",
    )
    def post(self, request):
        _issuers(request.user)
        data = _bound(forms.ImportForm(data=request.data, files=request.FILES))
        results, wrote = self.service(upload=data["file"], actor=request.user, dry_run=data["dry_run"])
        rows = [{"row": r.number, "username": r.label, "errors": r.errors} for r in results]
        return Response({"written": wrote, "rows": rows})


def _import(service, operation: str, description: str):
    def post(self, request):  # its own function: extend_schema annotates the function it decorates
        return PeopleImport.post(self, request)

    post = extend_schema(
        request={"multipart/form-data": ImportBody},
        responses={200: ImportResultSerializer},
        operation_id=operation,
        description=description,
    )(post)
    return type(operation, (PeopleImport,), {"service": staticmethod(service), "post": post})


UnitsImport = _import(
    imports.units_import,
    "admin_units_import_create",
    "Nhập đơn vị từ tệp Excel theo mẫu (cột username của kết quả là mã đơn vị). dry_run=true: chỉ kiểm tra; nếu "
    "không, ghi tất cả các dòng hoặc không dòng nào.",
)
CouncilImport = _import(
    imports.council_import,
    "admin_councils_import_create",
    "Nhập thành viên hội đồng từ tệp Excel theo mẫu. dry_run=true: chỉ kiểm tra; nếu không, ghi tất cả các dòng "
    "hoặc không dòng nào.",
)


class Reorganise(APIView):
    @extend_schema(
        request=ReorganiseBody,
        responses={200: ReorganisationResultSerializer},
        description="Sắp xếp lại đơn vị (sáp nhập, chia tách) từ một ngày có hiệu lực: hồ sơ đang xử lý, vai trò, chỉ "
        "tiêu và đơn vị trực thuộc chuyển sang đơn vị kế thừa. dry_run=true: chỉ liệt kê các mục và nơi chuyển mặc "
        "định (target null: cần quyết định). Ghi nhật ký orgunit.reorganised và từng mục.",
    )
    def post(self, request):
        issuers = _issuers(request.user)
        form = forms.ReorganiseForm(data=request.data, issuers=issuers)
        data = _bound(form)
        units = {"old_units": list(data["old_units"]), "successors": list(data["successors"])}
        decisions = request.data.get("decisions") or {}
        if not isinstance(decisions, dict):
            raise errors.from_django(DjangoValidationError({"decisions": [_("Cần một bảng: mục → lựa chọn.")]}))
        reorganisation.check(actor=request.user, effective=data["effective"], **units)
        if request.data.get("dry_run") in (True, "true", "1", "on"):
            items = reorganisation.plan(effective=data["effective"], **units)
            return Response(ReorganisationResultSerializer({"applied": False, "items": items}).data)
        items = reorganisation.apply(
            actor=request.user, effective=data["effective"], decisions=decisions, reason=data["reason"], **units
        )
        return Response(ReorganisationResultSerializer({"applied": True, "items": items}).data)
