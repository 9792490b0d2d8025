"""Area insight for commissioners, and for the public when the setting allows."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from workforce import access, exports, svg
from workforce.area import NATION_REGIONS, UK, geographies
from workforce.forms import (
    group_choices,
)
from workforce.insight import InsightQuery, area_figures, geo_label

# --- Area insight ---------------------------------------------------------------------


def _insight(request: HttpRequest):
    scope = access.insight_scope(request.user)
    if scope is None:
        raise Http404
    may_group, allowed = scope
    ordered = [g for g in geographies() if g in allowed]
    geo = request.GET.get("geo") or (UK if UK in allowed else ordered[0])
    if geo not in allowed:
        geo = ordered[0]
    dim = value = ""
    group = request.GET.get("group", "") if may_group else ""
    if group:
        dim, _sep, value = group.partition(":")
        valid = {v for _h, opts in group_choices()[1:] for v, _l in opts}
        if group not in valid:
            dim = value = group = ""
    labels = {v: label for _h, opts in group_choices()[1:] for v, label in opts}
    group_label = str(labels.get(group, _("Everyone")))
    geo_choices = []
    for g in ordered:
        depth = 0 if g == UK else (1 if g in NATION_REGIONS else 2)
        geo_choices.append((g, "\u2003" * depth + str(geo_label(g))))
    figures = area_figures(InsightQuery(geo, dim, value))
    return figures, group_label, geo_choices, may_group, group


@require_safe
def insight(request: HttpRequest) -> HttpResponse:
    figures, group_label, geo_choices, may_group, group = _insight(request)
    return render(
        request,
        "workforce/insight.html",
        {
            "f": figures,
            "group_label": group_label,
            "geo_choices": geo_choices,
            "group_choices": group_choices() if may_group else None,
            "group": group,
            "trend_chart": svg.insight_trend(figures),
            "query_string": request.GET.urlencode(),
            "area_label": geo_label(figures.query.geo),
        },
    )


@require_safe
def insight_download(request: HttpRequest, fmt: str) -> HttpResponse:
    figures, group_label, *_rest = _insight(request)
    if fmt == "json":
        response = HttpResponse(
            exports.area_json(figures, group_label), content_type="application/json"
        )
    else:
        response = HttpResponse(
            exports.area_csv(figures, group_label), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="area-insight.{fmt}"'
    return response
