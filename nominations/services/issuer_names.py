"""How the issuer and its bodies are named in a document, from the org unit data as it was on the document's date.

Nothing here names a city: the issuer's name (``OrgUnit.name_on``, so a renamed unit's old documents keep the old
name), the place (địa danh) made from it, the People's Committee's office and chairman, and the heads of the
standing body (the council secretary's unit: Phòng Nội vụ of a city, Sở Nội vụ of a province, …) and of the
finance office, both read from the units under the issuer.
"""

import datetime
from dataclasses import dataclass

from ..documents.naming import head_title, lower_first, place_name, unit_type
from ..models import Membership, OrgUnit, Role

STANDING_BODY = "Cơ quan Thường trực Hội đồng Thi đua – Khen thưởng"


@dataclass(frozen=True)
class IssuerNames:
    name: str  # "Phường Hòa Khánh", as on the day
    place: str  # "Hòa Khánh"
    kind: str  # "phường": how the issuer's own documents say "of this unit"
    standing_body: OrgUnit | None  # the council's standing body (cơ quan thường trực), when the data has it
    finance: OrgUnit | None  # the finance office under the issuer, when the data has one

    @property
    def header(self) -> str:
        return self.name.upper()

    @property
    def committee(self) -> str:
        """ "Ủy ban nhân dân phường Hòa Khánh"."""
        return f"Ủy ban nhân dân {lower_first(self.name)}"

    @property
    def authority(self) -> str:
        """ "Chủ tịch Ủy ban nhân dân phường Hòa Khánh"."""
        return f"Chủ tịch {self.committee}"

    @property
    def proposer(self) -> str:
        """Whose proposal the decision answers: "Giám đốc Sở Nội vụ (Cơ quan Thường trực …)"."""
        if self.standing_body is None:
            return STANDING_BODY
        return f"{head_title(self.standing_body.name)} ({STANDING_BODY})"

    @property
    def leaders(self) -> str:
        """The Nơi nhận line of the committee's leaders: "CT, các PCT UBND phường"."""
        return f"CT, các PCT UBND {self.kind}"

    @property
    def executors(self) -> list[str]:
        """Who carries the decision out, before "… có tên tại Điều 1"."""
        heads = [f"Chánh Văn phòng HĐND và UBND {self.kind}"]
        heads += [head_title(unit.name) for unit in (self.standing_body, self.finance) if unit is not None]
        return heads


def _under(issuer: OrgUnit, day: datetime.date):
    return issuer.children.filter(valid_from__lte=day).exclude(valid_to__lt=day).order_by("pk")


def standing_body_of(issuer: OrgUnit, day: datetime.date, unit: OrgUnit | None = None) -> OrgUnit | None:
    """The standing body: ``unit`` (the Tờ trình's) when it is under the issuer, else the unit under the issuer
    where a council secretary sits that day."""
    if unit is not None and unit.pk != issuer.pk:
        return unit
    seat = (
        Membership.objects.filter(role=Role.COUNCIL_SECRETARY, unit__parent=issuer, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    return seat.unit if seat else None


def issuer_names(issuer: OrgUnit, day: datetime.date, *, standing: OrgUnit | None = None) -> IssuerNames:
    name = issuer.name_on(day)
    finance = _under(issuer, day).filter(kind=OrgUnit.Kind.AGENCY, name__contains="Tài chính").first()
    return IssuerNames(
        name=name,
        place=place_name(name),
        kind=unit_type(name).lower() or lower_first(name),
        standing_body=standing_body_of(issuer, day, standing),
        finance=finance,
    )
