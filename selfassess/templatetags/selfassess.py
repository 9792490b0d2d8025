from django import template

register = template.Library()


@register.filter
def evidence_for(counts: dict, statement) -> int:
    """How many evidence items back ``statement``, matched by its stable key."""
    if not counts:
        return 0
    return counts.get((statement.competency.code, statement.level), 0)


@register.filter
def share_for(shares: dict, number: int):
    """The peer share for domain ``number``, or None when it is not shown."""
    return (shares or {}).get(number)
