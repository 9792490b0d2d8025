"""No "1 hours", "1 statements" or "1 items": a number beside a plural noun goes through
{% blocktranslate count %} (or ngettext), so the singular reads right in every language.

The scan reads every template's translated blocks. A block without ``count`` that puts a
variable straight before a word ending in "s" is reported, unless that word is a verb
("needs", "shows") or otherwise not a plural. The rendering tests beside each page
(renewal, evidence list, training, account pages) check the singular and plural
sentences themselves.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<options>.*?)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
# "{{ n }} statements", "<strong>{{ n }}</strong> items", "{{ n }} more files".
NUMBER_THEN_PLURAL = re.compile(
    r"\{\{\s*(?P<var>\w+)\s*\}\}(?:</strong>)?\s+(?:more\s+|new\s+)?(?P<word>[a-z]+s)\b"
)
NOT_PLURAL_NOUNS = {
    # Verbs and words that happen to end in "s" after a name or a figure.
    "is", "was", "has", "its", "this", "as", "us", "yes", "always", "does", "goes",
    "process", "address", "access", "status", "class", "plus", "across", "focus", "less",
    "unless", "thus", "needs", "asks", "shows", "works", "counts", "leads", "means", "says",
    "starts", "ends", "makes", "takes", "gets", "keeps", "stays", "lapses", "expires",
    "reads", "sees", "serves", "applies", "comes", "runs", "gives", "holds", "stands",
    "wants", "remains", "belongs", "lists", "uses", "includes", "matches", "covers",
    "changes", "towards", "afterwards",
}  # fmt: skip


def number_before_plural(text: str) -> list[str]:
    found = []
    for block in BLOCK.finditer(text):
        if re.search(r"\bcount\b", block.group("options")):
            continue
        for match in NUMBER_THEN_PLURAL.finditer(block.group("body")):
            if match.group("word") not in NOT_PLURAL_NOUNS:
                found.append(f"{{{{ {match.group('var')} }}}} {match.group('word')}")
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% blocktranslate with h=x %}{{ h }} hours{% endblocktranslate %}", ["{{ h }} hours"]),
        (
            "{% blocktranslate %}<strong>{{ n }}</strong> items in total{% endblocktranslate %}",
            ["{{ n }} items"],
        ),
        (
            "{% blocktranslate count n=x %}{{ n }} item{% plural %}{{ n }} items"
            "{% endblocktranslate %}",
            [],
        ),
        ("{% blocktranslate %}{{ name }} needs a reviewer{% endblocktranslate %}", []),
        ("{% blocktranslate with h=x|hours %}{{ h }} in all.{% endblocktranslate %}", []),
    ],
)  # fmt: skip
def test_the_scan_tells_a_bare_plural_from_a_counted_one(text, expected):
    assert number_before_plural(text) == expected


def test_no_template_puts_a_bare_number_before_a_plural_noun():
    offenders = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in {".html", ".txt"}:
            found = number_before_plural(path.read_text())
            if found:
                offenders[str(path.relative_to(TEMPLATES))] = found
    assert offenders == {}


def test_hours_have_one_format_no_floatformat_in_templates():
    # The project's one hours format is imhcf/templatetags/hours.py ("1 hour", "1.5 hours").
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if re.search(r"hours\|floatformat", path.read_text())
    ]
    assert offenders == []
