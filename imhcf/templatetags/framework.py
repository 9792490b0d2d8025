from django import template
from django.utils.html import escape

from imhcf.bilingual import localised

register = template.Library()


@register.filter
def glossed(statement, marked: dict):
    """The statement's text with glossary terms marked, from ``glossary.marked_statements``."""
    if marked and statement.pk in marked:
        return marked[statement.pk]
    return escape(localised(statement, "text"))
