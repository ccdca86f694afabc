"""The administrator's API: what it shows of people, roles and campaigns, and the bodies it takes.

The bodies mirror the page's forms (``workflow.forms.administration``), which then validate them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nominations.models import Campaign, Council, CouncilMember, Membership, OrgUnit, Role


class MembershipSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_name", "unit", "unit_name", "role", "title", "valid_from", "valid_to"]

    def get_user_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.username


class MembershipBody(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=Role.choices)
    title = serializers.CharField(required=False, allow_blank=True)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)


class PersonBody(MembershipBody):
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField(required=False, allow_blank=True)
    invite = serializers.BooleanField(required=False, default=False, help_text=_("Gửi thư mời đặt mật khẩu."))


class EndMembershipBody(serializers.Serializer):
    last_day = serializers.DateField(help_text=_("Ngày cuối cùng giữ vai trò."))
    reason = serializers.CharField(required=False, allow_blank=True)


class AdminCampaignSerializer(serializers.ModelSerializer):
    content_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="title")

    class Meta:
        model = Campaign
        fields = ["id", "issuer", "code", "title", "legal_basis", "period_start", "period_end"]
        fields += ["nomination_deadline", "ceremony_date", "status", "content_areas"]


class CampaignBody(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    nomination_deadline = serializers.DateField()
    ceremony_date = serializers.DateField(required=False, allow_null=True)
    content_areas = serializers.CharField(required=False, allow_blank=True, help_text=_("Mỗi dòng một nội dung."))
    award_types = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    default_quota = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    quotas = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Mỗi dòng: mã đơn vị; mã hình thức; chỉ tiêu cá nhân; chỉ tiêu tập thể."),
    )


class AdminOrgUnitSerializer(serializers.ModelSerializer):
    depth = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "level", "parent", "valid_from", "valid_to", "successor", "depth"]

    def get_depth(self, unit) -> int:
        return self.context.get("depths", {}).get(unit.pk, 0)


class UnitBody(serializers.Serializer):
    parent = serializers.IntegerField(min_value=1)
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices)
    level = serializers.ChoiceField(choices=OrgUnit.Level.choices)
    valid_from = serializers.DateField()


class RenameBody(serializers.Serializer):
    name = serializers.CharField()
    effective = serializers.DateField(help_text=_("Ngày bắt đầu dùng tên mới."))


class DissolveBody(serializers.Serializer):
    last_day = serializers.DateField(help_text=_("Ngày cuối cùng hoạt động."))
    successor = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True)


class ImportBody(serializers.Serializer):
    file = serializers.FileField(help_text=_("Tệp .xlsx theo mẫu (trang Quản trị → Nhập từ Excel → Tải tệp mẫu)."))
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    username = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer):
    written = serializers.BooleanField()
    rows = ImportRowSerializer(many=True)


class ReorganiseBody(serializers.Serializer):
    old_units = serializers.ListField(child=serializers.IntegerField(min_value=1), help_text=_("Đơn vị bị sắp xếp."))
    successors = serializers.ListField(child=serializers.IntegerField(min_value=1), help_text=_("Đơn vị kế thừa."))
    effective = serializers.DateField(help_text=_("Ngày có hiệu lực (hôm nay hoặc trước đó không quá 31 ngày)."))
    reason = serializers.CharField(required=False, allow_blank=True)
    decisions = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text=_(
            'Với từng mục ("dossier:12", "membership:3", "quota:5", "unit:7"): id đơn vị kế thừa, '
            'hoặc "end" để kết thúc một vai trò.'
        ),
    )
    dry_run = serializers.BooleanField(required=False, default=False)


class ReorganisationItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    old_unit = serializers.IntegerField(source="old.pk")
    target = serializers.CharField(allow_null=True)


class ReorganisationResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    items = ReorganisationItemSerializer(many=True)


class SeatSerializer(serializers.ModelSerializer):
    position_display = serializers.CharField(source="get_position_display")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")

    class Meta:
        model = CouncilMember
        fields = ["id", "council", "user", "username", "full_name", "position", "position_display"]
        fields += ["valid_from", "valid_to"]


class AdminCouncilSerializer(serializers.ModelSerializer):
    seats = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = ["id", "issuer", "name", "seats"]

    @extend_schema_field(SeatSerializer(many=True))
    def get_seats(self, council):
        return SeatSerializer(self.context.get("seats", {}).get(council.pk, []), many=True).data


class CouncilBody(serializers.Serializer):
    issuer = serializers.IntegerField(min_value=1)
    name = serializers.CharField()


class SeatBody(serializers.Serializer):
    user = serializers.IntegerField(min_value=1)
    position = serializers.ChoiceField(choices=CouncilMember.Position.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)


class EndSeatBody(serializers.Serializer):
    last_day = serializers.DateField(help_text=_("Ngày cuối cùng giữ ghế."))
    reason = serializers.CharField(required=False, allow_blank=True)
