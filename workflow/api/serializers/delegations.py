"""Delegations of signing power: what the API shows and the body that grants or ends one."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nominations.models import Delegation

from ...forms import delegation as delegation_forms


class DelegationSerializer(serializers.ModelSerializer):
    delegate_name = serializers.SerializerMethodField()
    award_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    in_force = serializers.SerializerMethodField(help_text=_("Còn hiệu lực hôm nay (trong thời hạn, chưa chấm dứt)."))

    class Meta:
        model = Delegation
        fields = ["id", "issuer", "delegate", "delegate_name", "delegate_title", "valid_from", "valid_to"]
        fields += ["award_types", "basis", "created_by", "created_at", "ended_on", "ended_by", "end_reason", "in_force"]

    def get_delegate_name(self, delegation) -> str:
        return delegation.delegate.get_full_name() or delegation.delegate.username

    def get_in_force(self, delegation) -> bool:
        return delegation.in_force_on(self.context["today"])


_FORM = delegation_forms.DelegationForm.base_fields


class GrantDelegationSerializer(serializers.Serializer):
    """The fields of the page's form; the form itself then validates them."""

    issuer = serializers.IntegerField(min_value=1, help_text=_("Cơ quan (UBND) mà bạn là Chủ tịch."))
    delegate = serializers.IntegerField(min_value=1, help_text=_("Người dùng là Phó Chủ tịch của cơ quan."))
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    award_types = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=_("Để trống: mọi hình thức khen thưởng của cơ quan."),
    )
    delegate_title = serializers.CharField(max_length=_FORM["delegate_title"].max_length, required=False)
    basis = serializers.CharField(max_length=_FORM["basis"].max_length, required=False, allow_blank=True)


class EndDelegationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
