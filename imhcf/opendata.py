"""The published framework as open data: one dictionary shape, two encodings.

JSON carries the nested shape documented in the README. CSV flattens the same
content into one table with a ``record`` column (domain, level, competency,
statement or glossary) so it opens in a spreadsheet.

Both carry English and Welsh: each worded field has its Welsh beside it under the
same name with ``_cy`` (``text`` and ``text_cy``), empty where none is written yet.
"""

import csv
import io
from typing import Any

from imhcf import selectors
from imhcf.models import FrameworkVersion

SCHEMA = "imhcf-framework/1"
CSV_COLUMNS = ["record", "domain", "code", "level", "key", "name", "text", "detail"]
CSV_COLUMNS += ["name_cy", "text_cy", "detail_cy"]


def framework_as_dict(version: FrameworkVersion) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "version": {
            "name": version.name,
            "name_cy": version.name_cy,
            "status": version.status,
            "published_at": version.published_at.isoformat() if version.published_at else None,
        },
        "core_competency": {
            "name": version.core_competency_name,
            "text": version.core_competency_text,
            "name_cy": version.core_competency_name_cy,
            "text_cy": version.core_competency_text_cy,
        },
        "levels": [
            {
                "number": lvl.number,
                "name": lvl.name,
                "meaning": lvl.meaning,
                "audience": lvl.audience,
                "name_cy": lvl.name_cy,
                "meaning_cy": lvl.meaning_cy,
                "audience_cy": lvl.audience_cy,
            }
            for lvl in selectors.version_levels(version)
        ],
        "domains": [
            {
                "number": domain.number,
                "name": domain.name,
                "summary": domain.summary,
                "name_cy": domain.name_cy,
                "summary_cy": domain.summary_cy,
                "competencies": [
                    {
                        "code": comp.code,
                        "title": comp.title,
                        "title_cy": comp.title_cy,
                        "statements": [
                            {
                                "key": f"{comp.code}/L{st.level}",
                                "level": st.level,
                                "text": st.text,
                                "text_cy": st.text_cy,
                            }
                            for st in comp.statements.all()
                        ],
                    }
                    for comp in domain.competencies.all()
                ],
            }
            for domain in selectors.framework_tree(version)
        ],
        "glossary": [
            {
                "term": t.term,
                "slug": t.slug,
                "definition": t.definition,
                "forms": t.all_forms[1:],
                "term_cy": t.term_cy,
                "definition_cy": t.definition_cy,
                "forms_cy": t.all_forms_cy[1:],
            }
            for t in selectors.glossary_terms(version)
        ],
    }


def framework_as_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for level in data["levels"]:
        writer.writerow(
            {
                "record": "level",
                "level": level["number"],
                "name": level["name"],
                "text": level["meaning"],
                "detail": level["audience"],
                "name_cy": level["name_cy"],
                "text_cy": level["meaning_cy"],
                "detail_cy": level["audience_cy"],
            }
        )
    for domain in data["domains"]:
        writer.writerow(
            {
                "record": "domain",
                "domain": domain["number"],
                "name": domain["name"],
                "text": domain["summary"],
                "name_cy": domain["name_cy"],
                "text_cy": domain["summary_cy"],
            }
        )
        for comp in domain["competencies"]:
            writer.writerow(
                {
                    "record": "competency",
                    "domain": domain["number"],
                    "code": comp["code"],
                    "name": comp["title"],
                    "name_cy": comp["title_cy"],
                }
            )
            for st in comp["statements"]:
                writer.writerow(
                    {
                        "record": "statement",
                        "domain": domain["number"],
                        "code": comp["code"],
                        "level": st["level"],
                        "key": st["key"],
                        "text": st["text"],
                        "text_cy": st["text_cy"],
                    }
                )
    for term in data["glossary"]:
        writer.writerow(
            {
                "record": "glossary",
                "key": term["slug"],
                "name": term["term"],
                "text": term["definition"],
                "detail": "|".join(term["forms"]),
                "name_cy": term["term_cy"],
                "text_cy": term["definition_cy"],
                "detail_cy": "|".join(term["forms_cy"]),
            }
        )
    return out.getvalue()
