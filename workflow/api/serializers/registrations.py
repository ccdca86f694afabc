"""Registrations (đăng ký thi đua), their progress reports and the progress table, as the API shows and takes
them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nominations.models import Commitment, ProgressReport, Registration, TargetPlan, Work


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["area", "text"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetPlan
        fields = ["target", "planned_value"]


class WorkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Work
        fields = ["id", "title", "description", "responsible_unit", "due_date", "expected_result"]
        read_only_fields = ["id", "responsible_unit"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "target", "work", "day", "value", "done", "evidence", "comment", "created_at"]


class RegistrationSerializer(serializers.ModelSerializer):
    commitments = CommitmentSerializer(many=True, read_only=True)
    plans = PlanSerializer(many=True, read_only=True)
    works = WorkSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "campaign",
            "unit",
            "status",
            "review_comment",
            "signed_by",
            "signed_at",
            "commitments",
            "plans",
            "works",
        ]


class RegistrationContentSerializer(serializers.Serializer):
    """What the unit writes: commitments per content area, planned values per target, new works."""

    commitments = CommitmentSerializer(many=True, required=False)
    plans = PlanSerializer(many=True, required=False)
    works = WorkSerializer(many=True, required=False)

    def service_kwargs(self, unit) -> dict:
        data = self.validated_data
        return {
            "commitments": {c["area"].pk: c["text"] for c in data.get("commitments", [])},
            "plans": {p["target"].pk: p["planned_value"] for p in data.get("plans", [])},
            "works": [{**w, "responsible_unit": unit} for w in data.get("works", [])],
        }


class RegistrationCreateSerializer(RegistrationContentSerializer):
    campaign = serializers.IntegerField(help_text=_("Phong trào"))
    unit = serializers.IntegerField(required=False, help_text=_("Đơn vị (mặc định: đơn vị của người lập)"))


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", _("Chấp thuận")), ("return", _("Trả lại"))])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReportInputSerializer(serializers.Serializer):
    target = serializers.IntegerField(required=False)
    work = serializers.IntegerField(required=False)
    day = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    done = serializers.BooleanField(required=False, default=False)
    evidence = serializers.FileField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressRowSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_id = serializers.IntegerField()
    registration_id = serializers.IntegerField()
    target = serializers.CharField()
    unit_of_measure = serializers.CharField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)
    latest = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    latest_day = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["done", "on_track", "behind"])
    status_label = serializers.CharField()
