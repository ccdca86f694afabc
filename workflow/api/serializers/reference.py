"""Read-only reference data: campaigns, the organisation tree, award types and their rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nominations.models import AwardRuleSet, AwardType, Campaign, CampaignAward, ContentArea, OrgUnit
from nominations.selectors import NoRuleInForce, rule_set_on


class ContentAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentArea
        fields = ["number", "title", "body"]


class OfferSerializer(serializers.ModelSerializer):
    award_type = serializers.PrimaryKeyRelatedField(read_only=True)
    award_code = serializers.CharField(source="award_type.code", read_only=True)
    award_name = serializers.CharField(source="award_type.name", read_only=True)

    class Meta:
        model = CampaignAward
        fields = ["award_type", "award_code", "award_name", "default_quota"]


class CampaignSerializer(serializers.ModelSerializer):
    content_areas = ContentAreaSerializer(many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "title",
            "issuer",
            "status",
            "theme",
            "goal",
            "legal_basis",
            "doc_number",
            "doc_date",
            "doc_signer",
            "doc_signer_title",
            "period_start",
            "period_end",
            "nomination_deadline",
            "ceremony_date",
            "content_areas",
            "offers",
        ]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = [
            "id", "code", "name", "short_name", "kind", "level", "parent", "path",
            "valid_from", "valid_to", "successor",
        ]  # fmt: skip


class RuleSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardRuleSet
        exclude = ["award_type"]


class AwardTypeSerializer(serializers.ModelSerializer):
    rule_sets = RuleSetSerializer(many=True, read_only=True)
    rule_in_force = serializers.SerializerMethodField()

    class Meta:
        model = AwardType
        fields = ["id", "code", "name", "form", "description", "rule_sets", "rule_in_force"]

    @extend_schema_field(RuleSetSerializer(allow_null=True))
    def get_rule_in_force(self, award_type):
        """The rule set in force on the request's ``on`` date (null when none)."""
        try:
            rule = rule_set_on(award_type, self.context["on"])
        except NoRuleInForce:
            return None
        return RuleSetSerializer(rule).data
