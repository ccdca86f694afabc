"""The campaign summary (tổng kết) for the issuing body's staff, with an Excel export and a chart."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import generic

from nominations.exports import campaign_summary_xlsx
from nominations.models import Campaign
from nominations.selectors import campaign_summary
from nominations.text import safe_file_name

from .. import permissions as perms


def _campaign(user, pk) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("issuer"), pk=pk)
    if not any(perms.can(user, p, campaign.issuer) for p in (perms.REVIEW, perms.RECORD_COUNCIL, perms.APPROVE)):
        raise Http404
    return campaign


class CampaignSummaryView(generic.TemplateView):
    template_name = "workflow/campaign_summary.html"

    def get_context_data(self, **kwargs):
        campaign = _campaign(self.request.user, kwargs["pk"])
        summary = campaign_summary(campaign)
        top = max([row["proposed"] for row in summary["by_unit"]] or [1])
        bars = [
            {
                "label": row["submission__unit__name"],
                "proposed": row["proposed"],
                "awarded": row["awarded"],
                "proposed_pct": 100 * row["proposed"] / top,
                "awarded_pct": 100 * row["awarded"] / top,
            }
            for row in summary["by_unit"]
        ]
        return super().get_context_data(campaign=campaign, summary=summary, bars=bars, **kwargs)


def campaign_summary_export(request, pk):
    campaign = _campaign(request.user, pk)
    response = HttpResponse(
        campaign_summary_xlsx(campaign, campaign_summary(campaign)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_file_name("tong-ket", campaign.code, ext="xlsx")}"'
    return response
