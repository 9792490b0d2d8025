"""Bring translators' Welsh into ``locale/cy/LC_MESSAGES/django.po`` and compile it.

    manage.py translations_merge [--makemessages] done-1.json done-2.json ...

Each file is a JSON list of ``{"msgid", "msgctxt"?, "msgid_plural"?, "msgstr"}`` (or
``"msgstr_plural": [four forms]`` for a plural; Welsh has four). ``--makemessages`` first
gathers every marked string from the code and templates into the .po, so new and changed
ones appear (a changed one comes back fuzzy and stays so until a file translates it).
Entries a file translates are written in and lose their fuzzy mark; a file's entry
with no text is skipped. It ends by saying what is still untranslated or fuzzy, which is
what ``tests/test_welsh_catalogue.py`` fails on, and compiles the .mo.
Run it again whenever a file changes: the result is the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PO_PATH = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Not the project's strings: the virtual environment, npm's packages and the tests.
IGNORE = [".venv", "node_modules", "tests", "var", "staticfiles"]
WELSH_PLURALS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"


def gather_messages() -> None:
    call_command(
        "makemessages", locale=["cy"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
    )


def merge(po, entries: list[dict]) -> tuple[int, int]:
    """Write ``entries`` into ``po``; (written, not in the catalogue)."""
    by_key = {(e.msgctxt or "", e.msgid): e for e in po}
    written = missing = 0
    for item in entries:
        entry = by_key.get((item.get("msgctxt") or "", item["msgid"]))
        if entry is None:
            missing += 1
            continue
        if entry.msgid_plural:
            forms = item.get("msgstr_plural") or []
            if len(forms) != 4 or not all(str(f).strip() for f in forms):
                continue
            entry.msgstr_plural = {i: str(form) for i, form in enumerate(forms)}
        else:
            text = str(item.get("msgstr") or "")
            if not text.strip():
                continue
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        written += 1
    return written, missing


def set_header(po) -> None:
    po.metadata.update(
        {
            "Project-Id-Version": "IMHCF Register",
            "Language": "cy",
            "Language-Team": "Cymraeg",
            "Plural-Forms": WELSH_PLURALS,
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    po.metadata_is_fuzzy = False


def untranslated(po) -> list:
    """Entries Django would show in English: untranslated, fuzzy, or a plural form left empty."""
    return [
        e
        for e in po
        if not e.obsolete
        and (
            "fuzzy" in e.flags
            or (e.msgid_plural and not all(v.strip() for v in e.msgstr_plural.values()))
            or (not e.msgid_plural and not e.msgstr.strip())
        )
    ]


class Command(BaseCommand):
    help = "Merge translators' JSON files into the Welsh catalogue and compile it."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="JSON files of translated entries.")
        parser.add_argument(
            "--makemessages", action="store_true", help="Gather new strings into the .po first."
        )

    def handle(self, *args, files: list[str], makemessages: bool, **options):
        try:
            import polib
        except ImportError as exc:  # pragma: no cover - a tool of the test extra
            raise CommandError("polib is missing: run bin/setup --test.") from exc
        if makemessages:
            gather_messages()
        if not PO_PATH.exists():
            raise CommandError(f"{PO_PATH} does not exist; run with --makemessages.")
        po = polib.pofile(str(PO_PATH), wrapwidth=100)
        set_header(po)
        for name in files:
            entries = json.loads(Path(name).read_text(encoding="utf-8"))
            written, missing = merge(po, entries)
            self.stdout.write(f"{name}: {written} written, {missing} no longer in the code.")
        po.save(str(PO_PATH))
        call_command("compilemessages", locale=["cy"], ignore_patterns=IGNORE, verbosity=0)
        left = untranslated(po)
        total = len([e for e in po if not e.obsolete])
        self.stdout.write(f"{total - len(left)} of {total} messages translated.")
        for entry in left:
            self.stdout.write(f"  still to translate: {entry.msgid!r}")
