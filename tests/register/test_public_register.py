"""The public register: search, entry pages and verification, for anyone, no sign-in.

Over 400 lines on purpose: search, entry and verify pages share the fixtures that build the
register.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from register.certificate import verify_url
from register.models import RegisterEntry
from register.selectors import public as public_selectors
from tests.register.public_factories import make_entries, make_entry

E = RegisterEntry.Status
SEARCH = reverse("register:search")

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(SEARCH, params)


def names_in(response) -> list[str]:
    page = response.context.get("page")
    if page is not None:
        return [entry.display_name for entry in page.object_list]
    entry = response.context.get("number_entry")
    return [entry.display_name] if entry and response.context["number_registered"] else []


def long_date(day) -> str:
    return date_format(day, "j F Y")


def entry_url(entry) -> str:
    return reverse("register:entry", args=[entry.registration_number])


def verify_path(number: str) -> str:
    return reverse("register:verify", args=[number])


@pytest.fixture
def people(db):
    return {
        "jane": make_entry(name="Jane Smith", level=2, region="london"),
        "john": make_entry(name="John Smithson", level=1, region="north_west"),
        "alice": make_entry(name="Alice Jones", level=3, region="london"),
        "zoe": make_entry(name="Zoë Ní Bhriain", level=2, region="ni_belfast"),
    }


# ---------------------------------------------------------------- search by name


def test_name_search_finds_part_of_a_name_in_any_case(client, people):
    assert names_in(search(client, q="smi")) == ["Jane Smith", "John Smithson"]
    assert names_in(search(client, q="SMITH")) == ["Jane Smith", "John Smithson"]
    assert names_in(search(client, q="jAnE")) == ["Jane Smith"]


def test_name_search_matches_accented_letters_in_either_case(client, people):
    assert names_in(search(client, q="zoë")) == ["Zoë Ní Bhriain"]
    assert names_in(search(client, q="ZOË NÍ")) == ["Zoë Ní Bhriain"]


def test_name_search_words_can_come_in_any_order(client, people):
    assert names_in(search(client, q="smith jane")) == ["Jane Smith"]
    assert names_in(search(client, q="  jane   smith ")) == ["Jane Smith"]


def test_one_or_two_letters_match_only_the_start_of_a_word(client):
    make_entry(name="Amy Li")
    make_entry(name="Li Wei")
    make_entry(name="Tom Li-Jones")
    make_entry(name="Will Williams")
    assert names_in(search(client, q="li")) == ["Amy Li", "Li Wei", "Tom Li-Jones"]
    assert names_in(search(client, q="w")) == ["Li Wei", "Will Williams"]
    assert names_in(search(client, q="wil")) == ["Will Williams"]


def test_name_search_treats_curly_and_straight_apostrophes_alike(client):
    make_entry(name="Seán O'Brien")
    make_entry(name="Niamh O\u2019Neill")
    # A phone turns the apostrophe curly as it is typed.
    assert names_in(search(client, q="O\u2019Brien")) == ["Seán O'Brien"]
    assert names_in(search(client, q="o'neill")) == ["Niamh O\u2019Neill"]


def test_name_search_treats_hyphens_and_spaces_alike(client):
    make_entry(name="Ruth Smith-Jones")
    assert names_in(search(client, q="smith jones")) == ["Ruth Smith-Jones"]
    assert names_in(search(client, q="Smith-Jones")) == ["Ruth Smith-Jones"]


def test_percent_and_underscore_in_a_name_search_match_only_themselves(client, people):
    assert names_in(search(client, q="%")) == []
    assert names_in(search(client, q="_")) == []


def test_results_show_number_level_region_status_and_valid_until(client, people):
    jane = people["jane"]
    body = search(client, q="jane smith").content.decode()
    assert jane.registration_number in body
    assert "Level 2" in body
    assert "London, England" in body
    assert "Registered" in body
    assert date_format(jane.valid_until, "j M Y") in body
    assert entry_url(jane) in body


def test_regions_show_their_nation_when_the_label_alone_is_unclear(client, people):
    body = search(client, q="zoë").content.decode()
    assert "Belfast, Northern Ireland" in body


# ---------------------------------------------------------------- search by number


@pytest.mark.parametrize(
    "typed",
    ["{n}", "{n_lower}", "{n_nodash}", "{n_spaces}", "{n_digits}", " {n} "],
)
def test_number_search_finds_the_entry_however_the_number_is_typed(client, people, typed):
    number = people["alice"].registration_number
    digits = number.removeprefix("IMH-")
    query = typed.format(
        n=number,
        n_lower=number.lower(),
        n_nodash=number.replace("-", ""),
        n_spaces=number.replace("-", " "),
        n_digits=digits,
    )
    assert names_in(search(client, q=query)) == ["Alice Jones"]


def test_number_search_ignores_region_and_level_filters(client, people):
    alice = people["alice"]
    response = search(client, q=alice.registration_number, region="wales_north", level="1")
    assert names_in(response) == ["Alice Jones"]


def test_unknown_valid_number_says_no_one_has_it(client, people):
    response = search(client, q="IMH-999999-6")
    assert response.status_code == 200
    assert names_in(response) == []
    assert "No one has the registration number IMH-999999-6" in response.content.decode()


def test_number_with_a_wrong_check_digit_is_not_a_valid_number(client, people):
    number = people["jane"].registration_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = search(client, q=wrong)
    assert response.status_code == 200
    assert "This is not a valid registration number" in response.content.decode()
    assert names_in(response) == []


# ---------------------------------------------------------------- filters


def test_region_filter_alone_lists_everyone_registered_there(client, people):
    assert names_in(search(client, region="london")) == ["Alice Jones", "Jane Smith"]


def test_level_filter_alone_lists_everyone_at_that_level(client, people):
    assert names_in(search(client, level="2")) == ["Jane Smith", "Zoë Ní Bhriain"]


def test_name_region_and_level_combine(client, people):
    assert names_in(search(client, q="smith", region="london")) == ["Jane Smith"]
    assert names_in(search(client, q="smith", level="1")) == ["John Smithson"]
    assert names_in(search(client, q="smith", region="london", level="1")) == []
    assert names_in(search(client, region="london", level="3")) == ["Alice Jones"]


def test_region_select_groups_regions_by_nation_with_their_labels(client):
    body = search(client).content.decode()
    assert '<optgroup label="Northern Ireland">' in body
    assert '<option value="yorkshire_humber">Yorkshire and the Humber</option>' in body


# ---------------------------------------------------------------- who is listed


def test_suspended_entry_is_listed_with_its_restriction(client):
    make_entry(
        name="Sam Restricted", status=E.SUSPENDED, restriction="Must work under supervision."
    )
    response = search(client, q="restricted")
    body = response.content.decode()
    assert names_in(response) == ["Sam Restricted"]
    assert "Suspended" in body
    assert "Must work under supervision." in body


@pytest.fixture
def not_registered(db):
    yesterday = timezone.localdate() - timedelta(days=1)
    return {
        "lapsed": make_entry(name="Lara Lapsed", status=E.LAPSED),
        "removed": make_entry(name="Rory Removed", status=E.REMOVED),
        # Active, but past its valid-until date: in the grace period before it lapses.
        "expired": make_entry(name="Eve Expired", valid_until=yesterday),
    }


def test_lapsed_removed_and_expired_entries_are_never_listed(client, not_registered):
    for query in ("lapsed", "removed", "expired", "e"):
        assert names_in(search(client, q=query)) == [], query
    assert names_in(search(client, region="london")) == []


def test_a_suspension_stays_listed_after_the_valid_until_date(client, db):
    """A suspended entry does not lapse while suspended, so the sanction stays visible."""
    make_entry(
        name="Sue Suspended",
        status=E.SUSPENDED,
        restriction="Suspended until the hearing.",
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    response = search(client, q="suspended")
    assert names_in(response) == ["Sue Suspended"]
    assert "Suspended until the hearing." in response.content.decode()


@pytest.mark.parametrize("which", ["lapsed", "removed", "expired"])
def test_number_search_for_someone_not_registered_says_so_plainly(client, not_registered, which):
    entry = not_registered[which]
    response = search(client, q=entry.registration_number)
    body = response.content.decode()
    assert f"{entry.registration_number} is not currently registered" in body
    assert entry.display_name not in body
    assert names_in(response) == []


# ---------------------------------------------------------------- odd input


def test_empty_search_shows_guidance_not_the_whole_register(client, people):
    for response in (search(client), search(client, q="   ", region="", level="")):
        assert response.status_code == 200
        assert "How to search" in response.content.decode()
        assert "page" not in response.context
        assert people["alice"].registration_number not in response.content.decode()


def test_very_long_query_is_refused_with_a_message(client, people):
    response = search(client, q="a" * 5000)
    assert response.status_code == 200
    assert "Enter 100 characters or fewer." in response.content.decode()
    assert "page" not in response.context


@pytest.mark.parametrize(
    "params, message",
    [
        ({"region": "atlantis"}, "Choose a region from the list."),
        ({"level": "9"}, "Choose a level from the list."),
        ({"level": "two"}, "Choose a level from the list."),
    ],
)
def test_unknown_region_or_level_is_a_message_not_an_error(client, people, params, message):
    response = search(client, **params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_null_character_in_a_query_is_refused_not_a_server_error(client, people):
    response = search(client, q="Jane\x00Smith")
    assert response.status_code == 200
    assert "page" not in response.context


def test_many_words_search_on_the_first_few(client, people):
    query = "jane " + " ".join(f"w{n}" for n in range(40))
    assert len(public_selectors.name_words(query)) == public_selectors.MAX_NAME_WORDS
    assert search(client, q=query).status_code == 200


# ---------------------------------------------------------------- pagination


@pytest.fixture
def forty_five(db):
    return make_entries(45, name_prefix="Pat Paged")


def test_results_come_twenty_a_page_in_name_order(client, forty_five):
    first = search(client, q="paged")
    assert first.context["page"].paginator.count == 45
    assert names_in(first)[:2] == ["Pat Paged 0000", "Pat Paged 0001"]
    assert len(names_in(first)) == 20
    assert "45 people found" in first.content.decode()
    third = search(client, q="paged", page="3")
    assert names_in(third) == [f"Pat Paged {n:04d}" for n in range(40, 45)]
    assert "page=2" in third.content.decode()


@pytest.mark.parametrize("page, expected", [("abc", 1), ("0", 3), ("-4", 3), ("999999999999", 3)])
def test_bad_page_numbers_show_a_real_page(client, forty_five, page, expected):
    response = search(client, q="paged", page=page)
    assert response.status_code == 200
    assert response.context["page"].number == expected


def test_counting_stops_at_the_cap_and_says_more_than(client, forty_five, monkeypatch):
    monkeypatch.setattr(public_selectors, "RESULT_CAP", 30)
    response = search(client, q="paged")
    page = response.context["page"]
    assert page.paginator.truncated
    assert page.paginator.num_pages == 2
    assert "More than 30 people found" in response.content.decode()
    assert len(names_in(search(client, q="paged", page="2"))) == 10


# ---------------------------------------------------------------- entry page


def test_entry_page_shows_what_the_register_publishes(client, shipped_framework):
    entry = make_entry(name="Bethan Hughes", level=2, region="wales_south")
    response = client.get(entry_url(entry))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bethan Hughes" in body
    assert entry.registration_number in body
    assert "Level 2: Applying in practice" in body
    level = shipped_framework.levels.get(number=2)
    assert level.meaning.split(",")[0] in body
    assert "South Wales" in body
    assert "Currently registered" in body
    assert long_date(entry.valid_until) in body


def test_entry_page_shows_nothing_private(client, practitioner_client):
    entry = make_entry(name="Priya Private", organisation="Hillside Perinatal Team")
    entry.practitioner.email = "priya.private@example.org"
    entry.practitioner.save()
    for viewer in (client, practitioner_client):
        body = viewer.get(entry_url(entry)).content.decode()
        assert "Priya Private" in body
        assert "priya.private@example.org" not in body
        assert "Hillside Perinatal Team" not in body
        assert f"/register/applications/{entry.application_id}/" not in body
    listing = client.get(SEARCH, {"q": "priya"}).content.decode()
    assert "priya.private@example.org" not in listing
    assert "Hillside Perinatal Team" not in listing


def test_suspended_entry_page_shows_the_restriction(client):
    entry = make_entry(name="Sam Restricted", status=E.SUSPENDED, restriction="No lone visits.")
    body = client.get(entry_url(entry)).content.decode()
    assert "Registered with a restriction" in body
    assert "Suspended" in body
    assert "No lone visits." in body


@pytest.mark.parametrize("which", ["lapsed", "removed", "expired"])
def test_entry_page_of_someone_not_registered_says_so_without_their_details(
    client, not_registered, which
):
    entry = not_registered[which]
    response = client.get(entry_url(entry))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not currently registered" in body
    assert entry.registration_number in body
    assert entry.display_name not in body
    assert "Level" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_entry_page_for_an_unknown_number_is_404_and_says_so(client):
    response = client.get(reverse("register:entry", args=["IMH-999999-6"]))
    assert response.status_code == 404
    assert "There is no register entry with this number" in response.content.decode()


def test_entry_page_with_a_wrong_check_digit_is_404_not_a_valid_number(client):
    response = client.get("/register/IMH-999999-1/")
    assert response.status_code == 404
    assert "This is not a valid registration number" in response.content.decode()


def test_entry_pattern_matches_only_registration_numbers():
    assert resolve("/register/verify/").url_name == "verify_lookup"
    assert resolve("/register/IMH-100007-4/").url_name == "entry"
    assert resolve("/register/verify/IMH-100007-4/").url_name == "verify"


# ---------------------------------------------------------------- verify


def test_verify_says_currently_registered_at_level_until_date(client):
    entry = make_entry(name="Grace Hall", level=3)
    response = client.get(verify_path(entry.registration_number))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Currently registered at Level 3 until {long_date(entry.valid_until)}" in body
    assert "Grace Hall" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_verify_for_a_suspended_entry_says_registered_with_a_restriction(client):
    entry = make_entry(name="Sam Restricted", status=E.SUSPENDED, restriction="No lone visits.")
    body = client.get(verify_path(entry.registration_number)).content.decode()
    assert "Registered with a restriction" in body
    assert "No lone visits." in body
    assert "Currently registered at" not in body


@pytest.mark.parametrize("which", ["lapsed", "removed", "expired"])
def test_verify_for_someone_not_registered_says_so_without_their_name(
    client, not_registered, which
):
    entry = not_registered[which]
    response = client.get(verify_path(entry.registration_number))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not currently registered" in body
    assert entry.display_name not in body
    assert "Currently registered at" not in body


def test_verify_for_an_unknown_number_says_not_currently_registered(client):
    response = client.get(verify_path("IMH-999999-6"))
    assert response.status_code == 404
    assert "Not currently registered" in response.content.decode()


@pytest.mark.parametrize("raw", ["IMH-999999-1", "hello", "IMH-12-3", "x" * 300])
def test_verify_for_an_invalid_number_says_it_is_not_valid(client, raw):
    response = client.get(verify_path(raw))
    body = response.content.decode()
    assert response.status_code == 404
    assert "This is not a valid registration number" in body
    assert "x" * 41 not in body


def test_verify_redirects_a_loosely_typed_number_to_the_canonical_address(client):
    entry = make_entry()
    loose = entry.registration_number.lower().replace("-", "")
    response = client.get(verify_path(loose))
    assert response.status_code == 302
    assert response["Location"] == verify_path(entry.registration_number)


def test_certificate_qr_address_lands_on_the_verify_page(client, settings):
    settings.IMHCF_PUBLIC_BASE_URL = "https://register.example.org/"
    entry = make_entry(level=2)
    url = verify_url(entry)
    path = url.removeprefix("https://register.example.org")
    assert path == verify_path(entry.registration_number)
    assert "Currently registered at Level 2" in client.get(path).content.decode()


def test_verify_lookup_redirects_to_the_number_verify_page(client):
    entry = make_entry()
    typed = " " + entry.registration_number.lower().replace("-", " ") + " "
    response = client.get(reverse("register:verify_lookup"), {"number": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_path(entry.registration_number)


def test_verify_lookup_with_an_invalid_number_says_so(client):
    response = client.get(reverse("register:verify_lookup"), {"number": "IMH-999999-1"})
    assert response.status_code == 200
    assert "This is not a valid registration number" in response.content.decode()
    empty = client.get(reverse("register:verify_lookup"), {"number": ""})
    assert "Enter a registration number." in empty.content.decode()


def test_verify_lookup_without_a_number_shows_the_form(client):
    response = client.get(reverse("register:verify_lookup"))
    assert response.status_code == 200
    assert 'name="number"' in response.content.decode()


# ---------------------------------------------------------------- methods, links


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_pages_refuse_other_methods(client, method):
    entry = make_entry()
    for url in (
        SEARCH,
        entry_url(entry),
        verify_path(entry.registration_number),
        reverse("register:verify_lookup"),
    ):
        assert getattr(client, method)(url).status_code == 405, url


def test_home_page_links_to_the_register(client):
    assert f'href="{SEARCH}"' in client.get(reverse("home")).content.decode()


# ---------------------------------------------------------------- query budgets


@pytest.mark.parametrize("count", [3, 300])
def test_search_query_budget_does_not_grow_with_the_register(
    client, count, django_assert_num_queries
):
    make_entries(count, name_prefix="Budget Person", region="london")
    # 1. COUNT(*) of the matches, stopping at RESULT_CAP + 1
    # 2. the page's rows
    with django_assert_num_queries(2):
        response = search(client, q="budget", region="london", level="1")
    assert len(names_in(response)) == min(count, 20)


@pytest.mark.parametrize("count", [3, 300])
def test_entry_and_verify_query_budgets_do_not_grow_with_the_register(
    client, count, django_assert_num_queries
):
    entries = make_entries(count, name_prefix="Budget Person")
    number = entries[-1].registration_number
    # 1. the entry, with its level's published name and meaning as subqueries
    # 2. outcomes of concerns published on the entry (conditions, suspensions, removals)
    with django_assert_num_queries(2):
        assert client.get(reverse("register:entry", args=[number])).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(verify_path(number)).status_code == 200
    # Number search: the same single query.
    with django_assert_num_queries(1):
        assert names_in(search(client, q=number)) == [entries[-1].display_name]
