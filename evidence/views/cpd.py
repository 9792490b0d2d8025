"""The CPD log: hours over a period, and asking for the CPD record PDF."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from evidence import selectors, services
from evidence.cpd import cpd_params
from evidence.forms import CpdPeriodForm
from evidence.models import DocumentJob
from imhcf.fragments import kept

DEFAULT_PERIOD = {"period": CpdPeriodForm.LAST_12_MONTHS}


def _period_form(form: CpdPeriodForm):
    def build():
        return render_to_string("evidence/_cpd_period_form.html", {"form": form})

    # The default period's form has no dates and no errors: the same for everyone.
    if form.data == DEFAULT_PERIOD:
        return kept(("cpd-period-form",), lambda: mark_safe(build()))  # noqa: S308 - rendered
    return mark_safe(build())  # noqa: S308 - rendered by the template engine, which escapes


def _cpd_page(request, form: CpdPeriodForm, *, status: int = 200):
    period = form.period_dates
    jobs = selectors.recent_documents(request.user, DocumentJob.Kind.CPD_RECORD)
    return render(
        request,
        "evidence/cpd.html",
        {
            "form": form,
            "period_form": _period_form(form),
            "summary": (
                selectors.cpd_summary(request.user, *period, links=False) if period else None
            ),
            "jobs": jobs,
        },
        status=status,
    )


@require_safe
@login_required
def cpd(request):
    # Bound from the start so the default period (the last 12 months) is computed like any other.
    data = request.GET if "period" in request.GET else DEFAULT_PERIOD
    return _cpd_page(request, CpdPeriodForm(data))


@require_POST
@login_required
def cpd_record_request(request):
    form = CpdPeriodForm(request.POST)
    period = form.period_dates
    if period is None:
        return _cpd_page(request, form, status=400)
    job = services.document_request(
        owner=request.user, kind=DocumentJob.Kind.CPD_RECORD, params=cpd_params(*period)
    )
    return redirect("evidence:document_detail", pk=job.pk)
