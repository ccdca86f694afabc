"""Award decisions: items, signature, the body that drafts one."""

from django.urls import reverse
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
    signed_by_name = serializers.CharField(
        source="signed_by.get_full_name", read_only=True, default=None, help_text=_("Họ tên người ký.")
    )
    signed_by_delegation = serializers.SerializerMethodField(
        help_text=_("Ký thay (KT. CHỦ TỊCH) theo ủy quyền: người ký là người được ủy quyền ghi ở delegation.")
    )
    signed_as = serializers.CharField(
        source="delegation.delegate_title",
        read_only=True,
        default=None,
        help_text=_("Chức vụ của người ký thay theo ủy quyền (rỗng nếu Chủ tịch ký)."),
    )

    class Meta:
        model = Decision
        fields = ["id", "issuer", "campaign", "award_type", "subject", "status", "number", "year", "symbol"]
        fields += ["decision_date", "signed_by", "signed_by_name", "signed_by_delegation", "delegation", "signed_as"]
        fields += ["return_comment", "revoked_at", "revoke_reason", "revocation_number"]

    def get_signed_by_delegation(self, decision) -> bool:
        return decision.delegation_id is not None


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


class CertificateSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="pk", help_text=_("Id của người được khen thưởng trong quyết định."))
    candidate = serializers.CharField(source="nomination.candidate.name")
    unit_name = serializers.CharField(source="nomination.submission.unit.name")
    struck = serializers.BooleanField()
    code = serializers.UUIDField(source="certificate.code", default=None, help_text=_("Mã trên mã QR của giấy khen."))
    generated_at = serializers.DateTimeField(source="certificate.generated_at", default=None)
    verify_url = serializers.SerializerMethodField(help_text=_("Trang xác thực công khai của giấy khen."))

    def get_verify_url(self, item) -> str | None:
        certificate = getattr(item, "certificate", None)
        if certificate is None or certificate.generated_at is None:
            return None
        return reverse("verify", args=[certificate.code])


class CertificateProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text=_("Số giấy khen đã in."))
    total = serializers.IntegerField(help_text=_("Số giấy khen cần in."))


class DecisionProgressSerializer(serializers.Serializer):
    """The work after signing (nominations.services.decision_progress)."""

    status = serializers.ChoiceField(choices=["done", "running", "failed"], help_text="done, running hoặc failed")
    status_label = serializers.CharField()
    percent = serializers.IntegerField()
    documents_done = serializers.IntegerField()
    documents_total = serializers.IntegerField()
    certificates_done = serializers.IntegerField()
    certificates_total = serializers.IntegerField()
    failures = serializers.ListField(child=serializers.CharField())
    given_up = serializers.BooleanField()
