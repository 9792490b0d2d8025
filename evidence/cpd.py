"""The CPD record: a period's activities, hours and coverage, as a PDF."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from evidence import selectors
from evidence.documents import register_renderer
from evidence.errors import RenderError
from evidence.models import DocumentJob
from evidence.pdf import render_pdf
from imhcf.bilingual import localised
from imhcf.glossary import matcher_for_version
from imhcf.selectors import published_version
from selfassess import selectors as sa_selectors


def cpd_params(start: date, end: date) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def _period(job: DocumentJob) -> tuple[date, date]:
    if job.period is None:
        raise RenderError(_("The period for this CPD record is not valid."))
    return job.period


def _assessment_summary(owner) -> dict | None:
    """The latest self-assessment, domain by domain, for the record's last section."""
    assessment = sa_selectors.latest_assessment(owner)
    if assessment is None:
        return None
    domains = sa_selectors.version_domains(assessment.version)
    return {
        "assessment": assessment,
        "date": assessment.completed_at or assessment.started_at,
        "progress": sa_selectors.domain_progress(assessment, domains),
    }


def cpd_record_context(owner, start: date, end: date) -> dict:
    summary = selectors.cpd_summary(owner, start, end)
    version = published_version()
    texts = [item.description for item in summary.items]
    texts += [
        localised(link.statement, "text") for item in summary.items for link in item.links.all()
    ]
    key_terms = matcher_for_version(version).terms_in(texts) if version else []
    return {
        "owner": owner,
        "profile": sa_selectors.profile_for(owner),
        "summary": summary,
        "assessment": _assessment_summary(owner),
        "key_terms": key_terms,
        "generated_at": timezone.localtime(),
    }


@register_renderer(DocumentJob.Kind.CPD_RECORD)
def render_cpd_record(job: DocumentJob) -> bytes:
    start, end = _period(job)
    return render_pdf("pdf/cpd_record.html", cpd_record_context(job.owner, start, end))
