"""A campaign is launched: the clerks and heads of the units concerned are told, in the app and by e-mail."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nominations.models import Campaign

from .models import Notification
from .recipients import campaign_audience
from .services import notify_many


@translation.override("vi")
def campaign_launched(campaign_id: int) -> int:
    """Tell each person concerned once (a redelivered job finds the keys taken); returns how many were written.

    A campaign no longer launched when the job runs (cancelled in the meantime) tells no one."""
    campaign = Campaign.objects.select_related("issuer").filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.LAUNCHED:
        return 0
    title = _("Phong trào thi đua mới: %(c)s") % {"c": campaign.title}
    body = "\n".join(
        [
            _("%(issuer)s phát động phong trào “%(c)s”.") % {"issuer": campaign.issuer, "c": campaign.title},
            _("Hạn nộp hồ sơ đề nghị khen thưởng: %(d)s.") % {"d": f"{campaign.nomination_deadline:%d/%m/%Y}"},
        ]
    )
    url = reverse("dossiers:campaign", args=[campaign.pk])
    written = notify_many(campaign_audience(campaign), kind=Notification.Kind.CAMPAIGN, title=title, body=body,
                          url=url, key=lambda user: f"campaign:{campaign.pk}:{user.pk}")  # fmt: skip
    return len(written)
