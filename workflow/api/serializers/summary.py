"""The campaign summary (tổng kết): counts proposed and awarded, by group."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The summary's groups and the column each is counted by (nominations.selectors.campaign_summary).
GROUPS = {
    "by_unit": "submission__unit__name",
    "by_award": "award_type__name",
    "by_gender": "candidate__gender",
    "by_ethnicity": "candidate__ethnicity",
    "by_direct_worker": "candidate__direct_worker",
    "by_kind": "candidate__kind",
}


class CountSerializer(serializers.Serializer):
    proposed = serializers.IntegerField(help_text=_("Số đề nghị."))
    awarded = serializers.IntegerField(help_text=_("Số được khen thưởng."))


class GroupCountSerializer(CountSerializer):
    label = serializers.CharField(allow_null=True, help_text=_("Giá trị của nhóm (tên đơn vị, hình thức, …)."))


class PrizeRowSerializer(serializers.Serializer):
    award_type = serializers.CharField(source="award_type__name")
    kind = serializers.CharField(source="candidate__kind")
    kind_label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Số khen thưởng còn hiệu lực."))
    amount = serializers.IntegerField(help_text=_("Tổng tiền thưởng (đồng)."))


class PrizesSerializer(serializers.Serializer):
    rows = PrizeRowSerializer(many=True)
    count = serializers.IntegerField()
    amount = serializers.IntegerField(help_text=_("Tổng tiền thưởng của các khen thưởng còn hiệu lực (đồng)."))


class TargetLineSerializer(serializers.Serializer):
    target = serializers.CharField()
    unit_of_measure = serializers.CharField()
    units = serializers.IntegerField()
    done = serializers.IntegerField()
    on_track = serializers.IntegerField()
    behind = serializers.IntegerField()


class CampaignSummarySerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    totals = CountSerializer()
    by_unit = GroupCountSerializer(many=True)
    by_award = GroupCountSerializer(many=True)
    by_gender = GroupCountSerializer(many=True)
    by_ethnicity = GroupCountSerializer(many=True)
    by_direct_worker = GroupCountSerializer(many=True)
    by_kind = GroupCountSerializer(many=True)
    prizes = PrizesSerializer()
    targets = TargetLineSerializer(many=True)


def _rows(rows, column) -> list[dict]:
    return [{"label": row[column], "proposed": row["proposed"], "awarded": row["awarded"]} for row in rows]


def summary_data(campaign, summary: dict) -> dict:
    """``campaign_summary``'s rows, each with its group's value under ``label``."""
    groups = {group: _rows(summary[group], column) for group, column in GROUPS.items()}
    return {"campaign": campaign.pk, "totals": summary["totals"], **groups}
