"""Pages anyone may open: certificate verification and published results."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from nominations.models import AwardRecord, Campaign
from nominations.selectors import certificate_to_verify, public_results, standing
from nominations.services.pdf_signatures import verify_decision_pdf, verify_revocation_pdf


@login_not_required
def verify_certificate(request, code):
    """What the QR code on a certificate points to: is this award real, and still standing?"""
    certificate = certificate_to_verify(code)
    if certificate is None:
        raise Http404
    decision = certificate.item.decision
    return render(
        request,
        "public/verify.html",
        {
            "certificate": certificate,
            "decision": decision,
            "nomination": certificate.item.nomination,
            # pyHanko's verdict on the decision's PDF as stored now: signed by whom and when, and untouched since.
            "signature": verify_decision_pdf(decision),
            # and on the revocation decision's PDF, once the award is revoked
            "revocation_signature": verify_revocation_pdf(decision)
            if decision.status == decision.Status.REVOKED
            else None,
        },
    )


@login_not_required
def campaign_results(request, pk):
    """The published results of a campaign: names, units and awards only."""
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(request, "public/results.html", {"campaign": campaign, "records": public_results(campaign)})


@login_not_required
def results_index(request):
    """The campaigns whose results are published (an award standing), the public pages' entry point."""
    published = AwardRecord.objects.filter(standing(AwardRecord)).values("campaign")
    campaigns = Campaign.objects.filter(pk__in=published).select_related("issuer").order_by("-period_end", "-pk")
    return render(request, "public/index.html", {"campaigns": campaigns})
