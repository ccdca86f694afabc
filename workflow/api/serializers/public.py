"""What the public may see: names of the awarded, nothing else."""

from rest_framework import serializers


class PublicResultSerializer(serializers.Serializer):
    candidate = serializers.CharField(source="candidate.name")
    unit = serializers.CharField(source="unit_name", help_text="Tên đơn vị tại ngày quyết định.")
    award_type = serializers.CharField(source="award_type.name")
    decision_number = serializers.CharField(help_text="Số quyết định khen thưởng, ví dụ 12/QĐ-UBND.")
    decision_date = serializers.DateField()
