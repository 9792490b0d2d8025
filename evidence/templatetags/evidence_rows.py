"""The CPD page's tables, built in Python (evidence/list_html.py): same markup, all escaped."""

from django import template

from evidence import list_html

register = template.Library()

register.simple_tag(list_html.cpd_activity_rows)
register.simple_tag(list_html.cpd_bar_rows)
register.simple_tag(list_html.cpd_competency_rows)
