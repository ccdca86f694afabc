"""``compiled.bound_rows`` / ``bound_instances``: a statement compiled once for stand-in values, then run with
the real ones. Each call equals the ORM's own answer for its values (another dossier, another day), reads the rows
as they are now, and a statement where a stand-in does not reach the parameters is refused, not run."""

import datetime

import pytest
from django.db import transaction

from nominations import compiled
from nominations.models import Nomination, Submission
from nominations.services import review

from .services.world import build, dossier


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build()


def names_on(submission_id, day):
    return (
        Nomination.objects.filter(submission_id=submission_id, submission__created_at__date__lte=day)
        .order_by("pk")
        .values_list("pk", "candidate__name")
    )


def test_rows_follow_the_values_of_each_call_not_the_first(world):
    first, _noms = dossier(world, "Nguyễn Thị Lan", "Trần Văn Bình")
    second, _noms = dossier(world, "Lê Thị Hoa")
    today = datetime.date.today()

    def read(submission, day):
        key = ("test-bound-names",)
        stand_ins = (compiled.STAND_IN_ID, compiled.STAND_IN_DAY)
        return compiled.bound_rows(key, names_on, (submission.pk, day), stand_ins)

    for submission in (first, second, first):
        assert read(submission, today) == list(names_on(submission.pk, today))
    assert len(read(first, today)) == 2 and read(first, today - datetime.timedelta(days=400)) == []
    Nomination.objects.filter(submission=second).update(submission=first)  # a write shows at once
    assert len(read(first, today)) == 3 and read(second, today) == []


def test_the_locked_dossier_is_the_orms_with_its_related_rows(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    with transaction.atomic():
        for related in (review.AFTER_ANY_STEP, ("unit",), ()):
            found = review._locked(submission.pk, related=related)
            expected = Submission.objects.select_related(*related).get(pk=submission.pk)
            for field in Submission._meta.concrete_fields:
                assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
            for path in related:
                found_row, expected_row = found, expected
                for name in path.split("__"):
                    found_row, expected_row = getattr(found_row, name), getattr(expected_row, name)
                assert found_row == expected_row and found_row.__dict__.keys() == expected_row.__dict__.keys()
        with pytest.raises(Submission.DoesNotExist):
            review._locked(submission.pk + 999)


def test_a_stand_in_that_does_not_reach_the_parameters_is_refused(world):
    ignores_its_value = lambda pk: Submission.objects.filter(pk__gt=0).values_list("pk")  # noqa: E731
    with pytest.raises(RuntimeError):
        compiled.bound_rows(("test-bound-ignored",), ignores_its_value, (1,), (compiled.STAND_IN_ID,))
    inlined = lambda pk: Submission.objects.extra(where=[f"id = {pk}"]).values_list("pk")  # noqa: E731
    with pytest.raises(RuntimeError):
        compiled.bound_rows(("test-bound-inlined",), inlined, (1,), (compiled.STAND_IN_ID,))
