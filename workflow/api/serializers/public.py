"""What the public may see: names of the awarded, nothing else."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PublicResultSerializer(serializers.Serializer):
    candidate = serializers.CharField(source="candidate.name")
    unit = serializers.CharField(source="unit_name", help_text="Tên đơn vị tại ngày quyết định.")
    award_type = serializers.CharField(source="award_type.name")
    decision_number = serializers.CharField(help_text="Số quyết định khen thưởng, ví dụ 12/QĐ-UBND.")
    decision_date = serializers.DateField()


class CertificateVerificationSerializer(serializers.Serializer):
    """What the verification page shows of a certificate: whether it stands, and for whom."""

    valid = serializers.BooleanField(
        help_text=_("Giấy khen hợp lệ: quyết định còn hiệu lực và người này không bị gạch tên.")
    )
    revoked = serializers.BooleanField(help_text=_("Quyết định khen thưởng đã bị hủy bỏ."))
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reference = serializers.CharField(allow_null=True, help_text=_("Số quyết định hủy bỏ."))
    revoke_reason = serializers.CharField(allow_blank=True)
    candidate = serializers.CharField()
    unit = serializers.CharField()
    award_type = serializers.CharField()
    decision_reference = serializers.CharField(help_text=_("Số quyết định khen thưởng, ví dụ 12/QĐ-UBND."))
    decision_date = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
