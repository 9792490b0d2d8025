"""``{% data_table %}`` writes every data table's frame one way: wrapper, caption, head, rows,
or the empty-state paragraph instead."""

import pytest
from django.template import TemplateSyntaxError, engines
from pytest_django.asserts import assertHTMLEqual

TABLE = (
    "{% load i18n tables %}"
    '{% data_table rows class="align-middle" caption=_("Your things") empty=_("Nothing yet.") %}'
    '<tr><th scope="col">Name</th></tr>'
    "{% data_rows %}"
    "{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}"
    "{% end_data_table %}"
)


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_rows_are_framed_with_a_hidden_caption_and_scrolling_wrapper():
    assertHTMLEqual(
        render(TABLE, rows=["<b>one</b>"]),
        '<div class="table-responsive"><table class="table align-middle">'
        '<caption class="visually-hidden">Your things</caption>'
        '<thead><tr><th scope="col">Name</th></tr></thead>'
        "<tbody><tr><td>&lt;b&gt;one&lt;/b&gt;</td></tr></tbody></table></div>",
    )


def test_no_rows_gives_the_empty_paragraph_and_no_table():
    assertHTMLEqual(render(TABLE, rows=[]), "<p>Nothing yet.</p>")


def test_empty_paragraph_takes_a_class_and_no_empty_text_gives_nothing():
    source = (
        "{% load tables %}"
        '{% data_table rows empty=label empty_class="text-body-secondary" %}{% data_rows %}'
        "{% end_data_table %}"
    )
    assertHTMLEqual(
        render(source, rows=[], label="None."), '<p class="text-body-secondary">None.</p>'
    )
    bare = "{% load tables %}{% data_table rows %}{% data_rows %}{% end_data_table %}"
    assert render(bare, rows=[]).strip() == ""


def test_visible_caption_without_wrapper_and_without_rows_argument():
    source = (
        "{% load tables %}"
        '{% data_table class="table-sm" caption=since caption_visible=True responsive=False %}'
        "<tr><th>A</th></tr>{% data_rows %}<tr><td>1</td></tr>{% end_data_table %}"
    )
    assertHTMLEqual(
        render(source, since="Since <1 May>"),
        '<table class="table table-sm"><caption>Since &lt;1 May&gt;</caption>'
        "<thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
    )


def test_names_set_in_the_head_or_rows_reach_the_rows():
    source = (
        "{% load i18n tables %}{% data_table %}{% data_rows %}"
        '{% translate "Yes" as yes %}'
        "{% for r in rows %}<tr><td>{{ yes }} {{ r }}</td></tr>{% endfor %}"
        "{% end_data_table %}"
    )
    assert "<td>Yes 1</td>" in render(source, rows=[1])


@pytest.mark.parametrize(
    "tag",
    [
        "{% data_table rows colour='red' %}",
        "{% data_table rows other %}",
    ],
)
def test_an_unknown_option_is_a_syntax_error(tag):
    with pytest.raises(TemplateSyntaxError):
        render("{% load tables %}" + tag + "{% data_rows %}{% end_data_table %}")
