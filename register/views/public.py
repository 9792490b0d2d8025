"""The public register: search, entry pages and verification. No sign-in.

These pages say only what the register publishes: name, number, level,
region, status, valid-until date and any restriction. Someone who is lapsed
or removed is never shown as registered, and their name is not shown at all.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from register.forms_public import (
    NUMBER_MAX_LENGTH,
    RegisterSearchForm,
    VerifyForm,
    canonical_number,
)
from register.search_html import result_rows, search_fields
from register.selectors import concerns as concern_selectors
from register.selectors import public as selectors


@require_safe
def search(request):
    form = RegisterSearchForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    context = {"form": form, "searched": False, "search_fields": search_fields(form)}
    if valid and form.has_criteria:
        context["searched"] = True
        criteria = form.cleaned_data
        if criteria["number"]:
            # A number names one entry: the region and level filters, perhaps
            # left over from an earlier search, would only hide it.
            entry = selectors.get_entry(criteria["number"])
            context["number"] = criteria["number"]
            context["number_entry"] = entry
            context["number_registered"] = entry is not None and (
                selectors.is_currently_registered(entry)
            )
            context["number_verdict"] = selectors.verdict_of(entry, criteria["number"])
        else:
            page = selectors.search_page(
                name=criteria["name"],
                region=criteria["region"],
                level=criteria["level"],
                page_number=request.GET.get("page"),
            )
            context["page"] = page
            context["result_rows"] = result_rows(page.object_list)
            context["page_links"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
    return render(request, "register/public/search.html", context)


def _not_found(request, number: str, *, invalid: bool):
    return render(
        request,
        "register/public/entry_not_found.html",
        {"number": number, "invalid": invalid},
        status=404,
    )


# Status changes (a suspension, say) must show at once, never from a cache.
@require_safe
@never_cache
def entry(request, number: str):
    canonical = canonical_number(number)
    if canonical is None:
        return _not_found(request, number, invalid=True)
    found = selectors.get_entry(canonical)
    if found is None:
        return _not_found(request, canonical, invalid=False)
    if not selectors.is_currently_registered(found):
        # The number and that plain statement: nothing else about the person.
        verdict = selectors.verdict_of(found, canonical)
        return render(
            request,
            "register/public/not_registered.html",
            {"verdict": verdict, "number": canonical},
        )
    return render(
        request,
        "register/public/entry.html",
        {
            "entry": found,
            "outcomes": concern_selectors.published_outcomes(found.pk),
            "publish_years": settings.IMHCF_CONCERN_PUBLISH_YEARS,
        },
    )


def _verify_response(request, verdict: selectors.Verdict, form: VerifyForm):
    status = 404 if verdict.state in (verdict.UNKNOWN, verdict.INVALID) else 200
    return render(
        request,
        "register/public/verify.html",
        {"verdict": verdict, "form": form, "checked_at": timezone.localtime()},
        status=status,
    )


@require_safe
@never_cache
def verify(request, number: str):
    canonical = canonical_number(number)
    if canonical is not None and canonical != number:
        return redirect("register:verify", number=canonical)
    # An invalid number goes back into the box, to be corrected rather than retyped.
    form = VerifyForm(initial={"number": number[:NUMBER_MAX_LENGTH]} if canonical is None else None)
    return _verify_response(request, selectors.verdict_for(canonical, raw=number), form)


@require_safe
def verify_lookup(request):
    if "number" not in request.GET:
        return render(request, "register/public/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("register:verify", number=form.cleaned_data["number"])
    return render(request, "register/public/verify.html", {"form": form})
