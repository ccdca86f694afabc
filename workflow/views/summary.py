"""The campaign summary (tổng kết) for the issuing body's staff, with an Excel export and a chart."""

from django.views import generic

from nominations.progress import target_counts
from nominations.selectors import campaign_prizes, campaign_summary
from nominations.services import downloads

from ..access import access_campaign_summary
from ..downloads import respond


class CampaignSummaryView(generic.TemplateView):
    template_name = "workflow/campaign_summary.html"

    def get_context_data(self, **kwargs):
        campaign = access_campaign_summary(self.request.user, kwargs["pk"])
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
        return super().get_context_data(
            campaign=campaign,
            summary=summary,
            bars=bars,
            prizes=campaign_prizes(campaign),
            targets=target_counts(campaign),
            statistics_year=(campaign.doc_date or campaign.period_start).year,
            **kwargs,
        )


def campaign_summary_export(request, pk):
    return respond(downloads.summary_xlsx(access_campaign_summary(request.user, pk)))
