"""The council flow's step pages: template and context only (what they do is in workflow.steps.council)."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nominations.models import AgendaItem, BallotCast, CouncilSession
from nominations.services.ballot_details import ballot_details, threshold
from nominations.services.council import ballot_items, undecided_items

from ..steps.council import member_ref
from .base import StepView

RECEIPT_TAG = "ballot-receipt"
BALLOT_CACHE_SECONDS = 60


class OpenSessionView(StepView):
    template_name = "workflow/start_form.html"
    success_message = _("Đã mở phiên họp {process}.")


class CouncilStepView(StepView):
    template_name = "workflow/council_task.html"

    @property
    def session(self) -> CouncilSession:
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        key = panel_key(self.activation.process)
        panel = {"panel_key": key, "panel_seconds": PANEL_CACHE_SECONDS, "head_key": head_key(key, self.activation)}
        return super().get_context_data(session=self.session, **panel, **kwargs)


PANEL_CACHE_SECONDS = 60


def panel_key(process) -> str:
    """What the side panel of a council step shows (viewflow's process panel: the process's state and dates, the
    session's fields), as a digest of the rows it is read from: the panel's HTML is kept under it for a minute
    (issue 18: a quarter of the ballot page's template time, three rows read per page). A change of the process
    or of any of the session's own columns gives another key at once; the names it shows through them (council,
    campaign, opener) follow within the minute, as the ballot's items do (``VoteView.ballot_block``)."""
    session = process.artifact
    values = [process.pk, process.status, process.finished, get_language()]
    values += [field.value_from_object(session) for field in session._meta.concrete_fields]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def head_key(panel, activation) -> str:
    """What the head of a council step's page shows (the task's deadline, the session's title, council, date,
    place, round and kind): the panel's digest (the process and every column of the session) with the task, its
    status and today's date. Its HTML is kept under it as the panel's (s26ballot: a ballot page read the council
    and the deadline's issuer level, rules and calendar, four statements, on every page). A change of the session
    or the task shows at once; a deadline rule, a holiday or a name edited elsewhere within the minute."""
    task = activation.task
    return f"{panel}:{task.pk}:{task.status}:{timezone.localdate().isoformat()}"


_BALLOT_ITEM = (
    '<fieldset class="thidua-ballot"{described}><legend>{label}</legend>{detail}'
    '<label><input type="radio" name="{name}" value="agree" required{agree}> {t_agree}</label>'
    '<label><input type="radio" name="{name}" value="disagree" required{disagree}> {t_disagree}</label>'
    '<label><input type="radio" name="{name}" value="abstain" required{abstain}> {t_abstain}</label>'
    "{errors}</fieldset>"
)
_BALLOT_DETAIL = (
    '<dl class="thidua-ballot__detail"><dt>{t_award}</dt><dd>{award_type}</dd><dt>{t_candidate}</dt>'
    "<dd>{candidate}</dd><dt>{t_unit}</dt><dd>{unit}</dd><dt>{t_achievement}</dt><dd>{achievement}</dd>"
    "<dt>{t_appraisal}</dt><dd>{appraisal}</dd><dt>{t_files}</dt><dd>{files}</dd></dl>"
    '<p><a href="{recusal}" data-turbo="false">{t_recusal}</a></p>'
)


def ballot_html(form, details) -> list:
    """The ballot's items as HTML, one string per item (issue 18): a 500-item ballot rendered through template
    tags cost ~250 ms (a dozen tags and translations per item); here each label is translated once, each
    value escaped once, and the template prints the strings in one loop. Same markup as before."""
    words = {
        "t_award": _("Hình thức"),
        "t_candidate": _("Đối tượng"),
        "t_unit": _("Đơn vị"),
        "t_achievement": _("Tóm tắt thành tích"),
        "t_appraisal": _("Ý kiến thẩm định"),
        "t_files": _("Tài liệu"),
        "t_recusal": _("Không tham gia biểu quyết nội dung này"),
    }
    words = {key: escape(str(value)) for key, value in words.items()}
    choice = {f"t_{value}": escape(str(label)) for value, label in form.choice_labels.items()}
    kinds = {}  # a file kind's label (lazy), translated and escaped once
    attachment_url = reverse("dossiers:attachment", args=[0]).replace("/0/", "/{}/")
    recusal_url = reverse("sessions:recusal", args=[0]).replace("/0/", "/{}/")
    html = []
    for (name, label, value, errors), detail in zip(form.rows(), details, strict=True):
        detail_html = ""
        if detail:
            files = "; ".join(
                f'<a href="{attachment_url.format(pk)}" data-turbo="false">{escape(file_name)}</a> '
                f"<small>({kinds.get(kind) or kinds.setdefault(kind, escape(str(kind)))})</small>"
                for pk, file_name, kind in detail.files
            )
            appraisal = escape(detail.appraisal or "—")
            if detail.appraised_by:
                appraisal += f" ({escape(detail.appraised_by)})"
            detail_html = _BALLOT_DETAIL.format(
                award_type=escape(detail.award_type),
                candidate=escape(detail.candidate),
                unit=escape(detail.unit),
                achievement=linebreaksbr(detail.achievement, autoescape=True),
                appraisal=appraisal,
                files=files or "—",
                recusal=recusal_url.format(detail.pk),
                **words,
            )
        html.append(
            mark_safe(  # noqa: S308 -- every value above is escaped
                _BALLOT_ITEM.format(
                    described=f' aria-describedby="{name}_errors"' if errors else "",
                    label=escape(str(label)),
                    detail=detail_html,
                    name=name,
                    agree=" checked" if value == "agree" else "",
                    disagree=" checked" if value == "disagree" else "",
                    abstain=" checked" if value == "abstain" else "",
                    errors=(
                        f'<div class="errorlist" id="{name}_errors">{"".join(f"{escape(e)} " for e in errors)}</div>'
                        if errors
                        else ""
                    ),
                    **choice,
                )
            )
        )
    return html


class VoteView(CouncilStepView):
    def ballot_block(self, form, member) -> str:
        """The items' HTML, one string. An empty ballot is the same for every member with the same items in a
        round: it is kept in the cache for a minute (what a council member reads on an item does not change while
        the council votes; 500 items cost ~150 ms to read and write out), keyed by the items' ids (read by the
        form already: no row of the agenda is read on a hit) with the rule the votes are counted by."""
        if form.is_bound:  # sent back with its choices or errors: this member's own
            rows = ballot_html(form, ballot_details(ballot_items(self.session, member)))
            return mark_safe("".join(rows)), threshold(self.session)  # noqa: S308 -- escaped by ballot_html
        items = hashlib.sha256(",".join(map(str, form.item_ids)).encode()).hexdigest()[:32]
        key = f"thidua:ballot:{self.session.pk}:{self.session.round}:{get_language()}:{items}"
        kept = cache.get(key)
        if kept is None:
            rows = ballot_html(form, ballot_details(ballot_items(self.session, member)))
            rule = threshold(self.session)
            kept = ("".join(rows), {name: rule[name] for name in ("vote_threshold", "base", "quorum")})
            cache.set(key, kept, BALLOT_CACHE_SECONDS)
        return mark_safe(kept[0]), kept[1]  # noqa: S308 -- escaped by ballot_html before it was kept

    def get_context_data(self, **kwargs):
        # The member's id is all the page needs (the items, the recusals): its row is not read (s26ballot).
        member = member_ref(self.activation)
        recused = AgendaItem.objects.filter(session=self.session, recusals__member=member)
        # Built once: FormMixin would build a second one (the items' ids read again) if it were not passed on.
        form = kwargs["form"] = kwargs.get("form") or self.get_form()
        # The form's rows and what the council reads about each item, side by side, in agenda order.
        block, rule = self.ballot_block(form, member)
        return super().get_context_data(
            ballot=True,
            recused=recused.values_list("number", flat=True),
            member=member,
            ballot_block=block,
            threshold=rule,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """ "Tán thành tất cả" fills every item with "agree" and shows the ballot again, not yet sent: the member
        reads what she is about to send and sends it (or changes an item) with the ballot's own button."""
        if "agree_all" not in request.POST:
            return super().post(request, *args, **kwargs)
        form_kwargs = self.get_form_kwargs()
        form_kwargs["data"] = {f"item_{row.pk}": "agree" for row in form_kwargs["items"]}
        form = self.get_form_class()(**form_kwargs)
        return self.render_to_response(self.get_context_data(form=form, agree_all=len(form.items)))

    def done(self, result):
        # The code goes to this voter's browser only (a message: the signed messages cookie), shown once by
        # the receipt page; it is never stored with the voter's name.
        messages.info(self.request, result["receipt"], extra_tags=RECEIPT_TAG)

    def get_success_url(self):
        # The session's id only: a ballot sent reads the session's row once, in the service, under its lock.
        return reverse("sessions:receipt", args=[self.activation.process.artifact_object_id])


class CloseVotingView(CouncilStepView):
    """Closing early, after a confirmation that names the present members who have not voted yet."""

    def get_context_data(self, **kwargs):
        session = self.session
        voted = BallotCast.objects.filter(session=session, round=session.round, written=False).values("member")
        present = session.attendance.filter(present=True).select_related("member__user").order_by("member__pk")
        return super().get_context_data(
            closing=True,
            voted=voted.count(),
            present=len(present),
            not_voted=[a.member for a in present.exclude(member__in=voted)],
            **kwargs,
        )


class SecondRoundView(CouncilStepView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(undecided=undecided_items(self.session), **kwargs)
