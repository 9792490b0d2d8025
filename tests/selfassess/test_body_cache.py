"""The overview's and the grid's cached bodies never outlive what they show.

Each test opens the pages first, so their bodies are in the cache
(selfassess/fragments.py), then makes one change and opens them again: the
change must show. The keys are digests of what the pages are rendered from, so
these tests pin down that every such input is part of its key.
"""

import re

import pytest
from django.template.defaultfilters import urlencode
from django.test import Client

from evidence.models import EvidenceLink
from imhcf import services as framework_services
from imhcf.models import Statement, WordingRevision
from selfassess import services
from selfassess.models import Assessment, Profile, Rating
from tests.evidence.factories import EvidenceItemFactory
from tests.selfassess.conftest import rate, rating_for

GRID = "/assessment/domains/1/"
OVERVIEW = "/assessment/"


def _open_twice(client, *urls):
    """Open each page twice: the second visit is served from the cache."""
    pages = {}
    for url in urls:
        first = client.get(url).content.decode()
        second = client.get(url).content.decode()
        assert _without_tokens(first) == _without_tokens(second)
        pages[url] = second
    return pages


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _cell(html: str, rating: Rating) -> str:
    return html.split(f'id="rf-{rating.pk}"', 1)[1].split("</form>", 1)[0]


def _statement(code: str, level: int) -> Statement:
    return Statement.objects.select_related("competency").get(competency__code=code, level=level)


def test_a_saved_rating_and_note_show_at_once(practitioner_client, assessment):
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    rating = rating_for(assessment, "1.01", 1)
    assert f'id="r-{rating.pk}-3" checked' not in _cell(before[GRID], rating)
    response = practitioner_client.post(
        f"/assessment/ratings/{rating.pk}/",
        {"value": "achieved", "note": "Seen in supervision", "revision": rating.revision},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    grid = practitioner_client.get(GRID).content.decode()
    cell = _cell(grid, rating)
    assert f'value="achieved" id="r-{rating.pk}-3" checked' in cell
    assert 'value="Seen in supervision"' in cell
    overview = practitioner_client.get(OVERVIEW).content.decode()
    assert "<strong>1 of the 42</strong>" in overview
    assert "<strong>0 of the 42</strong>" in before[OVERVIEW]


def test_a_change_written_straight_to_the_table_shows(practitioner_client, assessment):
    _open_twice(practitioner_client, GRID, OVERVIEW)
    Rating.objects.filter(assessment=assessment, statement__competency__code="1.02").update(
        value=Rating.Value.WORKING_TOWARDS, note="Bulk"
    )
    assert 'value="Bulk"' in practitioner_client.get(GRID).content.decode()
    overview = practitioner_client.get(OVERVIEW).content.decode()
    assert "and are working towards 2 more" in overview


def test_linked_evidence_shows_in_the_grid_and_the_overview(
    practitioner, practitioner_client, assessment
):
    rate(assessment, {("1.01", 1): "achieved"})
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    statement = _statement("1.01", 1)
    assert "1 statement rated Achieved has no evidence yet" in before[OVERVIEW]
    EvidenceLink.objects.create(item=EvidenceItemFactory(owner=practitioner), statement=statement)
    grid = practitioner_client.get(GRID).content.decode()
    assert "1 item" in grid.split(f'id="ev-{statement.pk}"', 1)[1].split("</p>", 1)[0]
    overview = practitioner_client.get(OVERVIEW).content.decode()
    assert "has no evidence yet" not in overview


def test_an_admins_wording_edit_shows(practitioner_client, assessment, admin_user):
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    statement = _statement("1.01", 1)
    new_text = statement.text.upper()
    assert new_text not in before[GRID] and new_text not in before[OVERVIEW]
    framework_services.wording_update(
        obj=statement,
        changes={"text": new_text},
        user=admin_user,
        kind=WordingRevision.Kind.EDITORIAL,
    )
    framework_services.wording_update(
        obj=statement.competency,
        changes={"title": statement.competency.title.upper()},
        user=admin_user,
        kind=WordingRevision.Kind.EDITORIAL,
    )
    grid = practitioner_client.get(GRID).content.decode()
    assert new_text in grid and statement.competency.title.upper() in grid
    assert new_text in practitioner_client.get(OVERVIEW).content.decode()  # in the gaps


def test_switching_language_shows_the_pages_in_welsh(practitioner, practitioner_client, assessment):
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    assert "Your rating" in before[GRID] and "Where you stand" in before[OVERVIEW]
    response = practitioner_client.post("/i18n/setlang/", {"language": "cy", "next": GRID})
    assert response.status_code == 302
    grid = practitioner_client.get(GRID).content.decode()
    assert "Eich sgôr" in grid and "Your rating" not in grid
    overview = practitioner_client.get(OVERVIEW).content.decode()
    assert "Ble rydych chi arni" in overview and "Where you stand" not in overview


def test_a_new_target_level_shows(practitioner, practitioner_client, assessment):
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    assert "Towards Level 2" in before[OVERVIEW]
    Profile.objects.filter(user=practitioner).update(target_level=1)
    assert "Towards Level 1" in practitioner_client.get(OVERVIEW).content.decode()
    assert "Showing Level 1, your target." in practitioner_client.get(GRID).content.decode()


def test_completing_shows_the_new_self_assessment_and_what_changed(
    practitioner, practitioner_client, assessment
):
    rate(assessment, {("1.01", 1): "working_towards"})
    before = _open_twice(practitioner_client, GRID, OVERVIEW)
    assert "This is your first self-assessment." in before[OVERVIEW]
    services.assessment_complete(assessment=assessment, target_level=2)
    current = Assessment.objects.get(user=practitioner, status="in_progress")
    rate(current, {("1.01", 1): "achieved"})
    overview = practitioner_client.get(OVERVIEW).content.decode()
    assert "Compared with the self-assessment you completed on" in overview
    assert "Improved" in overview
    grid = practitioner_client.get(GRID).content.decode()
    assert f'action="/assessment/ratings/{rating_for(current, "1.01", 1).pk}/"' in grid


def test_each_session_gets_its_own_working_token(practitioner, assessment):
    first, second = (Client(enforce_csrf_checks=True) for _ in range(2))
    for client in (first, second):
        client.force_login(practitioner)
    _open_twice(first, GRID)
    html = second.get(GRID).content.decode()
    rating = rating_for(assessment, "1.01", 1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _cell(html, rating))
    response = second.post(
        f"/assessment/ratings/{rating.pk}/",
        {"csrfmiddlewaretoken": token.group(1), "value": "achieved", "note": "", "revision": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200


def test_two_people_never_see_each_others_body(
    practitioner_client, other_client, assessment, other_assessment
):
    mine = _open_twice(practitioner_client, GRID)[GRID]
    theirs = other_client.get(GRID).content.decode()
    assert f'id="rf-{rating_for(assessment, "1.01", 1).pk}"' in mine
    assert f'id="rf-{rating_for(assessment, "1.01", 1).pk}"' not in theirs
    assert f'id="rf-{rating_for(other_assessment, "1.01", 1).pk}"' in theirs


@pytest.mark.parametrize("url", [GRID + "?levels=all", GRID + "?saved=1"])
def test_the_address_is_part_of_the_key(practitioner_client, assessment, url):
    _open_twice(practitioner_client, GRID)
    html = practitioner_client.get(url).content.decode()
    assert f"?next={urlencode(url)}%23s-" in html
