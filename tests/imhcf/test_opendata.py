import csv
import io
import json

import pytest

from imhcf.models import Statement
from tests.factories import GlossaryTermFactory, build_framework


@pytest.fixture
def version(db):
    version = build_framework(domains=7, competencies_per_domain=3)
    GlossaryTermFactory(version=version, term="attunement", slug="attunement", forms="attuned")
    return version


def test_json_download_round_trips_every_statement(anon_client, version):
    response = anon_client.get("/framework/download.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["schema"] == "imhcf-framework/1"
    assert data["version"]["name"] == version.name
    downloaded = {
        (st["key"], st["text"])
        for domain in data["domains"]
        for comp in domain["competencies"]
        for st in comp["statements"]
    }
    stored = {
        (f"{s.competency.code}/L{s.level}", s.text)
        for s in Statement.objects.filter(competency__domain__version=version).select_related(
            "competency"
        )
    }
    assert downloaded == stored
    assert [lvl["number"] for lvl in data["levels"]] == [1, 2, 3]
    assert data["glossary"] == [
        {
            "term": "attunement",
            "slug": "attunement",
            "definition": "A definition.",
            "forms": ["attuned"],
            "term_cy": "",
            "definition_cy": "",
            "forms_cy": [],
        }
    ]


def test_csv_download_holds_the_same_content_as_json(anon_client, version):
    data = json.loads(anon_client.get("/framework/download.json").content)
    response = anon_client.get("/framework/download.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    statements = {(r["key"], r["text"]) for r in rows if r["record"] == "statement"}
    expected = {
        (st["key"], st["text"])
        for d in data["domains"]
        for c in d["competencies"]
        for st in c["statements"]
    }
    assert statements == expected
    assert sum(r["record"] == "domain" for r in rows) == 7
    assert sum(r["record"] == "competency" for r in rows) == 21
    glossary = [r for r in rows if r["record"] == "glossary"]
    assert glossary[0]["name"] == "attunement" and glossary[0]["detail"] == "attuned"
