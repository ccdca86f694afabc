"""Issue 13: an award is decided only by the issuer level its rule set in force names (AwardRuleSet.authority_level).

A draft or a signature by an issuer of another level is refused in Vietnamese and writes nothing (the nomination's
refusal: tests/api/test_admin_award_rules.py, on the demo).
"""

import pytest
from django.core.exceptions import ValidationError

from nominations.models import AwardRuleSet, Decision, DecisionItem
from nominations.services import decisions
from workflow.models import AuditEvent

from .test_decisions import (
    draft,
    setup,  # noqa: F401  (the fixture)
)


def test_a_decision_of_an_award_of_another_level_is_refused_and_nothing_written(setup):  # noqa: F811
    # The city (district level) drafting an award that a commune's chairman decides.
    AwardRuleSet.objects.filter(award_type=setup["noms"][0].award_type).update(authority_level=3)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        draft(setup)
    assert "cấp xã quyết định" in refused.value.messages[0] and "không có thẩm quyền" in refused.value.messages[0]
    assert not Decision.objects.exists() and not DecisionItem.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_draft_signed_after_the_rules_changed_level_is_refused(setup):  # noqa: F811
    decision = draft(setup)
    AwardRuleSet.objects.filter(award_type=decision.award_type).update(authority_level=1)
    with pytest.raises(ValidationError) as refused:
        decisions.decision_sign(decision=decision, actor=setup["chairman"], password="mat-khau-ky-2024")
    assert "cấp tỉnh quyết định" in refused.value.messages[0]
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT and decision.number is None
