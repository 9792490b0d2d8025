import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from evidence.models import EvidenceLink
from register.models import Application, RegisterEntry
from register.seeding import seed_demo, seed_reset
from selfassess.models import Assessment, Rating
from selfassess.selectors import completion_figures


@pytest.fixture
def framework(shipped_framework):
    return shipped_framework


def _names():
    return list(
        get_user_model()
        .objects.filter(email__contains="seed.imhcf")
        .order_by("email")
        .values_list("email", "full_name")
    )


def test_seed_creates_every_kind_of_row(framework):
    summary = seed_demo(practitioners=45, seed=7, log=lambda _m: None)
    assert summary.practitioners == 45
    assert summary.ratings == 45 * 189
    assert Rating.objects.filter(value=Rating.Value.ACHIEVED).exists()
    assert Rating.objects.filter(value=Rating.Value.NOT_STARTED).exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "in_review", "approved", "rejected", "withdrawn"} <= statuses
    assert RegisterEntry.objects.filter(status="active").exists()


def test_same_seed_same_data_and_no_double_load(framework):
    seed_demo(practitioners=10, seed=3, log=lambda _m: None)
    first = _names()
    with pytest.raises(ValueError, match="already been loaded"):
        seed_demo(practitioners=10, seed=3, log=lambda _m: None)
    seed_reset()
    assert _names() == []
    seed_demo(practitioners=10, seed=3, log=lambda _m: None)
    assert _names() == first


def test_command_refuses_nonsense(framework):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--practitioners", "0")


def test_bulk_written_rows_take_their_fields_defaults(framework):
    summary = seed_demo(practitioners=12, seed=5, log=lambda _m: None)
    fresh = Rating.objects.filter(revision=0, needs_review=False, note="", previous_text="")
    assert fresh.count() == summary.ratings
    assert not EvidenceLink.objects.filter(created_at__isnull=True).exists()
    assert EvidenceLink.objects.count() == summary.evidence_items * 3


def test_seeded_snapshots_carry_the_figures_their_own_ratings_give(framework):
    seed_demo(practitioners=30, seed=9, log=lambda _m: None)
    # Earlier snapshots carry headline levels only; the latest were frozen from ratings.
    frozen = Assessment.objects.filter(status=Assessment.Status.COMPLETED, statement_count__gt=0)
    assert frozen.count() > 10
    for assessment in frozen:
        figures = completion_figures(assessment, assessment.target_level)
        figures.pop("needs_review")
        assert {name: getattr(assessment, name) for name in figures} == figures
