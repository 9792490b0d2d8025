"""Evidence items: the list, adding and editing, files, and links to statements."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evidence import list_html, selectors, services
from evidence.access import (
    get_evidence_file_for_owner,
    get_evidence_for_user,
    get_published_statement,
)
from evidence.errors import EvidenceError
from evidence.forms import (
    AttachExistingForm,
    EvidenceFileUploadForm,
    EvidenceFilterForm,
    EvidenceItemForm,
    OversizeSkippingUploadHandler,
    StatementLinksForm,
)
from evidence.uploads import UploadRefused
from imhcf.access import get_published_version
from imhcf.forms_text import parse_ids
from imhcf.glossary import marked_statements
from imhcf.http import form_page, form_rendered, refusal_shown, safe_next
from imhcf.selectors import published_version

PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 100


@require_safe
@login_required
def evidence_list(request):
    domains = selectors.domain_choices()
    form = EvidenceFilterForm(request.GET or None, domains=domains)
    filters = form.filters()
    items = selectors.evidence_list(request.user, **filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # Asked only when a filter matched nothing: "no evidence yet" reads differently.
    has_any = bool(page.object_list) or (
        bool(filters) and selectors.items_for_owner(request.user).exists()
    )
    return render(
        request,
        "evidence/list.html",
        {
            "form": form,
            "filter_fields": list_html.filter_fields(form, domains),
            "page": page,
            "item_rows": list_html.item_rows(
                page.object_list, selectors.statement_codes(page.object_list)
            ),
            "filtered": bool(filters),
            "has_any": has_any,
            "total_hours": selectors.hours_total(items),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_create(request):
    # From a statement's row: the new item is linked to that statement as it is saved.
    statement_id = request.POST.get("statement") or request.GET.get("statement")
    statement = get_published_statement(statement_id) if statement_id else None
    justification = " ".join(request.POST.get("justification", "").split())
    return form_page(
        request,
        EvidenceItemForm(request.POST or None),
        lambda data: services.evidence_item_create(
            owner=request.user,
            data=data,
            statement_ids=[statement.pk] if statement else [],
            justification=justification,
        ),
        refusal=EvidenceError,
        then=lambda item: _item_created(request, item),
        template="evidence/item_form.html",
        context=lambda: {
            "statement": statement,
            "justification": justification,
            "next": safe_next(request),
            "marked": marked_statements(statement.competency.domain.version) if statement else {},
        },
    )


def _item_created(request, item):
    next_url = safe_next(request)
    if next_url:
        # Back to the grid: say where files can be added, since that page is elsewhere.
        messages.success(
            request,
            format_html(
                _('Your evidence “{title}” is saved. <a href="{url}">Add files to it</a>.'),
                title=item.title,
                url=reverse("evidence:item_detail", args=[item.pk]),
            ),
        )
        return redirect(next_url)
    messages.success(request, _("Your evidence “%(title)s” is saved.") % {"title": item})
    return redirect(reverse("evidence:item_detail", args=[item.pk]))


FILE_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy(
        "Word (DOCX)"
    ),
    "application/vnd.oasis.opendocument.text": gettext_lazy("OpenDocument (ODT)"),
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}


def _item_page(request, item, *, upload_form=None, upload_error: str = "", status: int = 200):
    files = list(selectors.files_for_item(item))
    for evidence_file in files:
        evidence_file.type_label = FILE_TYPE_LABELS.get(
            evidence_file.content_type, evidence_file.content_type
        )
    version = published_version()
    quota = settings.IMHCF_USER_QUOTA_BYTES
    return render(
        request,
        "evidence/item_detail.html",
        {
            "item": item,
            "links": selectors.item_links(item),
            "marked": marked_statements(version) if version else {},
            "files": files,
            "upload_form": upload_form or EvidenceFileUploadForm(),
            "upload_error": upload_error,
            "storage_used": services.storage_used_by(request.user),
            "quota": quota,
            # The meter turns amber, then red, as the allowance fills.
            "quota_low": int(quota * 0.75),
            "quota_high": int(quota * 0.9),
            "max_upload": settings.IMHCF_UPLOAD_MAX_BYTES,
            "wide_links": settings.IMHCF_EVIDENCE_WIDE_LINKS,
        },
        status=status,
    )


@require_safe
@login_required
def item_detail(request, pk: int):
    return _item_page(request, get_evidence_for_user(request.user, pk))


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, pk: int):
    item = get_evidence_for_user(request.user, pk)
    return form_page(
        request,
        EvidenceItemForm(request.POST or None, instance=item),
        lambda data: services.evidence_item_update(item=item, data=data),
        refusal=EvidenceError,
        then=lambda _item: redirect("evidence:item_detail", pk=item.pk),
        done=_("Your changes are saved."),
        template="evidence/item_form.html",
        context={"item": item},
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_delete(request, pk: int):
    item = get_evidence_for_user(request.user, pk)
    if request.method == "POST":
        deleted = _("“%(title)s” and its files are deleted.") % {"title": item}
        with refusal_shown(request, refusal=EvidenceError, success=deleted) as attempt:
            services.evidence_item_delete(item=item)
        if not attempt.ok:
            return redirect("evidence:item_detail", pk=item.pk)
        return redirect("evidence:list")
    return render(
        request,
        "evidence/item_confirm_delete.html",
        {
            "item": item,
            "files": selectors.files_for_item(item),
            "links": selectors.item_links(item),
        },
    )


# Why CSRF is checked by hand here: Django's CSRF middleware reads request.POST,
# which parses the upload before this view could add the handler that drops
# oversized files, and turns a too-large request into a bare 400 page. So the
# view is exempt from the middleware, parses the body itself, and then runs the
# same CSRF check (csrf_protect) before anything is stored.
@csrf_exempt
@require_POST
@login_required
def file_upload(request, pk: int):
    item = get_evidence_for_user(request.user, pk)
    size_guard = OversizeSkippingUploadHandler(request)
    request.upload_handlers.insert(0, size_guard)
    try:
        request.POST  # noqa: B018 - parse now, so a refused body is caught here
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        too_large = _(
            "That upload was too large to accept, so nothing was added. Upload files of up "
            "to %(size)s each, a few at a time."
        ) % {"size": filesizeformat(settings.IMHCF_UPLOAD_MAX_BYTES)}
        return _item_page(request, item, upload_error=too_large, status=413)
    return _store_uploads(request, item, size_guard.oversized)


@csrf_protect
def _store_uploads(request, item, oversized: list[str]):
    form = EvidenceFileUploadForm(request.POST, request.FILES, oversized=oversized)
    if not form.is_valid():
        return _item_page(request, item, upload_form=form, status=400)
    uploads = form.cleaned_data["files"] or []
    for name in oversized:
        form.refuse_oversized(name)
    added = 0
    for upload in uploads:
        try:
            services.evidence_file_add(item=item, uploaded=upload)
        except (UploadRefused, EvidenceError) as exc:
            # The content check's refusals name the file already; the quota's do not.
            form.refuse(upload.name, str(exc), names_file=isinstance(exc, UploadRefused))
        else:
            added += 1
    if added:
        messages.success(
            request,
            ngettext("%(n)s file added.", "%(n)s files added.", added) % {"n": added},
        )
    if form.errors:
        # A refusal answers 400, as every refused form does; any good files beside it are kept.
        return _item_page(request, item, upload_form=form, status=400)
    return redirect(reverse("evidence:item_detail", args=[item.pk]) + "#files")


@require_http_methods(["GET", "POST"])
@login_required
def file_delete(request, pk: int):
    evidence_file = get_evidence_file_for_owner(request.user, pk)
    if request.method == "POST":
        deleted = _("“%(name)s” is deleted.") % {"name": evidence_file.original_name}
        with refusal_shown(request, refusal=EvidenceError, success=deleted):
            services.evidence_file_delete(evidence_file=evidence_file)
        return redirect(reverse("evidence:item_detail", args=[evidence_file.item_id]) + "#files")
    return render(request, "evidence/file_confirm_delete.html", {"file": evidence_file})


@require_http_methods(["GET", "POST"])
@login_required
def item_statements(request, pk: int):
    item = get_evidence_for_user(request.user, pk)
    version = get_published_version()
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    current = {link.statement_id: link.justification for link in item.links.all()}
    domains = selectors.statement_picker(version, query)
    allowed = {s.pk for d in domains for c in d.competencies.all() for s in c.statements.all()}
    form = StatementLinksForm(request.POST or None, allowed=allowed)
    if request.method == "POST":
        if form.is_valid():
            # Links made under an earlier edition are not on this page; keep them as they are.
            kept = {pk: text for pk, text in current.items() if pk not in allowed}
            chosen = form.cleaned_data["justifications"]
            try:
                services.evidence_links_set(
                    item=item, statement_ids=[*chosen, *kept], justifications=kept | chosen
                )
            except EvidenceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "This evidence now supports %(n)s statement.",
                        "This evidence now supports %(n)s statements.",
                        len(chosen) + len(kept),
                    )
                    % {"n": len(chosen) + len(kept)},
                )
                return redirect("evidence:item_detail", pk=item.pk)
        # Show what they ticked and typed, not what was saved before.
        current = {
            pk: " ".join(request.POST.get(f"justification-{pk}", "").split())
            for pk in parse_ids(request.POST.getlist("statement"))
        }
    selectors.mark_chosen(domains, current)
    return form_rendered(
        request,
        "evidence/item_statements.html",
        {
            "item": item,
            "version": version,
            "domains": domains,
            "form": form,
            "query": query,
            "match_count": sum(d.match_count for d in domains),
            "chosen_count": len(current),
            "marked": marked_statements(version),
            "wide_links": settings.IMHCF_EVIDENCE_WIDE_LINKS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def attach(request, statement_id: int):
    statement = get_published_statement(statement_id)
    items = selectors.items_for_owner(request.user)
    return form_page(
        request,
        AttachExistingForm(request.POST or None, items=items),
        lambda data: services.evidence_statement_attach(
            owner=request.user,
            items=data["items"],
            statement_id=statement.pk,
            justification=data["justification"],
        ),
        refusal=EvidenceError,
        then=lambda _added: redirect(
            safe_next(request) or reverse("evidence:attach", args=[statement.pk])
        ),
        done=lambda added: (
            ngettext(
                "%(n)s item of evidence attached to %(key)s.",
                "%(n)s items of evidence attached to %(key)s.",
                added,
            )
            % {"n": added, "key": statement.key}
        ),
        template="evidence/attach.html",
        context=lambda: {
            "statement": statement,
            "items": list(items),
            "linked": selectors.item_ids_linked_to(request.user, statement),
            "new_form": EvidenceItemForm(),
            "next": safe_next(request),
            "marked": marked_statements(statement.competency.domain.version),
        },
    )
