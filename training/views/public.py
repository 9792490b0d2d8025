"""The public course catalogue and course pages."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from imhcf.http import form_rendered
from training import selectors
from training.access import get_public_course, is_provider_staff
from training.forms import CatalogueSearchForm


@require_safe
def catalogue(request):
    domains = selectors.published_domains()
    form = CatalogueSearchForm(request.GET or None, domains=domains)
    search = selectors.Search()
    if form.is_valid():
        data = form.cleaned_data
        search = selectors.Search(
            words=data["q"],
            domain=data["domain"],
            level=data["level"],
            statement=data["statement"],
            region=data["region"],
            mode=data["mode"],
            starts_after=data["starts_after"],
            starts_before=data["starts_before"],
        )
    page, rows = selectors.catalogue_page(search, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return form_rendered(
        request,
        "training/catalogue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "search": search,
            "query": query.urlencode(),
            "is_provider_staff": is_provider_staff(request.user),
        },
    )


@require_safe
def course(request, pk: int):
    course = get_public_course(pk)
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "map": selectors.course_map(course),
            "sessions": selectors.course_sessions(course),
        },
    )
