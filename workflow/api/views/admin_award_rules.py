"""/api/admin/award-types/ and /api/admin/base-salaries/: the national rules kept as dated rows (the pages'
forms and services, same rules). Anyone but a province-level committee's administrator gets 403."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.models import AwardRuleSet, AwardType, BaseSalary
from nominations.services import award_rules

from ...forms import award_rules as forms
from ...views.administration_award_rules import _keeper
from ..serializers.reference import RuleSetSerializer
from .administration import _bound


class AdminAwardTypeSerializer(serializers.ModelSerializer):
    rule_sets = RuleSetSerializer(many=True, read_only=True)

    class Meta:
        model = AwardType
        fields = ["id", "code", "name", "form", "level", "description", "rule_sets"]


class BaseSalarySerializer(serializers.ModelSerializer):
    class Meta:
        model = BaseSalary
        fields = ["id", "valid_from", "amount", "legal_basis"]


class AwardTypeBody(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = forms.AwardTypeForm.Meta.fields


class RuleSetBody(serializers.ModelSerializer):
    class Meta:
        model = AwardRuleSet
        fields = forms.RuleSetForm.Meta.fields


def _with_current(given, current: dict):
    """A field left out keeps the current rule set's value: a client posts only what the new rules change."""
    if hasattr(given, "setlist"):  # a form-encoded body: lists of values
        data = given.copy()
        for name, value in current.items():
            if name not in data:
                data.setlist(name, value if isinstance(value, list) else [value])
        return data
    return {**current, **given} if isinstance(given, dict) else given


class AwardTypeList(APIView):
    @extend_schema(
        responses=AdminAwardTypeSerializer(many=True),
        description="Các hình thức khen thưởng với mọi bộ quy định và thời gian áp dụng của từng bộ.",
    )
    def get(self, request):
        _keeper(request.user)
        award_types = AwardType.objects.prefetch_related("rule_sets").order_by("name")
        return Response(AdminAwardTypeSerializer(award_types, many=True).data)

    @extend_schema(
        request=AwardTypeBody,
        responses={201: AdminAwardTypeSerializer},
        description="Thêm một hình thức khen thưởng. Ghi nhật ký award_type.created.",
    )
    def post(self, request):
        _keeper(request.user)
        data = _bound(forms.AwardTypeForm(data=request.data))
        award_type = award_rules.award_type_create(actor=request.user, **data)
        return Response(AdminAwardTypeSerializer(award_type).data, status=status.HTTP_201_CREATED)


class RuleSetCreate(APIView):
    @extend_schema(
        request=RuleSetBody,
        responses={201: RuleSetSerializer},
        description="Bộ quy định mới của hình thức khen thưởng, áp dụng từ valid_from; bộ trước kết thúc ngày hôm "
        "trước; trường không gửi giữ giá trị của bộ hiện hành. Từ chối nếu đã có quyết định ký từ ngày đó. "
        "Ghi nhật ký award_type.rule_set_added.",
    )
    def post(self, request, pk: int):
        _keeper(request.user)
        award_type = get_object_or_404(AwardType, pk=pk)
        data = _with_current(request.data, forms.RuleSetForm(award_type=award_type).initial)
        data = _bound(forms.RuleSetForm(data=data, award_type=award_type))
        rule = award_rules.rule_set_add(award_type=award_type, actor=request.user, **data)
        return Response(RuleSetSerializer(rule).data, status=status.HTTP_201_CREATED)


class BaseSalaryList(APIView):
    @extend_schema(responses=BaseSalarySerializer(many=True), description="Bảng mức lương cơ sở theo ngày áp dụng.")
    def get(self, request):
        _keeper(request.user)
        return Response(BaseSalarySerializer(BaseSalary.objects.order_by("valid_from"), many=True).data)

    @extend_schema(
        request=BaseSalarySerializer,
        responses={201: BaseSalarySerializer},
        description="Mức lương cơ sở mới từ valid_from; mức trước áp dụng đến ngày hôm trước. Từ chối nếu đã có "
        "quyết định ký từ ngày đó. Ghi nhật ký base_salary.added.",
    )
    def post(self, request):
        _keeper(request.user)
        data = _bound(forms.BaseSalaryForm(data=request.data))
        row = award_rules.base_salary_add(actor=request.user, **data)
        return Response(BaseSalarySerializer(row).data, status=status.HTTP_201_CREATED)
