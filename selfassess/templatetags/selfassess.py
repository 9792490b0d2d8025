from django import template
from django.utils.safestring import SafeString, mark_safe

from selfassess import cells, overview_lists

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


def _cell_context(context, **overrides) -> cells.CellContext:
    request = context.get("request")
    fields = {
        "csrf_token": str(context.get("csrf_token", "")),
        "values": cells.rating_values(),
        "target_level": context.get("target_level", 3),
        "marked": context.get("marked"),
        "evidence_counts": context.get("evidence_counts"),
        "conflict": context.get("conflict"),
        "saved_id": context.get("saved_id"),
        "full_path": request.get_full_path() if request is not None else "",
    }
    fields.update(overrides)
    return cells.CellContext(**fields)


@register.simple_tag(takes_context=True)
def rating_cells(context, ratings) -> SafeString:
    """Every cell of a competency row (selfassess/cells.py)."""
    ctx = context.render_context.get("selfassess_cells")
    if ctx is None:  # once per page, shared by every row
        ctx = context.render_context["selfassess_cells"] = _cell_context(context)
    return mark_safe("".join(cells.rating_cell(r, ctx) for r in ratings))  # noqa: S308


@register.simple_tag(takes_context=True)
def rating_form(context, rating) -> SafeString:
    """A cell's form alone, as a refused save re-renders it."""
    return cells.rating_form(rating, _cell_context(context))


@register.simple_tag
def rating_actions(rating, saved: bool = False, refused: bool = False) -> SafeString:
    return cells.rating_actions(rating, saved=saved, refused=refused)


@register.simple_tag
def competency_level(level, out_of_order) -> SafeString:
    return cells.competency_level(level, out_of_order)


@register.simple_tag
def unevidenced_items(ratings) -> SafeString:
    """The overview's statements rated Achieved without evidence (selfassess/overview_lists.py)."""
    return overview_lists.unevidenced_items(ratings)


@register.simple_tag
def gap_items(domain_number, ratings) -> SafeString:
    """One domain's gaps on the overview (selfassess/overview_lists.py)."""
    return overview_lists.gap_items(domain_number, ratings)


@register.simple_tag
def map_rows(domains, target_level, peer_shares, profile) -> SafeString:
    """The overview's map of figures per domain and level (selfassess/overview_lists.py)."""
    return overview_lists.map_rows(domains, target_level, peer_shares, profile)


@register.simple_tag
def change_rows(changes, show_direction=False) -> SafeString:
    """The rows of a change table (selfassess/overview_lists.py)."""
    return overview_lists.change_rows(changes, bool(show_direction))


@register.simple_tag
def domain_summary(progress) -> SafeString:
    return cells.domain_summary(progress)


@register.simple_tag
def domain_nav_progress(progress) -> SafeString:
    return cells.domain_nav_progress(progress)
