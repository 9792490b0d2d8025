"""Versions: starting a draft, publishing it, and what each state allows."""

import threading

import pytest
from django.db import connections

from imhcf import services
from imhcf.errors import FrameworkError
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    GlossaryTerm,
    Level,
    Statement,
    WordingRevision,
)
from tests.factories import build_framework, framework_with_attunement
from tests.realservices import require_postgresql

Status = FrameworkVersion.Status


def _statements(version):
    return Statement.objects.filter(competency__domain__version=version)


@pytest.fixture
def published(db):
    return framework_with_attunement()


@pytest.fixture
def draft(published, framework_editor):
    return services.version_start_draft(source=published, name="IMHCF 2026", user=framework_editor)


# --- Starting a draft -------------------------------------------------------


def test_start_draft_copies_every_row_of_the_published_version(published, draft):
    assert draft.status == Status.DRAFT
    assert draft.based_on == published
    assert draft.core_competency_text == published.core_competency_text
    for model, path in (
        (Level, "version"),
        (Domain, "version"),
        (Competency, "domain__version"),
        (Statement, "competency__domain__version"),
        (GlossaryTerm, "version"),
    ):
        source_count = model.objects.filter(**{path: published}).count()
        assert source_count > 0
        assert model.objects.filter(**{path: draft}).count() == source_count, model.__name__
    term = GlossaryTerm.objects.get(version=draft, slug="attunement")
    assert term.all_forms == ["Attunement", "attuned", "attuning"]


def test_each_copied_statement_points_at_the_statement_it_came_from(published, draft):
    copies = _statements(draft).select_related("competency", "predecessor__competency__domain")
    source_ids = set(_statements(published).values_list("pk", flat=True))
    assert {s.predecessor_id for s in copies} == source_ids
    for statement in copies:
        assert statement.predecessor.competency.domain.version_id == published.pk
        assert statement.key == statement.predecessor.key
        assert statement.text == statement.predecessor.text


def test_starting_a_draft_leaves_the_published_version_alone(published, draft):
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert not WordingRevision.objects.exists()


def test_only_one_draft_may_exist_at_a_time(published, draft, framework_editor):
    with pytest.raises(FrameworkError, match="already a draft"):
        services.version_start_draft(source=published, name="Another", user=framework_editor)
    assert FrameworkVersion.objects.filter(status=Status.DRAFT).count() == 1


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETIRED])
def test_a_draft_can_only_be_started_from_the_published_version(db, status, framework_editor):
    source = build_framework(competencies_per_domain=1, status=status)
    with pytest.raises(FrameworkError, match="only be started from the published version"):
        services.version_start_draft(source=source, name="New", user=framework_editor)


def test_a_draft_needs_a_name_no_other_version_has(published, framework_editor):
    with pytest.raises(FrameworkError, match="already called"):
        services.version_start_draft(source=published, name="IMHCF 2025", user=framework_editor)
    assert not FrameworkVersion.objects.filter(status=Status.DRAFT).exists()


# --- Publishing -------------------------------------------------------------


def test_publishing_a_draft_retires_the_old_version(published, draft, framework_editor):
    services.version_publish(version=draft, user=framework_editor)

    published.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    assert published.status == Status.RETIRED
    assert published.retired_at == draft.published_at
    assert FrameworkVersion.objects.filter(status=Status.PUBLISHED).get() == draft


def test_an_incomplete_draft_is_refused_with_every_problem_listed(published, framework_editor):
    draft = build_framework(domains=6, competencies_per_domain=2, status=Status.DRAFT)
    _statements(draft).filter(competency__code="1.02", level=3).delete()
    _statements(draft).filter(competency__code="2.01", level=1).update(text="  ")
    Level.objects.filter(version=draft, number=2).update(audience="")

    with pytest.raises(FrameworkError) as caught:
        services.version_publish(version=draft, user=framework_editor)

    problems = "\n".join(caught.value.problems)
    assert "domains 1 to 7" in problems
    assert "Competency 1.02 has no statement at level 3." in problems
    assert "level 1 statement of competency 2.01 is empty" in problems
    assert "Level 2" in problems and "who it is for" in problems
    assert len(caught.value.problems) == 4
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Status.DRAFT, Status.PUBLISHED)


def test_a_complete_draft_has_no_publish_problems(draft):
    assert services.version_publish_problems(draft) == []


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.RETIRED])
def test_only_a_draft_can_be_published(db, status, framework_editor):
    version = build_framework(competencies_per_domain=1, status=status)
    with pytest.raises(FrameworkError, match="Only a draft can be published"):
        services.version_publish(version=version, user=framework_editor)
    version.refresh_from_db()
    assert version.status == status


def test_discarding_a_draft_removes_it_and_frees_the_way_for_another(
    published, draft, framework_editor
):
    services.version_discard(version=draft, user=framework_editor)
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()
    assert _statements(published).count() == 7 * 2 * 3
    services.version_start_draft(source=published, name="Second try", user=framework_editor)


def test_the_published_version_cannot_be_discarded(published, framework_editor):
    with pytest.raises(FrameworkError, match="Only a draft can be discarded"):
        services.version_discard(version=published, user=framework_editor)


# --- Structure in each state -------------------------------------------------


def test_a_draft_takes_new_competencies_and_statements(draft, framework_editor):
    domain = Domain.objects.get(version=draft, number=3)
    competency = services.competency_create(
        domain=domain, code="3.03", title="Noticing fatigue", user=framework_editor
    )
    statement = services.statement_create(
        competency=competency, level=1, text="Knows how tiredness shows.", user=framework_editor
    )
    assert competency.order == 3
    assert statement.predecessor is None
    assert WordingRevision.objects.filter(object_id=statement.pk, field="text").get().before == ""
    draft.refresh_from_db()
    assert draft.content_revision > 1
    # Two levels still missing: publishing says so.
    assert "Competency 3.03 has no statement at level 2." in services.version_publish_problems(
        draft
    )


def test_a_draft_can_lose_a_statement_or_competency(draft, framework_editor):
    competency = Competency.objects.get(domain__version=draft, code="4.01")
    services.statement_delete(statement=competency.statements.get(level=2), user=framework_editor)
    assert competency.statements.count() == 2
    services.competency_delete(competency=competency, user=framework_editor)
    assert not Competency.objects.filter(pk=competency.pk).exists()


def test_the_structure_of_the_published_version_is_fixed(published, framework_editor):
    domain = Domain.objects.get(version=published, number=1)
    competency = Competency.objects.get(domain=domain, code="1.01")
    with pytest.raises(FrameworkError, match="only be added to a draft"):
        services.competency_create(domain=domain, code="1.09", title="New", user=framework_editor)
    with pytest.raises(FrameworkError, match="only be removed from a draft"):
        services.statement_delete(statement=competency.statements.first(), user=framework_editor)
    with pytest.raises(FrameworkError, match="only be removed from a draft"):
        services.competency_delete(competency=competency, user=framework_editor)
    competency.statements.filter(level=3).delete()  # set up a gap, bypassing the services
    with pytest.raises(FrameworkError, match="only be added to a draft"):
        services.statement_create(
            competency=competency, level=3, text="Leads.", user=framework_editor
        )


def test_the_published_version_takes_new_glossary_terms_but_a_retired_one_does_not(
    published, framework_editor
):
    services.glossary_term_create(
        version=published,
        term="Marked mirroring",
        slug="marked-mirroring",
        definition="Reflecting the baby's feeling back, visibly as the parent's take on it.",
        user=framework_editor,
    )
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    with pytest.raises(FrameworkError, match="retired"):
        services.glossary_term_create(
            version=retired, term="X", slug="x", definition="Y.", user=framework_editor
        )


def test_nothing_in_a_retired_version_can_change(db, framework_editor):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    statement = _statements(retired).first()
    with pytest.raises(FrameworkError, match="retired"):
        services.wording_update(obj=statement, changes={"text": "New"}, user=framework_editor)
    with pytest.raises(FrameworkError, match="retired"):
        services.statement_delete(statement=statement, user=framework_editor)


# --- Two publishes at once (PostgreSQL row locks) ----------------------------


def _publish_both_at_once(monkeypatch, drafts) -> dict:
    """Publish each draft in its own thread and connection, both past their checks together."""
    real_problems = services.versions.version_publish_problems
    barrier = threading.Barrier(len(drafts), timeout=20)

    def problems_then_wait(version):
        # Each thread holds its own draft's lock here; waiting for the other
        # guarantees both read "what is published now" before either commits.
        result = real_problems(version)
        barrier.wait()
        return result

    monkeypatch.setattr(services.versions, "version_publish_problems", problems_then_wait)
    outcomes: dict = {}

    def publish(draft):
        try:
            services.version_publish(version=draft, user=None)
            outcomes[draft.pk] = "published"
        except FrameworkError as exc:
            outcomes[draft.pk] = exc
        except Exception as exc:  # An unexpected error is reported by the assertion below.
            outcomes[draft.pk] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a publish never finished: deadlock?"
    return outcomes


def _assert_one_winner(outcomes, drafts):
    winners = [pk for pk, outcome in outcomes.items() if outcome == "published"]
    losers = [outcome for outcome in outcomes.values() if outcome != "published"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], FrameworkError), outcomes
    assert "at the same moment" in str(losers[0])
    published = FrameworkVersion.objects.get(status=Status.PUBLISHED)
    assert published.pk == winners[0]
    loser = next(d for d in drafts if d.pk != winners[0])
    loser.refresh_from_db()
    assert loser.status == Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_drafts_published_at_once_leave_exactly_one_published(monkeypatch):
    # SQLite has no row locks; the locking is what is under test.
    require_postgresql()
    old = build_framework(competencies_per_domain=1, name="Old")
    drafts = [
        build_framework(competencies_per_domain=1, status=Status.DRAFT, name=f"Draft {n}")
        for n in (1, 2)
    ]

    outcomes = _publish_both_at_once(monkeypatch, drafts)

    _assert_one_winner(outcomes, drafts)
    old.refresh_from_db()
    assert old.status == Status.RETIRED


@pytest.mark.django_db(transaction=True)
def test_first_publish_race_is_settled_by_the_unique_constraint(monkeypatch):
    # SQLite has no row locks; the locking is what is under test.
    require_postgresql()
    drafts = [
        build_framework(competencies_per_domain=1, status=Status.DRAFT, name=f"Draft {n}")
        for n in (1, 2)
    ]

    outcomes = _publish_both_at_once(monkeypatch, drafts)

    _assert_one_winner(outcomes, drafts)
