"""Public name search ignores accents, and on PostgreSQL never scans the register.

The plans are asserted on 100,000 entries, for every name the search
benchmark asks for (``BENCH_NAME_QUERIES``): two-letter names and names typed
without their accents included. Times are the benchmark's business
(``bench/register_search.py``); a test pins the plan that makes them.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register.models import RegisterEntry
from register.selectors import public as public_selectors
from register.selectors.public import MIN_INFIX_LENGTH, name_words
from tests.realservices import require_postgresql
from tests.register.public_factories import BENCH_NAME_QUERIES, make_entry, seed_register

pytestmark = pytest.mark.django_db

# Register migration 0003_postgresql: trigrams of the stored folded name, and its prefixes.
TRIGRAM_INDEX = "entry_folded_name_trgm_idx"
PREFIX_INDEX = "entry_folded_name_prefix_idx"


def _found(name: str) -> list[str]:
    return [e.display_name for e in public_selectors.search_page(name=name).object_list]


def test_names_are_found_without_their_accents_and_with_them():
    make_entry(name="Siân Evans")
    make_entry(name="Łukasz Nowak")
    make_entry(name="Seán Ó Súilleabháin")
    make_entry(name="Sian Price")
    assert _found("sian") == ["Sian Price", "Siân Evans"]
    assert _found("SIÂN") == ["Sian Price", "Siân Evans"]
    assert _found("lukasz") == ["Łukasz Nowak"]
    assert _found("o suilleabhain") == ["Seán Ó Súilleabháin"]
    # A two-letter word still matches only at the start of a word, accents or not.
    assert _found("o") == ["Seán Ó Súilleabháin"]
    assert _found("an") == []


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_every_bench_name_search_uses_the_folded_name_indexes_on_100000_entries():
    require_postgresql()
    seed_register(100_000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RegisterEntry._meta.db_table}")
    for name in BENCH_NAME_QUERIES:
        for page_number in (1, 3):
            with CaptureQueriesContext(connection) as captured:
                page = public_selectors.search_page(name=name, page_number=page_number)
            assert page.object_list, name
            assert len(captured) == 2  # the count (capped) and the page
            short_only = all(len(word) < MIN_INFIX_LENGTH for word in name_words(name))
            for query in captured:
                plan = _plan(query["sql"])
                assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in plan, (name, plan)
                # A two-letter name's first-word match is a range of the prefix index
                # (with a longer word beside it, the trigrams of both may serve).
                if short_only:
                    assert f"Bitmap Index Scan on {PREFIX_INDEX}" in plan, (name, plan)
                assert "Seq Scan" not in plan, (name, plan)
    # Typed without its circumflex, a name is found with it.
    assert any("Siân" in n for n in _found("sian"))


def test_a_name_search_is_two_queries_whatever_the_name(django_assert_num_queries):
    for name in BENCH_NAME_QUERIES:
        make_entry(name=f"Alex {name.title()}")
    for name in BENCH_NAME_QUERIES:
        # 1. the count of matches  2. the page's rows
        with django_assert_num_queries(2):
            public_selectors.search_page(name=name)
