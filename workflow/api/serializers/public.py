"""What the public may see: names of the awarded, nothing else."""

from rest_framework import serializers


class PublicResultSerializer(serializers.Serializer):
    candidate = serializers.CharField(source="candidate.name")
    unit = serializers.CharField(source="candidate.unit.name")
    award_type = serializers.CharField(source="award_type.name")
