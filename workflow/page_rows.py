"""Long tables of our pages written out in Python, one string per row (issue 18).

A decision of 270 awardees rendered through the template cost a dozen tag and filter calls per row (the
amount's format, a URL lookup, translations); here the rows come from one query of plain values, each word is
translated once, and the template prints the strings in one loop.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from nominations.documents.money import format_vnd


def decision_rows(decision, *, show_certificates: bool) -> list:
    """The rows of workflow/_decision.html's table: number, awardee, unit, prize, a struck note or the
    certificate's verification link."""
    struck_word = escape(gettext("Gạch tên"))
    verify_word = escape(gettext("Xác thực giấy khen"))
    verify_url = reverse("verify", args=["00000000-0000-0000-0000-000000000000"]).replace(
        "00000000-0000-0000-0000-000000000000", "{}"
    )
    values = decision.items.values_list(
        "nomination__candidate__name",
        "nomination__submission__unit__name",
        "prize_amount",
        "struck",
        "strike_reason",
        "certificate__code",
        "certificate__generated_at",
    )
    rows = []
    for number, (candidate, unit, prize, struck, reason, code, generated_at) in enumerate(values, start=1):
        if struck:
            note = f'<span class="thidua-warning">{struck_word}: {escape(reason)}</span>'
        elif show_certificates and code and generated_at:
            note = f'<a href="{verify_url.format(code)}" target="_blank" rel="noopener">{verify_word}</a>'
        else:
            note = ""
        amount = format_vnd(int(prize or 0)).replace(" đồng", "")
        rows.append(
            mark_safe(  # noqa: S308 -- names and reasons escaped, the rest our own words, numbers and a uuid
                f"<tr><td>{number}</td><td>{escape(candidate)}</td><td>{escape(unit)}</td><td>{amount}</td>"
                f"<td>{note}</td></tr>"
            )
        )
    return rows
