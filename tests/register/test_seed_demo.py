import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import Consent
from evidence.models import EvidenceItem, EvidenceLink
from imhcf.bulk_load import without_copy
from register.models import Application, RegisterEntry
from register.seeding import seed_demo, seed_reset
from selfassess.models import Assessment, Profile, Rating
from selfassess.selectors import completion_figures
from workforce.models import Membership, PractitionerSummary
from workforce.services import summaries_refresh_all


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


def _per_person():
    """Each seeded person's rows, by e-mail address: what either way of writing must give."""
    User = get_user_model()
    people = {}
    for user in User.objects.filter(email__contains="seed.imhcf").prefetch_related(
        "self_assessments", "consents"
    ):
        people[user.email] = {
            "name": user.full_name,
            "profile": tuple(
                Profile.objects.filter(user=user).values_list("role", "region", "target_level")
            ),
            "emails": EmailAddress.objects.filter(user=user, verified=True, primary=True).count(),
            "assessments": sorted(
                (a.status, a.target_level, a.statement_count, sorted(a.highest_levels.items()))
                for a in user.self_assessments.all()
            ),
            "ratings": sorted(
                Rating.objects.filter(assessment__user=user).values_list(
                    "statement__competency__code", "statement__level", "value"
                )
            ),
            "evidence": sorted(
                EvidenceItem.objects.filter(owner=user)
                .annotate(n_links=Count("links"))
                .values_list("title", "hours", "n_links")
            ),
            "applications": sorted(
                Application.objects.filter(applicant=user)
                .annotate(statements=Count("dossier_statements"))
                .values_list("status", "statements")
            ),
            "entries": sorted(
                RegisterEntry.objects.filter(practitioner=user).values_list("status", "level")
            ),
            "memberships": sorted(
                Membership.objects.filter(user=user).values_list("role", "status")
            ),
            "consents": sorted((c.purpose, c.terms.get("cpd", "")) for c in user.consents.all()),
            "summary": tuple(
                PractitionerSummary.objects.filter(user=user).values_list(
                    "target_level", "highest_levels", "not_achieved"
                )
            ),
        }
    return people


def test_copy_and_batched_inserts_seed_the_same_people(framework):
    # On PostgreSQL the first run writes with COPY and the second with batched inserts;
    # the same seed must give the same people, row for row, whichever way they are written.
    summary = seed_demo(practitioners=24, seed=11, log=lambda _m: None)
    copied = _per_person()
    seed_reset()
    with without_copy():
        seed_demo(practitioners=24, seed=11, log=lambda _m: None)
    assert _per_person() == copied
    assert len(copied) == summary.practitioners == 24
    assert sum(len(p["ratings"]) for p in copied.values()) == summary.ratings == 24 * 189
    assert all(len(p["assessments"]) >= 1 and p["emails"] == 1 for p in copied.values())
    # One password hash, made once, for every seeded user.
    assert get_user_model().objects.values("password").distinct().count() == 1
    completed = [p for p in copied.values() if p["summary"]]
    assert len(completed) == PractitionerSummary.objects.count() > 10
    assert Consent.objects.filter(purpose=Consent.Purpose.ANONYMISED_STATISTICS).exists()


def test_seeded_summaries_are_what_the_summary_job_writes(framework):
    seed_demo(practitioners=30, seed=13, log=lambda _m: None)
    fields = ("user_id", "assessment_id", "target_level", "highest_levels", "not_achieved")
    seeded = sorted(PractitionerSummary.objects.values_list(*fields))
    assert len(seeded) > 10
    assert summaries_refresh_all() == len(seeded)
    assert sorted(PractitionerSummary.objects.values_list(*fields)) == seeded
