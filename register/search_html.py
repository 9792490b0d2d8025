"""The public search form's three fields and its result rows, rendered in Python.

Through crispy's field templates and Django's widget templates (a region select
of 23 options, one template each) the three fields cost about 40 % of a search
page's CPU. The markup here is the same, byte for byte:

- the name box, built with ``format_html`` (the typed text escaped, the label
  and help text through gettext with the form's msgids);
- the region and level selects, kept in this process by
  ``imhcf.fragments.kept``, keyed by the field, the value chosen (only when it is
  one of the choices), the error state (none) and the language ``kept`` adds;
- any field with an error, rare, still rendered by crispy.

A page of 20 results through register/public/_result.html cost about as much
again (two includes, a ``{% url %}`` and a dozen lookups a row); those rows,
suspensions and restrictions included, are built with ``format_html`` too (a
restriction's text escaped, its line breaks kept, in Welsh where it has been
written and marked ``lang`` either way).
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from imhcf.bilingual import language_of, localised
from imhcf.fragments import kept
from register.models import RegisterEntry

SELECTS = ("region", "level")
# A registration number the entry page's pattern accepts, replaced in each row's link.
_URL_NUMBER = "IMH-000000-0"

# crispy's bootstrap5 field.html for a text input without errors, whitespace and all.
_Q_FIELD = (
    '\n\n\n    \n    <div id="div_id_q" class="mb-3">\n        \n            \n'
    '            <label\n                for="id_q" class="form-label">\n'
    "                {label}\n            </label>\n        \n\n        \n\n        \n"
    "            \n                \n                    \n"
    '                        <input type="text" name="q"{value} maxlength="{max_length}" '
    'type="search" autocomplete="off" class="textinput form-control" '
    'aria-describedby="id_q_helptext" id="id_q">\n'
    "                    \n                    \n                        \n\n\n    \n\n\n\n\n"
    "    \n    \n"
    '        <div id="id_q_helptext" class="form-text">{help}</div>\n'
    "    \n\n\n\n\n                    \n                \n            \n        \n"
    "        \n    </div>\n    \n\n"
)


def search_fields(form) -> dict[str, SafeString]:
    """Each of the search form's fields as ``|as_crispy_field`` renders it."""
    fields = {"q": _q_field(form)}
    for name in SELECTS:
        bound = form[name]
        value = bound.value()
        if bound.errors or not _is_choice(bound.field, value):
            fields[name] = as_crispy_field(bound)
        else:
            key = ("search-select", name, value, "no errors")
            fields[name] = kept(key, lambda b=bound: as_crispy_field(b))
    return fields


def _is_choice(field, value) -> bool:
    # None (no value sent) and "" (Any) are choices too; anything else typed by
    # hand is left out of the key, so no visitor can fill the store.
    return value is None or (isinstance(value, str) and field.valid_value(value))


def _q_field(form) -> SafeString:
    bound = form["q"]
    if bound.errors:
        return as_crispy_field(bound)
    value = bound.value()
    field = bound.field
    return format_html(
        _Q_FIELD,
        label=field.label,
        value=format_html(' value="{}"', value) if value else "",
        max_length=field.max_length,
        help=mark_safe(field.help_text),  # noqa: S308 - crispy shows it |safe too
    )


# templates/register/public/_result.html (with _status.html and _restriction.html)
# as the template engine leaves it, whitespace and all.
_ROW = (
    '<li class="card mb-2">\n  <div class="card-body">\n'
    '    <h3 class="h5 mb-2"><a href="{url}">{name}</a></h3>\n'
    '    <dl class="row g-2 mb-0">\n'
    '      <div class="col-6 col-md-3">\n'
    '        <dt class="small fw-normal text-body-secondary">{number_label}</dt>\n'
    '        <dd class="mb-0 font-monospace">{number}</dd>\n'
    "      </div>\n"
    '      <div class="col-6 col-md-2">\n'
    '        <dt class="small fw-normal text-body-secondary">{level_label}</dt>\n'
    '        <dd class="mb-0">{level}</dd>\n'
    "      </div>\n"
    '      <div class="col-6 col-md-3">\n'
    '        <dt class="small fw-normal text-body-secondary">{region_label}</dt>\n'
    '        <dd class="mb-0">{region}</dd>\n'
    "      </div>\n"
    '      <div class="col-6 col-md-2">\n'
    '        <dt class="small fw-normal text-body-secondary">{status_label}</dt>\n'
    '        <dd class="mb-0">{status}\n</dd>\n'
    "      </div>\n"
    '      <div class="col-6 col-md-2">\n'
    '        <dt class="small fw-normal text-body-secondary">{until_label}</dt>\n'
    '        <dd class="mb-0">{until}</dd>\n'
    "      </div>\n"
    "    </dl>\n    {restriction}\n\n  </div>\n</li>\n"
)
_SUSPENDED = (
    '\n<div class="border-start border-4 border-warning ps-3 mt-3">\n'
    '  <p class="fw-semibold mb-1">{label}</p>\n'
    '  <p class="mb-0">{text}</p>\n</div>\n'
)
_SUSPENDED_TEXT = '<span lang="{lang}">{text}</span>'
_CONDITIONS = (
    '\n<div class="border-start border-4 border-warning ps-3 mt-3">\n'
    '  <p class="fw-semibold mb-1">{label}</p>\n'
    '  <p class="mb-0" lang="{lang}">{text}</p>\n</div>\n'
)


def _as_translated(text: str) -> SafeString:
    # Unescaped, as {% translate %} leaves it: "Wedi'i gofrestru" keeps its apostrophe.
    return mark_safe(text)  # noqa: S308 - the translation catalogue's own text


def result_rows(entries) -> SafeString:
    """Each entry's ``<li>`` as register/public/_result.html renders it."""
    labels = {
        "number_label": _("Registration number"),
        "level_label": _("Level"),
        "region_label": _("Region"),
        "status_label": _("Status"),
        "until_label": _("Valid until"),
    }
    labels = {key: _as_translated(text) for key, text in labels.items()}
    registered = format_html(
        '<span class="badge text-bg-success">{}</span>', _as_translated(_("Registered"))
    )
    suspended = format_html(
        '<span class="badge text-bg-warning border border-warning-subtle">{}</span>',
        _as_translated(_("Suspended")),
    )
    url = reverse("register:entry", args=[_URL_NUMBER])
    levels: dict[int, str] = {}
    rows = []
    for entry in entries:
        level = levels.get(entry.level)
        if level is None:
            level = levels[entry.level] = entry.get_level_display()
        is_suspended = entry.status == RegisterEntry.Status.SUSPENDED
        rows.append(
            format_html(
                _ROW,
                url=url.replace(_URL_NUMBER, entry.registration_number),
                name=entry.display_name,
                number=entry.registration_number,
                level=level,
                region=entry.region_label,
                status=suspended if is_suspended else registered,
                until=date_format(entry.valid_until, "j M Y"),
                restriction=_restriction(entry, is_suspended),
                **labels,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every part is format_html's


def _restriction(entry, is_suspended: bool) -> SafeString | str:
    """register/public/_restriction.html with extra_class "mt-3", as _result.html includes it."""
    if not is_suspended and not entry.restriction:
        return ""
    if entry.restriction:
        text = linebreaksbr(localised(entry, "restriction"), autoescape=True)
        lang = language_of(entry, "restriction")
    if not is_suspended:
        return format_html(
            _CONDITIONS, label=_as_translated(_("Conditions on practice")), lang=lang, text=text
        )
    if entry.restriction:
        text = format_html(_SUSPENDED_TEXT, lang=lang, text=text)
    else:
        text = _as_translated(_("Recognition is suspended. No further detail has been published."))
    return format_html(_SUSPENDED, label=_as_translated(_("Restriction")), text=text)
