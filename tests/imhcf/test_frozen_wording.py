"""Frozen means frozen: snapshots and dossiers keep their words, and the published
version takes editorial edits only, judged as the carry-over of ratings judges them."""

import pytest

from imhcf import services
from imhcf.errors import FrameworkError
from imhcf.models import FrameworkVersion, Statement, WordingRevision
from imhcf.selectors import version_publish_changes
from imhcf.wording import wording_as_of
from selfassess import services as assess
from selfassess.models import Assessment
from tests.register.helpers import submit
from tests.selfassess.conftest import make_profile, rate

EDITORIAL = WordingRevision.Kind.EDITORIAL
SUBSTANTIVE = WordingRevision.Kind.SUBSTANTIVE


def _statement(version, code="1.02", level=1) -> Statement:
    return Statement.objects.select_related("competency__domain").get(
        competency__domain__version=version, competency__code=code, level=level
    )


def _complete(user, values):
    current = Assessment.objects.get(user=user, status="in_progress")
    rate(current, values)
    return assess.assessment_complete(assessment=current, target_level=1)


# --- The published version: editorial edits only ---------------------------------------


def test_editorial_edit_that_only_changes_case_and_punctuation_is_saved(framework, admin_user):
    statement = _statement(framework)
    revisions = services.wording_update(
        obj=statement,
        changes={"text": statement.text.upper().rstrip(".") + "!"},
        user=admin_user,
        kind=EDITORIAL,
    )
    assert [r.kind for r in revisions] == [EDITORIAL]


def test_editorial_edit_that_changes_the_words_is_refused(framework, admin_user):
    statement = _statement(framework)
    before = statement.text
    with pytest.raises(FrameworkError, match="not an editorial change"):
        services.wording_update(
            obj=statement, changes={"text": before + " And more."}, user=admin_user, kind=EDITORIAL
        )
    statement.refresh_from_db()
    assert statement.text == before
    assert not WordingRevision.objects.filter(object_id=statement.pk, field="text").exists()


@pytest.mark.parametrize("kind", [SUBSTANTIVE, ""])
def test_substantive_or_unstated_edit_of_the_published_version_must_go_into_a_draft(
    framework, admin_user, kind
):
    statement = _statement(framework)
    with pytest.raises(FrameworkError, match="Start a draft version"):
        services.wording_update(
            obj=statement, changes={"text": statement.text + "!"}, user=admin_user, kind=kind
        )


def test_competency_titles_are_held_to_the_same_rule(framework, admin_user):
    competency = _statement(framework).competency
    with pytest.raises(FrameworkError, match="not an editorial change"):
        services.wording_update(
            obj=competency, changes={"title": "Something else"}, user=admin_user, kind=EDITORIAL
        )


def test_a_draft_takes_substantive_edits_and_records_their_kind(framework, admin_user):
    draft = services.version_start_draft(source=framework, name="Next", user=admin_user)
    statement = _statement(draft)
    [revision] = services.wording_update(
        obj=statement, changes={"text": "Entirely new words."}, user=admin_user, kind=SUBSTANTIVE
    )
    assert revision.kind == SUBSTANTIVE


# --- Snapshots and dossiers keep their words ----------------------------------------------


def test_snapshot_shows_the_wording_current_when_it_was_completed(
    framework, practitioner, practitioner_client, admin_user
):
    make_profile(practitioner, target_level=1)
    assess.assessment_start(user=practitioner)
    snapshot = _complete(practitioner, {("1.02", 1): "achieved"})
    statement = _statement(framework)
    original = statement.text
    services.wording_update(
        obj=statement, changes={"text": "STATEMENT 1.02, LEVEL 1"}, user=admin_user, kind=EDITORIAL
    )

    html = practitioner_client.get(f"/assessment/history/{snapshot.pk}/").content.decode()
    assert original in html
    assert "STATEMENT 1.02, LEVEL 1" not in html
    # The grid in progress shows today's wording.
    grid = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert "STATEMENT 1.02, LEVEL 1" in grid


def test_wording_as_of_reads_the_history_back_to_a_moment(framework, admin_user):
    statement = _statement(framework)
    original = statement.text
    [first] = services.wording_update(
        obj=statement, changes={"text": original.upper()}, user=admin_user, kind=EDITORIAL
    )
    services.wording_update(
        obj=statement, changes={"text": original.lower()}, user=admin_user, kind=EDITORIAL
    )
    assert wording_as_of(Statement, "text", [statement.pk], first.changed_at) == {
        statement.pk: original.upper()
    }
    before_all = first.changed_at.replace(year=first.changed_at.year - 1)
    assert wording_as_of(Statement, "text", [statement.pk], before_all) == {statement.pk: original}


def test_submitted_dossier_keeps_the_wording_it_was_submitted_with(
    framework, practitioner, practitioner_client, admin_user
):
    application = submit(practitioner, framework, level=1)
    statement = _statement(framework)
    original = statement.text
    services.wording_update(
        obj=statement, changes={"text": original.upper()}, user=admin_user, kind=EDITORIAL
    )
    html = practitioner_client.get(f"/register/applications/{application.pk}/").content.decode()
    assert original in html
    assert original.upper() not in html


# --- The publish page says what will change -------------------------------------------


def test_publish_changes_count_reworded_statements_and_the_practitioners_who_rated_them(
    framework, practitioner, other_practitioner, admin_user
):
    for user in (practitioner, other_practitioner):
        make_profile(user, target_level=1)
        assess.assessment_start(user=user)
    rate(Assessment.objects.get(user=practitioner), {("1.02", 1): "achieved"})
    draft = services.version_start_draft(source=framework, name="Next", user=admin_user)
    services.wording_update(
        obj=_statement(draft), changes={"text": "New words."}, user=admin_user, kind=SUBSTANTIVE
    )
    services.wording_update(
        obj=_statement(draft, "2.01", 2),
        changes={"text": _statement(draft, "2.01", 2).text.upper()},
        user=admin_user,
        kind=EDITORIAL,
    )
    changes = version_publish_changes(draft)
    assert [r.key for r in changes.reworded] == ["1.02/L1"]  # case alone is not rewording
    assert changes.affected == [
        "1 practitioner has rated one or more of these statements; their rating will be "
        "marked for them to check against the new wording."
    ]


def test_publish_page_summarises_the_changes(framework, admin_user, admin_client):
    draft = services.version_start_draft(source=framework, name="Next", user=admin_user)
    services.wording_update(
        obj=_statement(draft), changes={"text": "New words."}, user=admin_user, kind=SUBSTANTIVE
    )
    response = admin_client.post(
        "/admin/imhcf/frameworkversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    html = response.content.decode()
    assert "1 statement reworded in meaning" in html
    assert "New words." in html
    assert FrameworkVersion.objects.get(pk=draft.pk).status == "draft"
