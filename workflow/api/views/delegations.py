"""Delegations of signing power: the chairman's list, grant and early end (the page's rules, the same services)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import Delegation
from nominations.services import delegations
from workflow.forms import delegation as delegation_forms

from .. import errors
from ..pagination import IdCursorPagination
from ..serializers.delegations import DelegationSerializer, EndDelegationSerializer, GrantDelegationSerializer
from .common import validated


def _chaired(user):
    issuers = delegations.issuers_chaired_by(user)
    if not issuers.exists():
        raise PermissionDenied
    return issuers


def _shown(delegation, status_code=status.HTTP_200_OK) -> Response:
    return Response(DelegationSerializer(delegation, context={"today": timezone.localdate()}).data, status=status_code)


@extend_schema_view(
    get=extend_schema(description="Các ủy quyền ký của những UBND mà bạn đang là Chủ tịch (403 nếu không là Chủ tịch).")
)
class DelegationList(generics.ListAPIView):
    serializer_class = DelegationSerializer
    pagination_class = IdCursorPagination
    filterset_fields = ["issuer", "delegate"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delegation.objects.none()
        return (
            Delegation.objects.filter(issuer__in=_chaired(self.request.user))
            .select_related("delegate")
            .prefetch_related("award_types")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        request=GrantDelegationSerializer,
        responses={201: DelegationSerializer},
        description="Chủ tịch ủy quyền cho một Phó Chủ tịch ký thay (KT. CHỦ TỊCH) trong thời hạn, "
        "cho mọi hoặc một số hình thức khen thưởng. Ghi nhật ký delegation.granted.",
    )
    def post(self, request):
        data = validated(GrantDelegationSerializer, request.data)
        issuer = _chaired(request.user).filter(pk=data.pop("issuer")).first()
        if issuer is None:
            raise PermissionDenied
        form = delegation_forms.DelegationForm(data=data, issuer=issuer)
        if not form.is_valid():
            raise errors.from_django(DjangoValidationError(form.errors.as_data()))
        delegation = delegations.delegation_grant(issuer=issuer, actor=request.user, **form.cleaned_data)
        return _shown(delegation, status.HTTP_201_CREATED)


class DelegationDetail(APIView):
    @extend_schema(responses=DelegationSerializer, description="Một ủy quyền ký (chỉ Chủ tịch của cơ quan xem được).")
    def get(self, request, pk: int):
        return _shown(_visible(request.user, pk))


class DelegationEnd(APIView):
    @extend_schema(
        request=EndDelegationSerializer,
        responses=DelegationSerializer,
        description="Chủ tịch chấm dứt ủy quyền trước hạn: từ hôm nay người được ủy quyền không ký, không hủy được "
        "quyết định nữa. Ghi nhật ký delegation.ended.",
    )
    def post(self, request, pk: int):
        delegation = _visible(request.user, pk)
        data = validated(EndDelegationSerializer, request.data)
        return _shown(delegations.delegation_end(delegation=delegation, actor=request.user, reason=data["reason"]))


def _visible(user, pk) -> Delegation:
    delegation = Delegation.objects.filter(pk=pk, issuer__in=delegations.issuers_chaired_by(user)).first()
    if delegation is None:
        raise Http404
    return delegation
