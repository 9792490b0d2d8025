"""Hand the framework's Welsh to a translator and bring it back.

The file is JSON: ``{"<app_label.model>:<pk>:<field>": "Welsh text"}``, where ``field`` is
the English field's name (``imhcf.statement:12:text``) and the text goes into its Welsh
sibling (``text_cy``, see ``imhcf.bilingual``). Glossary ``forms`` are one per line,
mutated forms included.

    manage.py framework_welsh export [--version ID] > framework-cy.json
    manage.py framework_welsh import framework-cy.json            # into the database
    manage.py framework_welsh import framework-cy.json --fixtures # into fixtures/*.json

Importing into the database goes through ``wording_update``, so each Welsh edit is
recorded in the wording history like an English one (as an editorial change; the
published version takes new Welsh, and edits to Welsh that leave its words alone).
``--fixtures`` writes the shipped draft wording instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from imhcf.bilingual import TRANSLATED, welsh_field
from imhcf.errors import FrameworkError
from imhcf.models import FrameworkVersion, WordingRevision
from imhcf.selectors import published_version
from imhcf.services.wording import wording_update

FIXTURES = ("framework.json", "glossary.json")


def _parse_key(key: str) -> tuple[str, int, str]:
    try:
        label, pk, field = key.split(":")
        model_name = label.split(".")[1]
        if field not in TRANSLATED[model_name]:
            raise KeyError(field)
        return label, int(pk), field
    except (ValueError, IndexError, KeyError) as exc:
        raise CommandError(f"Not a framework field: {key!r}") from exc


def _rows_of(version: FrameworkVersion):
    """Every worded row of ``version``, for the export."""
    yield version
    yield from version.levels.all()
    yield from version.domains.all()
    competencies = apps.get_model("imhcf", "Competency").objects.filter(domain__version=version)
    yield from competencies
    yield from apps.get_model("imhcf", "Statement").objects.filter(
        competency__domain__version=version
    )
    yield from version.glossary_terms.all()


class Command(BaseCommand):
    help = "Export the framework's Welsh for a translator, or import it back (see the module)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Print the Welsh of one version as JSON.")
        export.add_argument("--version", type=int, help="Version id (default: the published).")
        export.add_argument(
            "--english", action="store_true", help="Give the English where there is no Welsh."
        )
        load = sub.add_parser("import", help="Read a translator's JSON file.")
        load.add_argument("path")
        load.add_argument("--fixtures", action="store_true", help="Write into fixtures/*.json.")
        load.add_argument("--reason", default="Welsh translation")

    def handle(self, *args, action: str, **options):
        if action == "export":
            self._export(options["version"], options["english"])
        elif options["fixtures"]:
            self._into_fixtures(self._read(options["path"]))
        else:
            self._into_database(self._read(options["path"]), options["reason"])

    def _read(self, path: str) -> dict[tuple[str, int, str], str]:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {_parse_key(key): str(text).strip() for key, text in data.items()}

    def _export(self, version_id: int | None, english: bool) -> None:
        version = FrameworkVersion.objects.get(pk=version_id) if version_id else published_version()
        out: dict[str, str] = {}
        for row in _rows_of(version):
            for field in TRANSLATED[row._meta.model_name]:
                text = getattr(row, welsh_field(field)) or (getattr(row, field) if english else "")
                out[f"{row._meta.label_lower}:{row.pk}:{field}"] = text
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))

    def _into_fixtures(self, texts: dict[tuple[str, int, str], str]) -> None:
        written = 0
        for name in FIXTURES:
            path = Path(settings.FIXTURE_DIRS[0]) / name
            records = json.loads(path.read_text(encoding="utf-8"))
            for record in records:
                model_name = record["model"].split(".")[1]
                for field in TRANSLATED.get(model_name, ()):
                    text = texts.get((record["model"], record["pk"], field))
                    if text is not None:
                        record["fields"][welsh_field(field)] = text
                        written += 1
            path.write_text(
                json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        self.stdout.write(self.style.SUCCESS(f"{written} Welsh texts written into the fixtures."))

    def _into_database(self, texts: dict[tuple[str, int, str], str], reason: str) -> None:
        changes: dict[tuple[str, int], dict[str, str]] = {}
        for (label, pk, field), text in texts.items():
            changes.setdefault((label, pk), {})[welsh_field(field)] = text
        changed = 0
        for (label, pk), fields in changes.items():
            row = apps.get_model(label).objects.filter(pk=pk).first()
            if row is None:
                raise CommandError(f"There is no {label} {pk}.")
            try:
                changed += len(
                    wording_update(
                        obj=row,
                        changes=fields,
                        user=None,
                        reason=reason,
                        kind=WordingRevision.Kind.EDITORIAL,
                    )
                )
            except FrameworkError as exc:
                raise CommandError(f"{label} {pk}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{changed} Welsh texts changed and recorded."))
