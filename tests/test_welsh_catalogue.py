"""Every string the project marks for translation has Welsh in the committed catalogue.

The catalogue is gathered afresh from a copy of the code (``makemessages``, as
``manage.py translations_merge --makemessages`` does), so a string added without
running the tool fails here too, and so does a changed one (it comes back fuzzy).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from imhcf.management.commands.translations_merge import IGNORE, PO_PATH, untranslated

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def gathered(tmp_path_factory) -> polib.POFile:
    """The committed .po after makemessages has run over a copy of today's code."""
    copy = tmp_path_factory.mktemp("catalogue") / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORE, ".git", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "translations_merge", "--makemessages"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return polib.pofile(str(copy / PO_PATH.relative_to(ROOT)))


def test_every_message_has_welsh(gathered):
    missing = untranslated(gathered)
    assert not missing, (
        f"{len(missing)} messages have no Welsh (or only a fuzzy one):\n"
        + "\n".join(
            f"  {e.msgid!r} ({', '.join(f for f, _line in e.occurrences[:2])})"
            for e in missing[:60]
        )
    )
    assert len(gathered) > 2000


def test_the_committed_catalogue_is_what_makemessages_gives(gathered):
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_PATH)) if not e.obsolete}
    current = {(e.msgctxt, e.msgid) for e in gathered if not e.obsolete}
    assert committed == current, (
        "run manage.py translations_merge --makemessages and commit the .po: "
        f"{len(current - committed)} new, {len(committed - current)} gone"
    )


def test_welsh_plural_forms_follow_the_welsh_rule():
    po = polib.pofile(str(PO_PATH))
    assert po.metadata["Language"] == "cy"
    assert po.metadata["Plural-Forms"].startswith("nplurals=4;")
    # A message whose Welsh forms differ: Django picks them by the catalogue's rule
    # (1 takes the first form, 2 the second, 3 the third, 8 the fourth).
    entry = next(
        e for e in po if e.msgid_plural and len(set(e.msgstr_plural.values())) > 1 and not e.msgctxt
    )
    with translation.override("cy"):
        chosen = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2, 3, 8)]
    assert chosen == [entry.msgstr_plural[i] for i in range(4)]
