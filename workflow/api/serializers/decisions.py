"""Award decisions: items, signature, the body that drafts one."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nominations.models import Decision, DecisionItem

from ...forms import decision as decision_forms

_DRAFT_FORM = decision_forms.DraftDecisionForm.base_fields


class DecisionItemSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="nomination.candidate.name", read_only=True)
    unit_name = serializers.CharField(source="nomination.submission.unit.name", read_only=True)

    class Meta:
        model = DecisionItem
        fields = ["id", "nomination", "candidate", "unit_name", "prize_amount", "struck", "strike_reason"]


class DecisionSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.username", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = ["id", "issuer", "campaign", "award_type", "subject", "status", "number", "year", "symbol"]
        fields += ["decision_date", "signed_by", "delegation", "return_comment", "revoked_at", "revoke_reason"]
        fields += ["revocation_number"]


class DecisionDetailSerializer(DecisionSerializer):
    items = DecisionItemSerializer(many=True, read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = DecisionSerializer.Meta.fields + ["items"]


class DraftDecisionSerializer(serializers.Serializer):
    """The fields of the UI's draft form; the form itself then validates them."""

    campaign = serializers.IntegerField(min_value=1)
    award_type = serializers.IntegerField(min_value=1)
    subject = serializers.CharField(max_length=_DRAFT_FORM["subject"].max_length, required=False, allow_blank=True)
    nominations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text=_("Các đề nghị được Hội đồng thông qua.")
    )


class RevokeDecisionSerializer(serializers.Serializer):
    """The UI's revocation form: a reason and the password again."""

    reason = serializers.CharField(help_text=_("Lý do hủy bỏ quyết định."))
    password = serializers.CharField(style={"input_type": "password"}, help_text=_("Mật khẩu, nhập lại để xác nhận."))
