"""CSV export and import of statements and the glossary."""

import csv
import io

import pytest

from imhcf import csv_io, services
from imhcf.models import Competency, FrameworkVersion, GlossaryTerm, Statement, WordingRevision
from tests.factories import GlossaryTermFactory, build_framework, framework_with_attunement

Status = FrameworkVersion.Status


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix(csv_io.BOM), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _text(version, code: str, level: int) -> str:
    return Statement.objects.get(
        competency__domain__version=version, competency__code=code, level=level
    ).text


@pytest.fixture
def version(db):
    version = framework_with_attunement("Being in tune with the baby\u2019s state.")
    GlossaryTermFactory(
        version=version, term="Reflective function", slug="reflective-function", definition="D."
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def header():
    return list(csv_io.STATEMENT_COLUMNS)


# --- Round trips ---------------------------------------------------------------


def test_statement_export_lists_every_statement_with_code_title_and_level(version):
    rows = _rows(csv_io.statements_csv(version))
    assert rows[0] == [
        "code",
        "competency_title",
        "level",
        "text",
        "competency_title_cy",
        "text_cy",
    ]
    assert len(rows) == 1 + 7 * 2 * 3
    assert rows[1] == ["1.01", "Competency 1", "1", "Statement 1.01 level 1.", "", ""]


def test_statement_export_imports_back_with_no_changes(version, framework_editor):
    exported = csv_io.statements_csv(version).encode("utf-8")

    result = csv_io.statements_import(version=version, data=exported, user=framework_editor)

    assert result.ok, result.problems
    assert (result.changed, result.created, result.unchanged) == (0, 0, 42)
    assert not WordingRevision.objects.exists()
    version.refresh_from_db()
    assert version.content_revision == 1


def test_glossary_export_imports_back_with_no_changes(version, framework_editor):
    exported = csv_io.glossary_csv(version)
    assert _rows(exported)[1] == [
        "Attunement",
        "attunement",
        "attuned|attuning",
        "Being in tune with the baby\u2019s state.",
        "",
        "",
        "",
    ]

    result = csv_io.glossary_import(
        version=version, data=exported.encode("utf-8"), user=framework_editor
    )

    assert result.ok, result.problems
    assert (result.changed, result.created, result.unchanged) == (0, 0, 2)
    assert not WordingRevision.objects.exists()


def test_the_shipped_framework_round_trips_unchanged(shipped_framework, framework_editor):
    for export, importer in (
        (csv_io.statements_csv, csv_io.statements_import),
        (csv_io.glossary_csv, csv_io.glossary_import),
    ):
        data = export(shipped_framework).encode("utf-8")
        result = importer(version=shipped_framework, data=data, user=framework_editor)
        assert result.ok, result.problems
        assert result.changed == result.created == 0
    assert not WordingRevision.objects.exists()


def test_imported_edits_are_recorded_in_the_history(db, framework_editor, header):
    version = build_framework(competencies_per_domain=2, name="IMHCF 2026", status="draft")
    rows = _rows(csv_io.statements_csv(version))
    rows[2][3] = "Knows what attunement looks like with a baby."  # 1.01, level 2
    for row in rows[1:4]:
        row[1] = "Noticing the baby"  # the title of 1.01, on each of its rows

    result = csv_io.statements_import(
        version=version, data=_csv(rows), user=framework_editor, reason="Spring review"
    )

    assert result.ok, result.problems
    assert (result.changed, result.created, result.unchanged) == (2, 0, 40)
    assert _text(version, "1.01", 2) == "Knows what attunement looks like with a baby."
    revisions = WordingRevision.objects.order_by("field")
    assert [(r.field, r.before, r.changed_by, r.reason) for r in revisions] == [
        ("text", "Statement 1.01 level 2.", framework_editor, "Spring review"),
        ("title", "Competency 1", framework_editor, "Spring review"),
    ]
    version.refresh_from_db()
    assert version.content_revision == 3


def test_importing_new_words_onto_the_published_version_is_refused(version, framework_editor):
    rows = _rows(csv_io.statements_csv(version))
    rows[2][3] = "Knows what attunement looks like with a baby."

    result = csv_io.statements_import(version=version, data=_csv(rows), user=framework_editor)

    assert not result.ok
    assert "not an editorial change" in str(result.problems[0])
    assert _text(version, "1.01", 2) == "Statement 1.01 level 2."


def test_importing_punctuation_fixes_onto_the_published_version_is_editorial(
    version, framework_editor
):
    rows = _rows(csv_io.statements_csv(version))
    rows[2][3] = "STATEMENT 1.01, LEVEL 2"

    result = csv_io.statements_import(version=version, data=_csv(rows), user=framework_editor)

    assert result.ok, result.problems
    assert WordingRevision.objects.get().kind == WordingRevision.Kind.EDITORIAL


# --- Rejected files --------------------------------------------------------------


def test_a_file_with_bad_rows_changes_nothing_and_names_each_row(version, framework_editor, header):
    data = _csv(
        [
            header,
            ["1.01", "Competency 1", "1", "A good edit that must not be applied."],  # row 2
            ["1.99", "Competency 99", "1", "No such competency."],  # row 3
            ["1.02", "Competency 2", "4", "No such level."],  # row 4
            ["1.02", "Competency 2", "2", ""],  # row 5
            ["1.01", "Competency 1", "1", "The same statement twice."],  # row 6
            ["1.02", "Competency 2", "3", "Text", "an extra cell"],  # row 7
            ["one", "Competency 2", "3", "Not a code."],  # row 8
            ["2.01", "Competency 1", "1"],  # row 9
        ]
    )

    result = csv_io.statements_import(version=version, data=data, user=framework_editor)

    assert not result.ok
    problems = {p.row: p.message for p in result.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert "There is no competency 1.99" in problems[3]
    assert "The level must be 1, 2 or 3" in problems[4]
    assert "The statement text is empty." in problems[5]
    assert "already on row 2" in problems[6]
    assert "5 columns; there should be 4" in problems[7]
    assert "not a competency code" in problems[8]
    assert "3 columns; there should be 4" in problems[9]
    assert str(result.problems[0]).startswith("Row 3: ")
    assert _text(version, "1.01", 1) == "Statement 1.01 level 1."
    assert not WordingRevision.objects.exists()
    assert not Competency.objects.filter(code="1.99").exists()


def test_a_file_that_is_not_utf8_is_refused(version, framework_editor, header):
    data = "code,competency_title,level,text\n1.01,Competency 1,1,Café culture\n".encode("cp1252")

    result = csv_io.statements_import(version=version, data=data, user=framework_editor)

    assert [p.row for p in result.problems] == [None]
    assert "not UTF-8" in result.problems[0].message
    assert _text(version, "1.01", 1) == "Statement 1.01 level 1."


def test_a_file_with_the_wrong_header_is_refused(version, framework_editor):
    data = _csv([["code", "level", "text"], ["1.01", "1", "Changed"]])

    result = csv_io.statements_import(version=version, data=data, user=framework_editor)

    assert [(p.row, p.message) for p in result.problems] == [
        (1, "The first row must name the columns code, competency_title, level, text.")
    ]
    assert _text(version, "1.01", 1) == "Statement 1.01 level 1."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"code,competency_title,level,text\r\n", "The file has no statements in it."),
        (b"code,competency_title,level,text\n\x00\x01\x02", "binary data"),
    ],
)
def test_files_without_statements_are_refused(version, framework_editor, data, expected):
    result = csv_io.statements_import(version=version, data=data, user=framework_editor)
    assert expected in result.problems[0].message


def test_titles_must_agree_across_a_competencys_rows(version, framework_editor, header):
    data = _csv(
        [header, ["1.01", "One title", "1", "Text one."], ["1.01", "Another", "2", "Text two."]]
    )
    result = csv_io.statements_import(version=version, data=data, user=framework_editor)
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "The title of competency 1.01 differs from the one on row 2.")
    ]


def test_a_retired_version_takes_no_import(db, framework_editor):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    data = csv_io.statements_csv(retired).encode("utf-8")
    result = csv_io.statements_import(version=retired, data=data, user=framework_editor)
    assert "retired" in result.problems[0].message


def test_trailing_blank_rows_and_empty_padding_cells_are_ignored(version, framework_editor):
    data = (
        b"code,competency_title,level,text,,\r\n"
        b"1.01,Competency 1,1,Statement 1.01 level 1.,,\r\n"
        b",,,\r\n\r\n"
    )
    result = csv_io.statements_import(version=version, data=data, user=framework_editor)
    assert result.ok, result.problems
    assert result.unchanged == 1


# --- Drafts take new statements ------------------------------------------------


def test_a_draft_import_adds_competencies_and_statements(version, framework_editor, header):
    draft = services.version_start_draft(source=version, name="Draft", user=framework_editor)
    data = _csv(
        [header]
        + [
            ["3.03", "Sleep and settling", str(level), f"Sleep at level {level}."]
            for level in (1, 2, 3)
        ]
    )

    result = csv_io.statements_import(version=draft, data=data, user=framework_editor)

    assert result.ok, result.problems
    assert result.created == 3
    competency = Competency.objects.get(domain__version=draft, code="3.03")
    assert competency.title == "Sleep and settling"
    assert competency.order == 3
    assert competency.statements.count() == 3
    assert services.version_publish_problems(draft) == []


def test_the_published_version_takes_no_new_competencies(version, framework_editor, header):
    data = _csv([header, ["3.03", "Sleep", "1", "Sleep."]])
    result = csv_io.statements_import(version=version, data=data, user=framework_editor)
    assert "only be added to a draft version" in result.problems[0].message


# --- Glossary ------------------------------------------------------------------------


def test_glossary_import_updates_terms_by_slug_and_adds_new_ones(version, framework_editor):
    data = _csv(
        [
            list(csv_io.GLOSSARY_COLUMNS),
            ["Attunement", "attunement", "attuned | attuning | attune", "Tuning in to a baby."],
            ["Reflective function", "reflective-function", "", "D."],
            ["Marked mirroring", "marked-mirroring", "marked mirror", "Showing the feeling back."],
        ]
    )

    result = csv_io.glossary_import(version=version, data=data, user=framework_editor)

    assert result.ok, result.problems
    assert (result.changed, result.created, result.unchanged) == (1, 1, 1)
    attunement = GlossaryTerm.objects.get(version=version, slug="attunement")
    assert attunement.definition == "Tuning in to a baby."
    assert attunement.forms == "attuned\nattuning\nattune"
    assert set(
        WordingRevision.objects.filter(object_id=attunement.pk).values_list("field", flat=True)
    ) == {"definition", "forms"}
    added = GlossaryTerm.objects.get(version=version, slug="marked-mirroring")
    assert added.all_forms == ["Marked mirroring", "marked mirror"]


def test_glossary_import_lists_every_bad_row_and_changes_nothing(version, framework_editor):
    data = _csv(
        [
            list(csv_io.GLOSSARY_COLUMNS),
            ["Attunement", "attunement", "", "A changed definition."],  # row 2, fine
            ["", "blank-term", "", "Definition."],  # row 3
            ["Holding", "not a slug!", "", "Definition."],  # row 4
            ["Containment", "containment", "", ""],  # row 5
            ["Attunement again", "attunement", "", "Same slug."],  # row 6
            ["ATTUNEMENT", "attunement-2", "", "Same term."],  # row 7
        ]
    )

    result = csv_io.glossary_import(version=version, data=data, user=framework_editor)

    assert sorted({p.row for p in result.problems}) == [3, 4, 5, 6, 7]
    assert GlossaryTerm.objects.get(slug="attunement").definition.startswith("Being in tune")
    assert GlossaryTerm.objects.filter(version=version).count() == 2
    assert not WordingRevision.objects.exists()


# --- Welsh ------------------------------------------------------------------------


def test_welsh_columns_import_into_the_welsh_fields_with_history(version, framework_editor):
    rows = _rows(csv_io.statements_csv(version))
    rows[1][4] = "Cymhwysedd 1"
    rows[1][5] = "Datganiad 1.01 lefel 1."

    result = csv_io.statements_import(version=version, data=_csv(rows), user=framework_editor)

    assert result.ok, result.problems
    statement = Statement.objects.get(
        competency__domain__version=version, competency__code="1.01", level=1
    )
    assert (statement.text_cy, statement.competency.title_cy) == (
        "Datganiad 1.01 lefel 1.",
        "Cymhwysedd 1",
    )
    history = WordingRevision.objects.filter(field__in=["text_cy", "title_cy"])
    assert sorted(history.values_list("field", "before", "after")) == [
        ("text_cy", "", "Datganiad 1.01 lefel 1."),
        ("title_cy", "", "Cymhwysedd 1"),
    ]
    # And back out again, beside the English.
    assert _rows(csv_io.statements_csv(version))[1][4:] == [
        "Cymhwysedd 1",
        "Datganiad 1.01 lefel 1.",
    ]


def test_a_file_without_welsh_columns_leaves_the_welsh_alone(version, framework_editor, header):
    statement = Statement.objects.get(
        competency__domain__version=version, competency__code="1.01", level=1
    )
    Statement.objects.filter(pk=statement.pk).update(text_cy="Datganiad.")
    rows = [header] + [row[:4] for row in _rows(csv_io.statements_csv(version))[1:]]

    result = csv_io.statements_import(version=version, data=_csv(rows), user=framework_editor)

    assert result.ok, result.problems
    assert result.unchanged == 42
    statement.refresh_from_db()
    assert statement.text_cy == "Datganiad."


def test_glossary_welsh_forms_round_trip(version, framework_editor):
    rows = _rows(csv_io.glossary_csv(version))
    rows[1][4:] = ["cydgordio", "gydgordio|nghydgordio", "Bod mewn cytgord â chyflwr y babi."]

    result = csv_io.glossary_import(version=version, data=_csv(rows), user=framework_editor)

    assert result.ok, result.problems
    term = version.glossary_terms.get(slug="attunement")
    assert term.all_forms_cy == ["cydgordio", "gydgordio", "nghydgordio"]
    assert _rows(csv_io.glossary_csv(version))[1][5] == "gydgordio|nghydgordio"
