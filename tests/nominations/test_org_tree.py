import datetime

import pytest
from django.core.exceptions import ValidationError

from nominations.models import OrgUnit
from nominations.selectors import successor_on, units_valid_on

D = datetime.date


def test_descendants_at_any_depth(demo):
    city = OrgUnit.objects.get(code="tp-ls")
    codes = set(city.descendants().values_list("code", flat=True))
    assert {"p-vinh-trai", "tp-ls-noi-vu", "p-vinh-trai-khoi-5"} <= codes
    assert "tp-ls" not in codes and "ls" not in codes and "p-ky-lua" not in codes


def test_reparenting_moves_the_subtree(demo):
    ward = OrgUnit.objects.get(code="p-vinh-trai")
    ward.parent = OrgUnit.objects.get(code="ls")
    ward.save()
    group = OrgUnit.objects.get(code="p-vinh-trai-khoi-5")
    assert group.path == "ls/p-vinh-trai/p-vinh-trai-khoi-5/"
    assert group in OrgUnit.objects.get(code="ls").descendants()


def test_units_valid_on_a_date(demo):
    in_2024 = set(units_valid_on(D(2024, 10, 1)).values_list("code", flat=True))
    in_2026 = set(units_valid_on(D(2026, 1, 1)).values_list("code", flat=True))
    assert "p-vinh-trai" in in_2024 and "p-ky-lua" not in in_2024
    assert "p-vinh-trai" not in in_2026 and "p-ky-lua" in in_2026
    assert "ls" in in_2024 and "ls" in in_2026


def test_successor_of_merged_ward(demo):
    old = OrgUnit.objects.get(code="p-vinh-trai")
    assert successor_on(old, D(2024, 10, 1)) == old
    assert successor_on(old, D(2026, 1, 1)).code == "p-ky-lua"
    # History keeps the name at the time: the old row is untouched.
    assert OrgUnit.objects.get(code="p-vinh-trai").name == "Phường Vĩnh Trại"


def test_invalid_unit_dates_are_refused(demo):
    unit = OrgUnit(code="x", name="X", kind="ward", level=3, valid_from=D(2025, 1, 1), valid_to=D(2024, 1, 1))
    with pytest.raises(ValidationError) as err:
        unit.full_clean()
    assert "Ngày hết hiệu lực phải sau" in str(err.value)
