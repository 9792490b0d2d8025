"""CSV export and import of a version's statements and glossary.

Editors export, edit in a spreadsheet and import again. An import reads and
checks every row before it writes anything: one wrong row means nothing
changes, and the editor gets every problem with its row number (row 1 is the
header) so the file can be fixed in one pass. Accepted rows are applied
through the services, so each change is recorded in the wording history.

Over 400 lines on purpose: export and import of one format are one concept; the column lists
must agree.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imhcf import services
from imhcf.errors import FrameworkError
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    GlossaryTerm,
    Statement,
    WordingRevision,
    competency_code_validator,
    framework_order,
)

STATEMENT_COLUMNS = ("code", "competency_title", "level", "text")
GLOSSARY_COLUMNS = ("term", "slug", "forms", "definition")
# The Welsh beside the English (imhcf.bilingual). Exports always carry them; an import
# may leave them out (a file from before there was Welsh), and then leaves Welsh alone.
STATEMENT_WELSH = ("competency_title_cy", "text_cy")
GLOSSARY_WELSH = ("term_cy", "forms_cy", "definition_cy")
FORMS_SEPARATOR = "|"
# The shipped framework exports to about 60 kB; this leaves room for growth
# while keeping a mistaken upload from tying up a worker.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
# Spreadsheet programs read a BOM as "this is UTF-8"; without it, Excel shows
# curly quotes and accented letters as mojibake.
BOM = "\ufeff"


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # None when the problem is with the file as a whole
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    changed: int = 0
    created: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return _("%(changed)s, %(created)s, %(unchanged)s.") % {
            "changed": ngettext("%(n)s row changed", "%(n)s rows changed", self.changed)
            % {"n": self.changed},
            "created": ngettext("%(n)s row added", "%(n)s rows added", self.created)
            % {"n": self.created},
            "unchanged": ngettext("%(n)s row unchanged", "%(n)s rows unchanged", self.unchanged)
            % {"n": self.unchanged},
        }


# --- Export -----------------------------------------------------------------


def _to_csv(header: tuple[str, ...], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + out.getvalue()


def statements_csv(version: FrameworkVersion) -> str:
    """Every statement of ``version``, one row per competency and level."""
    statements = (
        Statement.objects.filter(competency__domain__version=version)
        .select_related("competency__domain")
        .order_by(*framework_order())
    )
    return _to_csv(
        STATEMENT_COLUMNS + STATEMENT_WELSH,
        (
            (
                s.competency.code,
                s.competency.title,
                s.level,
                s.text,
                s.competency.title_cy,
                s.text_cy,
            )
            for s in statements
        ),
    )


def glossary_csv(version: FrameworkVersion) -> str:
    """Every glossary term of ``version``; other forms joined with ``|``."""
    return _to_csv(
        GLOSSARY_COLUMNS + GLOSSARY_WELSH,
        (
            (
                t.term,
                t.slug,
                FORMS_SEPARATOR.join(services.forms_normalised(t.forms).splitlines()),
                t.definition,
                t.term_cy,
                FORMS_SEPARATOR.join(services.forms_normalised(t.forms_cy).splitlines()),
                t.definition_cy,
            )
            for t in version.glossary_terms.order_by("term")
        ),
    )


# --- Reading ----------------------------------------------------------------


def _read(
    data: bytes, columns: tuple[str, ...], welsh: tuple[str, ...] = ()
) -> tuple[list[tuple[int, dict[str, str]]], list[ImportProblem]]:
    """Decode and split a CSV file into numbered rows keyed by column name.

    The header names ``columns``, or ``columns`` and then the ``welsh`` ones.
    """
    if len(data) > MAX_IMPORT_BYTES:
        return [], [
            ImportProblem(
                None,
                _("The file is larger than %(size)s MB; split it or check it is the right file.")
                % {"size": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [
            ImportProblem(
                None,
                _(
                    "The file is not UTF-8 text (the first unreadable byte is at position "
                    "%(position)s). In your spreadsheet, save it as “CSV UTF-8”."
                )
                % {"position": exc.start + 1},
            )
        ]
    if "\x00" in text:
        return [], [ImportProblem(None, _("The file contains binary data; it is not a CSV file."))]

    required = len(columns)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[ImportProblem] = []
    row_number = 0
    while True:
        row_number += 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ImportProblem(row_number, _("This row cannot be read: %s") % exc))
            break
        cells = [cell.strip() for cell in record]
        if row_number == 1:
            while cells and not cells[-1]:
                cells.pop()
            if [cell.lower() for cell in cells] == list(columns + welsh):
                columns += welsh
            elif [cell.lower() for cell in cells] != list(columns):
                expected = ", ".join(columns)
                problems.append(
                    ImportProblem(
                        1,
                        _("The first row must name the columns %(expected)s.")
                        % {"expected": expected},
                    )
                )
                break
            continue
        if not any(cells):
            continue  # Spreadsheets often leave blank rows at the end.
        # Spreadsheets also pad rows with empty cells: only text beyond the last
        # column, or too few cells, means the row does not fit the header.
        # A row may stop after the English: its Welsh is then left as it is.
        if any(cells[len(columns) :]) or len(cells) < required:
            problems.append(
                ImportProblem(
                    row_number,
                    _("This row has %(found)s columns; there should be %(expected)s.")
                    % {"found": len(cells), "expected": len(columns)},
                )
            )
            continue
        rows.append((row_number, dict(zip(columns, cells, strict=False))))
    if row_number == 1 and not problems:
        problems.append(ImportProblem(None, _("The file is empty.")))
    return rows, problems


def _in_row_order(problems: list[ImportProblem]) -> list[ImportProblem]:
    # Problems with the whole file first, then row by row as the editor reads it.
    return sorted(problems, key=lambda p: p.row or 0)


def _too_long(model, field_name: str, value: str) -> str | None:
    max_length = model._meta.get_field(field_name).max_length
    if max_length and len(value) > max_length:
        return _("The %(column)s is longer than %(max)s characters.") % {
            "column": field_name.replace("_", " "),
            "max": max_length,
        }
    return None


def _refuse_retired(version: FrameworkVersion) -> ImportResult | None:
    if version.status == FrameworkVersion.Status.RETIRED:
        return ImportResult(
            problems=[
                ImportProblem(
                    None,
                    _("“%(name)s” is retired, so it can no longer be changed.")
                    % {"name": version.name},
                )
            ]
        )
    return None


def _apply(result: ImportResult, apply) -> ImportResult:
    try:
        with transaction.atomic():
            apply()
    except FrameworkError as exc:
        # The version changed state while the file was being applied; every
        # write above was rolled back with the atomic block.
        return ImportResult(problems=[ImportProblem(None, str(exc))])
    return result


# --- Statements -------------------------------------------------------------


def statements_import(
    *,
    version: FrameworkVersion,
    data: bytes,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> ImportResult:
    """Update statement wording (and competency titles) from a CSV file.

    Rows for competencies or levels the version lacks add them, but only to a
    draft: the published version's structure is fixed.
    """
    refused = _refuse_retired(version)
    if refused:
        return refused
    rows, problems = _read(data, STATEMENT_COLUMNS, STATEMENT_WELSH)
    is_draft = version.status == FrameworkVersion.Status.DRAFT
    competencies = {
        c.code: c
        for c in Competency.objects.filter(domain__version=version).select_related("domain")
    }
    statements = {
        (s.competency.code, s.level): s
        for s in Statement.objects.filter(competency__domain__version=version).select_related(
            "competency__domain"
        )
    }
    domains = {d.number: d for d in Domain.objects.filter(version=version)}

    seen: dict[tuple[str, int], int] = {}
    titles: dict[str, tuple[str, int]] = {}
    titles_cy: dict[str, tuple[str, int]] = {}
    accepted: list[tuple[int, str, str, int, str]] = []
    for row_number, row in rows:
        row_problems: list[str] = []
        code, title, level_text, text = (
            row["code"],
            row["competency_title"],
            row["level"],
            services.normalise_wording(Statement, "text", row["text"]),
        )
        title = services.normalise_wording(Competency, "title", title)
        # A Welsh cell left empty, or a file without Welsh columns, leaves the Welsh as it is.
        welsh = {
            name: services.normalise_wording(model, name, row[column])
            for model, name, column in (
                (Competency, "title_cy", "competency_title_cy"),
                (Statement, "text_cy", "text_cy"),
            )
            if row.get(column)
        }
        if code and "title_cy" in welsh:
            first = titles_cy.setdefault(code, (welsh["title_cy"], row_number))
            if first[0] != welsh["title_cy"]:
                row_problems.append(
                    _("The title of competency %(code)s differs from the one on row %(row)s.")
                    % {"code": code, "row": first[1]}
                )
        try:
            competency_code_validator(code)
        except ValidationError:
            row_problems.append(
                _("“%(code)s” is not a competency code; use the form 1.01.") % {"code": code}
            )
            code = ""
        level = int(level_text) if level_text in {"1", "2", "3"} else None
        if level is None:
            row_problems.append(
                _("The level must be 1, 2 or 3, not “%(level)s”.") % {"level": level_text}
            )
        if not text:
            row_problems.append(_("The statement text is empty."))
        if not title:
            row_problems.append(_("The competency title is empty."))
        elif message := _too_long(Competency, "title", title):
            row_problems.append(message)

        if code:
            if code in titles and title and titles[code][0] != title:
                row_problems.append(
                    _("The title of competency %(code)s differs from the one on row %(row)s.")
                    % {"code": code, "row": titles[code][1]}
                )
            elif title:
                titles.setdefault(code, (title, row_number))
            if code not in competencies:
                domain_number = int(code.split(".")[0])
                if not is_draft:
                    row_problems.append(
                        _(
                            "There is no competency %(code)s in “%(name)s”. Competencies can "
                            "only be added to a draft version."
                        )
                        % {"code": code, "name": version.name}
                    )
                elif domain_number not in domains:
                    row_problems.append(
                        _("There is no domain %(number)s in “%(name)s”.")
                        % {"number": domain_number, "name": version.name}
                    )
            elif level is not None and (code, level) not in statements and not is_draft:
                row_problems.append(
                    _(
                        "Competency %(code)s has no level %(level)s statement in “%(name)s”. "
                        "Statements can only be added to a draft version."
                    )
                    % {"code": code, "level": level, "name": version.name}
                )
            if level is not None:
                if (code, level) in seen:
                    row_problems.append(
                        _("Competency %(code)s at level %(level)s is already on row %(row)s.")
                        % {"code": code, "level": level, "row": seen[(code, level)]}
                    )
                else:
                    seen[(code, level)] = row_number

        problems += [ImportProblem(row_number, message) for message in row_problems]
        if not row_problems:
            accepted.append((row_number, code, title, level, text, welsh))

    if problems:
        return ImportResult(problems=_in_row_order(problems))
    if not accepted:
        return ImportResult(problems=[ImportProblem(None, _("The file has no statements in it."))])

    result = ImportResult()
    reason = reason or _("CSV import")
    # A file cannot say what kind of change each row is. On the published
    # version it may only tidy punctuation, capitals and spacing; rewording
    # belongs in a draft, and the service refuses it here.
    kind = "" if is_draft else WordingRevision.Kind.EDITORIAL

    def apply() -> None:
        for _row, code, title, level, text, welsh in accepted:
            competency = competencies.get(code)
            row_changed = row_created = False
            titles = {"title": title} | (
                {"title_cy": welsh["title_cy"]} if "title_cy" in welsh else {}
            )
            texts = {"text": text} | ({"text_cy": welsh["text_cy"]} if "text_cy" in welsh else {})
            if competency is None:
                competency = services.competency_create(
                    domain=domains[int(code.split(".")[0])], code=code, user=user, **titles
                )
                competencies[code] = competency
                row_created = True
            elif services.wording_update(
                obj=competency, changes=titles, user=user, reason=reason, kind=kind
            ):
                row_changed = True
            statement = statements.get((code, level))
            if statement is None:
                services.statement_create(competency=competency, level=level, user=user, **texts)
                row_created = True
            elif services.wording_update(
                obj=statement, changes=texts, user=user, reason=reason, kind=kind
            ):
                row_changed = True
            if row_created:
                result.created += 1
            elif row_changed:
                result.changed += 1
            else:
                result.unchanged += 1

    return _apply(result, apply)


# --- Glossary ---------------------------------------------------------------


def glossary_import(
    *,
    version: FrameworkVersion,
    data: bytes,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> ImportResult:
    """Update and add glossary terms from a CSV file; rows are matched by slug."""
    refused = _refuse_retired(version)
    if refused:
        return refused
    rows, problems = _read(data, GLOSSARY_COLUMNS, GLOSSARY_WELSH)
    existing = {t.slug: t for t in version.glossary_terms.all()}
    existing_terms = {t.term.casefold(): t.slug for t in existing.values()}

    seen_slugs: dict[str, int] = {}
    seen_terms: dict[str, int] = {}
    accepted: list[tuple[str, dict[str, str]]] = []
    for row_number, row in rows:
        row_problems: list[str] = []
        slug = row["slug"]
        values = {
            name: services.normalise_wording(GlossaryTerm, name, row[name])
            for name in ("term", "definition")
        }
        for name in ("forms", "forms_cy"):
            if name == "forms" or row.get(name):
                values[name] = services.normalise_wording(
                    GlossaryTerm, name, row[name].replace(FORMS_SEPARATOR, "\n")
                )
        for name in ("term_cy", "definition_cy"):
            if row.get(name):
                values[name] = services.normalise_wording(GlossaryTerm, name, row[name])
        if not values["term"]:
            row_problems.append(_("The term is empty."))
        elif message := _too_long(GlossaryTerm, "term", values["term"]):
            row_problems.append(message)
        if not values["definition"]:
            row_problems.append(_("The definition is empty."))
        if not slug:
            row_problems.append(_("The slug is empty."))
        else:
            try:
                validate_slug(slug)
            except ValidationError:
                row_problems.append(
                    _(
                        "The slug “%(slug)s” may hold only letters, numbers, hyphens and "
                        "underscores."
                    )
                    % {"slug": slug}
                )
            if message := _too_long(GlossaryTerm, "slug", slug):
                row_problems.append(message)
            if slug in seen_slugs:
                row_problems.append(
                    _("The slug “%(slug)s” is already on row %(row)s.")
                    % {"slug": slug, "row": seen_slugs[slug]}
                )
            else:
                seen_slugs[slug] = row_number
        key = values["term"].casefold()
        if key:
            if key in seen_terms:
                row_problems.append(
                    _("The term “%(term)s” is already on row %(row)s.")
                    % {"term": values["term"], "row": seen_terms[key]}
                )
            else:
                seen_terms[key] = row_number
            if key in existing_terms and existing_terms[key] != slug:
                row_problems.append(
                    _("“%(term)s” is already in the glossary with the slug “%(slug)s”.")
                    % {"term": values["term"], "slug": existing_terms[key]}
                )
        problems += [ImportProblem(row_number, message) for message in row_problems]
        if not row_problems:
            accepted.append((slug, values))

    if problems:
        return ImportResult(problems=_in_row_order(problems))
    if not accepted:
        return ImportResult(problems=[ImportProblem(None, _("The file has no terms in it."))])

    result = ImportResult()
    reason = reason or _("CSV import")

    def apply() -> None:
        for slug, values in accepted:
            glossary_term = existing.get(slug)
            if glossary_term is None:
                services.glossary_term_create(version=version, slug=slug, user=user, **values)
                result.created += 1
            elif services.wording_update(
                obj=glossary_term, changes=values, user=user, reason=reason
            ):
                result.changed += 1
            else:
                result.unchanged += 1

    return _apply(result, apply)
