"""Council sessions: agenda, attendance, results; the body that opens a session."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nominations.models import AgendaItem, Attendance, CouncilSession

from ...forms import council as council_forms

_OPEN_FORM = council_forms.OpenSessionForm.base_fields


class AgendaItemSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="nomination.candidate.name", read_only=True)
    unit_name = serializers.CharField(source="nomination.submission.unit.name", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "number", "nomination", "candidate", "unit_name", "round", "result"]
        fields += ["agree", "disagree", "abstain", "base"]


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.__str__", read_only=True)
    user = serializers.CharField(source="member.user.username", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "name", "user", "present"]


class CouncilSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilSession
        fields = ["id", "council", "campaign", "title", "held_on", "place", "status", "round", "secret"]
        fields += ["written_votes_allowed"]


class CouncilSessionDetailSerializer(CouncilSessionSerializer):
    items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    receipts = serializers.SerializerMethodField()

    class Meta(CouncilSessionSerializer.Meta):
        fields = CouncilSessionSerializer.Meta.fields + ["items", "attendance", "receipts"]

    def get_receipts(self, session) -> list[str]:
        """Ballot receipt codes, published once the session is closed, for voters to check theirs."""
        if session.status != CouncilSession.Status.CLOSED:
            return []
        return list(session.receipts.order_by("round", "code").values_list("code", flat=True))


class OpenSessionSerializer(serializers.Serializer):
    """The fields of the UI's session form; the form itself then validates them."""

    council = serializers.IntegerField(min_value=1)
    campaign = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=_OPEN_FORM["title"].max_length)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=_OPEN_FORM["place"].max_length, required=False, allow_blank=True)
    nominations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text=_("Các đề nghị đạt thẩm định, cùng một hình thức.")
    )
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text=_("Mã (id) các thành viên Hội đồng có mặt.")
    )


class WrittenVoteSerializer(serializers.Serializer):
    """The UI's written-ballot form: the absent member who sent it and one choice per item."""

    member = serializers.IntegerField(min_value=1, help_text=_("Thành viên vắng mặt gửi phiếu bằng văn bản."))
    items = serializers.DictField(
        child=serializers.CharField(max_length=32),
        help_text=_("Ý kiến theo từng nội dung biểu quyết: khoá là id nội dung, giá trị là agree, disagree, abstain."),
    )


class RecusalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=council_forms.RecusalForm.base_fields["reason"].max_length,
        help_text=_("Lý do không tham gia biểu quyết."),
    )


class RecusalResultSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    member = serializers.IntegerField(source="member_id")
    reason = serializers.CharField()
