"""One frame for every data table: ``{% load tables %}``, then

    {% data_table applications class="align-middle" caption=_("Yours") empty=_("None yet.") %}
      <tr><th scope="col">…</th></tr>
    {% data_rows %}
      {% for application in applications %}<tr>…</tr>{% endfor %}
    {% end_data_table %}

The part before ``{% data_rows %}`` goes in ``<thead>``, the part after in ``<tbody>``;
``templates/_data_table.html`` writes the scrolling wrapper, the table's classes, the
caption (visually hidden unless ``caption_visible=True``) and, when the first argument
is given and empty, the ``empty`` paragraph instead of the table (``empty_class`` for its
class). ``responsive=False`` leaves out the wrapper. A template tag rather than a
component library: this is all the project needs, and it adds no dependency.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs

register = template.Library()

TEMPLATE = "_data_table.html"
OPTIONS = {"caption", "caption_visible", "class", "empty", "empty_class", "responsive"}


class DataTableNode(template.Node):
    def __init__(
        self,
        rows: FilterExpression | None,
        options: dict[str, FilterExpression],
        head: NodeList,
        body: NodeList,
    ):
        self.rows = rows
        self.options = options
        self.head = head
        self.body = body

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values.setdefault("responsive", True)
        values["table_class"] = values.pop("class", "")
        values["has_rows"] = self.rows is None or bool(self.rows.resolve(context))
        if values["has_rows"]:
            # Rendered here, in the page's context, so loop variables and ``as`` names work
            # (a rendered NodeList is already escaped and marked safe).
            values["head"] = self.head.render(context)
            values["body"] = self.body.render(context)
        frame = context.render_context.get(self)
        if frame is None:
            frame = context.render_context[self] = context.template.engine.get_template(TEMPLATE)
        return frame.render(context.new(values))


@register.tag
def data_table(parser: Parser, token: Token) -> DataTableNode:
    name, *bits = token.split_contents()
    rows = None
    if bits and "=" not in bits[0]:
        rows = parser.compile_filter(bits.pop(0))
    options = token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError(f"{name} takes key=value options, not {bits[0]!r}")
    unknown = set(options) - OPTIONS
    if unknown:
        raise template.TemplateSyntaxError(f"{name} has no option {sorted(unknown)[0]!r}")
    head = parser.parse(("data_rows",))
    parser.delete_first_token()
    body = parser.parse(("end_data_table",))
    parser.delete_first_token()
    return DataTableNode(rows, options, head, body)
