"""The overview: map, progress to target, strengths, gaps, what changed, completing."""

from selfassess import services
from selfassess.models import Assessment
from tests.selfassess.conftest import messages_of, rate, rating_for


def test_without_an_assessment_the_overview_offers_to_start(
    practitioner_client, profile, framework
):
    response = practitioner_client.get("/assessment/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Start my self-assessment" in html
    assert 'action="/assessment/start/"' in html


def test_starting_creates_the_assessment_and_opens_the_first_domain(
    practitioner_client, practitioner, profile, framework
):
    response = practitioner_client.post("/assessment/start/")
    assert response.status_code == 302
    assert response["Location"] == "/assessment/domains/1/"
    assert Assessment.objects.filter(user=practitioner, status="in_progress").count() == 1
    practitioner_client.post("/assessment/start/")
    assert Assessment.objects.filter(user=practitioner).count() == 1


def test_start_refuses_get_and_anonymous(practitioner_client, anon_client, profile, framework):
    assert practitioner_client.get("/assessment/start/").status_code == 405
    response = anon_client.post("/assessment/start/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_map_gives_numbers_and_words_for_every_domain_and_level(practitioner_client, assessment):
    rate(assessment, {("1.01", 1): "achieved", ("1.02", 1): "achieved", ("1.03", 1): "achieved"})
    rate(assessment, {("2.01", 3): "working_towards"})
    html = practitioner_client.get("/assessment/").content.decode()
    assert html.count('class="map-cell') == 21
    assert "3 of 3 achieved" in html  # domain 1, level 1
    assert "1 working towards" in html
    assert '<span aria-hidden="true">✓ </span>' in html  # complete cells, also in text
    # Highest level per domain, in words.
    assert "<strong>Level 1</strong>" in html


def test_overview_shows_progress_to_the_target_level(practitioner_client, assessment):
    rate(assessment, {("1.01", 1): "achieved", ("1.01", 2): "achieved", ("1.01", 3): "achieved"})
    html = practitioner_client.get("/assessment/").content.decode()
    # Target level 2: 42 statements at Levels 1 and 2; level 3 does not count.
    assert "Towards Level 2" in html
    assert "<strong>2 of the 42</strong>" in html
    assert 'max="42" value="2"' in html


def test_strengths_list_competencies_and_domains_achieved_at_target(
    practitioner_client, assessment
):
    rate(assessment, {("4.02", 1): "achieved", ("4.02", 2): "achieved"})
    rate(assessment, {(f"6.0{i}", lv): "achieved" for i in (1, 2, 3) for lv in (1, 2)})
    html = practitioner_client.get("/assessment/").content.decode()
    assert 'href="/assessment/domains/4/#c-4.02"' in html
    assert "the whole domain, at Level 2" in html
    assert 'href="/assessment/domains/6/"' in html


def test_gaps_link_each_statement_below_target_into_the_grid(practitioner_client, assessment):
    rate(assessment, {("1.01", 1): "achieved"})
    gap = rating_for(assessment, "1.02", 2)
    beyond = rating_for(assessment, "1.02", 3)
    html = practitioner_client.get("/assessment/").content.decode()
    assert "41 statements up to Level 2 are not achieved yet." in html
    assert f'href="/assessment/domains/1/#s-{gap.statement_id}"' in html
    assert f'#s-{beyond.statement_id}"' not in html


def test_what_changed_lists_ratings_moved_since_the_last_completed(
    practitioner_client, practitioner, assessment
):
    first_time = practitioner_client.get("/assessment/").content.decode()
    assert "This is your first self-assessment." in first_time

    rate(assessment, {("1.01", 1): "working_towards", ("2.02", 2): "achieved"})
    services.assessment_complete(assessment=assessment, target_level=2)
    following = Assessment.objects.get(user=practitioner, status="in_progress")
    html = practitioner_client.get("/assessment/").content.decode()
    assert "Nothing has changed yet." in html

    rate(following, {("1.01", 1): "achieved", ("2.02", 2): "not_started"})
    html = practitioner_client.get("/assessment/").content.decode()
    assert "Improved" in html and "Slipped" in html
    assert html.count('class="change-improved"') == 1
    assert html.count('class="change-slipped"') == 1


def test_overview_refuses_post_and_sends_anonymous_to_sign_in(
    practitioner_client, anon_client, assessment
):
    assert practitioner_client.post("/assessment/").status_code == 405
    response = anon_client.get("/assessment/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_overview_counts_only_your_own_ratings(practitioner_client, assessment, other_assessment):
    rate(other_assessment, {("1.01", 1): "achieved"})
    html = practitioner_client.get("/assessment/").content.decode()
    assert "<strong>0 of the 42</strong>" in html


# --- Completing --------------------------------------------------------------------------


def test_confirmation_page_explains_what_completing_means(practitioner_client, assessment):
    response = practitioner_client.get("/assessment/complete/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "What completing means" in html
    assert "can never be changed" in html
    assert "starts straight away with the same ratings" in html
    assert 'method="post" action="/assessment/complete/"' in html


def test_completing_keeps_a_snapshot_and_shows_it(practitioner_client, practitioner, assessment):
    response = practitioner_client.post("/assessment/complete/")
    done = Assessment.objects.get(user=practitioner, status="completed")
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/history/{done.pk}/"
    assert "Completed." in messages_of(response)
    assert Assessment.objects.filter(user=practitioner, status="in_progress").exists()


def test_completing_with_ratings_to_check_is_refused_with_the_reason(
    practitioner_client, assessment
):
    rating = rating_for(assessment, "1.01", 1)
    rating.needs_review = True
    rating.save()
    page = practitioner_client.get("/assessment/complete/").content.decode()
    assert "still needs checking" in page
    response = practitioner_client.post("/assessment/complete/")
    assert response.status_code == 302
    assert "needs checking" in messages_of(response)
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


def test_complete_without_an_assessment_goes_to_start(practitioner_client, profile, framework):
    response = practitioner_client.post("/assessment/complete/")
    assert response.status_code == 302 and response["Location"] == "/assessment/"


def test_complete_refuses_other_methods_and_anonymous(practitioner_client, anon_client, assessment):
    assert practitioner_client.put("/assessment/complete/").status_code == 405
    response = anon_client.post("/assessment/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"
