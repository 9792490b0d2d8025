import pytest
from django.core.cache import cache

from tests.factories import GlossaryTermFactory, build_framework


@pytest.fixture
def version(db):
    cache.clear()
    version = build_framework(domains=7, competencies_per_domain=2)
    GlossaryTermFactory(
        version=version, term="Statement", slug="statement", definition="A thing said."
    )
    GlossaryTermFactory(version=version, term="Zeal", slug="zeal", definition="Enthusiasm.")
    return version


def test_home_explains_and_links_to_signup_and_framework(anon_client, version):
    response = anon_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recognition Register" in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/framework/"' in html


def test_framework_page_shows_core_competency_domains_and_levels(anon_client, version):
    response = anon_client.get("/framework/")
    html = response.content.decode()
    assert response.status_code == 200
    assert version.core_competency_name in html
    for n in range(1, 8):
        assert f'href="/framework/domains/{n}/"' in html
    assert "Level 3" in html


def test_domain_page_shows_each_statement_with_glossary_marking(anon_client, version):
    response = anon_client.get("/framework/domains/2/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2.01" in html and "2.02" in html
    assert html.count('class="col-md-4 statement"') == 6
    assert 'href="/framework/glossary/#term-statement"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_unknown_domain_is_a_friendly_404(anon_client, version):
    response = anon_client.get("/framework/domains/9/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_no_published_version_is_404_not_500(anon_client, db):
    assert anon_client.get("/framework/").status_code == 404


def test_glossary_lists_terms_a_to_z_with_anchors(anon_client, version):
    html = anon_client.get("/framework/glossary/").content.decode()
    assert html.index('id="term-statement"') < html.index('id="term-zeal"')
    assert 'href="#letter-Z"' in html


def test_public_pages_refuse_post(anon_client, version):
    assert anon_client.post("/framework/").status_code == 405


def test_domain_page_query_count_does_not_grow_with_framework_size(
    anon_client, db, django_assert_num_queries
):
    # version, domain, competencies, statements, levels, domain numbers
    # (+ glossary terms and statement texts on the first, uncached view)
    small = build_framework(domains=7, competencies_per_domain=2, name="small")
    cache.clear()
    anon_client.get("/framework/domains/1/")
    with django_assert_num_queries(6):
        anon_client.get("/framework/domains/1/")

    small.status = "retired"
    small.save()
    build_framework(domains=7, competencies_per_domain=40, name="large")
    cache.clear()
    anon_client.get("/framework/domains/1/")
    with django_assert_num_queries(6):
        response = anon_client.get("/framework/domains/1/")
    assert response.content.decode().count('class="col-md-4 statement"') == 120
