"""Provider staff: courses, sessions, mappings, attendance, effectiveness and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.forms_text import parse_ids
from imhcf.http import form_page, refusal_shown
from training import access, exports, selectors, services
from training.errors import TrainingError
from training.forms import AttendanceEmailsForm, CodesForm, CourseForm, MappingForm, SessionForm


def _provider_view(view):
    return login_required(access.provider_staff_required(view))


def _course_redirect(course):
    return redirect("training:provider_course", pk=course.pk)


@require_safe
@_provider_view
def provider_home(request):
    return render(
        request,
        "training/provider/home.html",
        {"providers": selectors.provider_courses(access.provider_ids_for(request.user))},
    )


def _form_page(request, form, save, *, done: str, template: str, context: dict):
    """A provider form: on a valid POST, ``save(cleaned_data)`` and go to the course page."""
    return form_page(
        request,
        form,
        save,
        refusal=TrainingError,
        then=_course_redirect,
        done=done,
        template=template,
        context=context,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def course_create(request, provider_pk: int):
    provider = access.get_provider_for_staff(request.user, provider_pk)
    return _form_page(
        request,
        CourseForm(request.POST or None),
        lambda data: services.course_create(provider=provider, user=request.user, data=data),
        done=_("Course saved. Now add its sessions and map it."),
        template="training/provider/course_form.html",
        context={"provider": provider},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def course_edit(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    return _form_page(
        request,
        CourseForm(request.POST or None, instance=course),
        lambda data: services.course_update(course=course, user=request.user, data=data),
        done=_("Course details saved."),
        template="training/provider/course_form.html",
        context={"provider": course.provider, "course": course},
    )


@require_safe
@_provider_view
def provider_course(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    return render(
        request,
        "training/provider/course.html",
        {
            "course": course,
            "sessions": selectors.sessions_with_counts(course),
            "mappings": selectors.mappings_for_review(course),
            "events": selectors.course_events(course),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def course_mappings(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    groups = selectors.statement_choices()
    allowed = {s.pk for _name, statements in groups for s in statements}
    current = {m.statement_id: m.note for m in course.mappings.all()}
    if request.method == "POST":
        chosen = set(parse_ids(request.POST.getlist("statement")))
        notes = {pk: request.POST.get(f"note-{pk}", "") for pk in allowed}
    else:
        chosen, notes = set(current), current
    return form_page(
        request,
        MappingForm(request.POST or None, allowed=allowed),
        lambda data: services.course_mappings_set(
            course=course, user=request.user, notes=data["notes"]
        ),
        refusal=TrainingError,
        then=lambda _result: _course_redirect(course),
        done=_("Mapping saved."),
        template="training/provider/mappings.html",
        context={
            "course": course,
            "groups": [
                (name, [(s, s.pk in chosen, notes.get(s.pk, "")) for s in statements])
                for name, statements in groups
            ],
        },
    )


@require_POST
@_provider_view
def mapping_confirm(request, pk: int):
    mapping = access.get_mapping_for_staff(request.user, pk)
    confirmed = _("Confirmed: the course still covers %(key)s.") % {"key": mapping.statement.key}
    with refusal_shown(request, refusal=TrainingError, success=confirmed):
        services.mapping_confirm(mapping=mapping, user=request.user)
    return redirect("training:provider_course", pk=mapping.course_id)


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def session_create(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    return _form_page(
        request,
        SessionForm(request.POST or None),
        lambda data: services.session_create(course=course, data=data).course,
        done=_("Session added."),
        template="training/provider/session_form.html",
        context={"course": course},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def session_edit(request, pk: int):
    session = access.get_session_for_staff(request.user, pk)
    return _form_page(
        request,
        SessionForm(request.POST or None, instance=session),
        lambda data: services.session_update(session=session, data=data).course,
        done=_("Session saved."),
        template="training/provider/session_form.html",
        context={"course": session.course, "session": session},
    )


@require_POST
@_provider_view
def course_publish(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    published = _(
        "Published. The course is in the catalogue; its mapping shows as reviewed "
        "once framework staff have checked it."
    )
    with refusal_shown(request, refusal=TrainingError, success=published):
        services.course_publish(course=course, user=request.user)
    return _course_redirect(course)


@require_POST
@_provider_view
def course_unpublish(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    services.course_unpublish(course=course, user=request.user)
    messages.success(request, _("The course is no longer in the catalogue."))
    return _course_redirect(course)


def _attendance_page(request, session, *, emails_form=None, codes_form=None, new_codes=None):
    return render(
        request,
        "training/provider/attendance.html",
        {
            "session": session,
            "course": session.course,
            "attendances": selectors.session_attendances(session),
            "codes": selectors.session_unused_codes(session),
            "new_codes": new_codes or [],
            "emails_form": emails_form or AttendanceEmailsForm(),
            "codes_form": codes_form or CodesForm(),
        },
        status=400
        if (emails_form and emails_form.errors) or (codes_form and codes_form.errors)
        else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_provider_view
def session_attendance(request, pk: int):
    session = access.get_session_for_staff(request.user, pk)
    if request.method != "POST":
        return _attendance_page(request, session)
    form = AttendanceEmailsForm(request.POST)
    if form.is_valid():
        try:
            added, already = services.attendance_confirm_emails(
                session=session, user=request.user, text=form.cleaned_data["emails"]
            )
        except TrainingError as exc:
            form.add_error("emails", str(exc))
        else:
            message = ngettext(
                "Attendance confirmed for %(n)s person.",
                "Attendance confirmed for %(n)s people.",
                added,
            ) % {"n": added}
            if already:
                message += " " + ngettext(
                    "%(n)s was already listed.", "%(n)s were already listed.", already
                ) % {"n": already}
            messages.success(request, message)
            return redirect("training:session_attendance", pk=session.pk)
    return _attendance_page(request, session, emails_form=form)


@require_POST
@_provider_view
def session_codes(request, pk: int):
    session = access.get_session_for_staff(request.user, pk)
    form = CodesForm(request.POST)
    if form.is_valid():
        try:
            codes = services.attendance_codes_issue(
                session=session, user=request.user, count=form.cleaned_data["count"]
            )
        except TrainingError as exc:
            form.add_error("count", str(exc))
        else:
            return _attendance_page(request, session, new_codes=codes)
    return _attendance_page(request, session, codes_form=form)


@require_POST
@_provider_view
def session_delete(request, pk: int):
    session = access.get_session_for_staff(request.user, pk)
    with refusal_shown(request, refusal=TrainingError, success=_("Session removed.")):
        services.session_delete(session=session)
    return _course_redirect(session.course)


@require_POST
@_provider_view
def session_codes_withdraw(request, pk: int):
    session = access.get_session_for_staff(request.user, pk)
    count = services.attendance_codes_withdraw(session=session)
    messages.success(
        request,
        ngettext("%(n)s unused code cancelled.", "%(n)s unused codes cancelled.", count)
        % {"n": count},
    )
    return redirect("training:session_attendance", pk=session.pk)


@require_POST
@_provider_view
def attendance_remove(request, pk: int):
    attendance = access.get_attendance_for_staff(request.user, pk)
    services.attendance_remove(attendance=attendance)
    messages.success(
        request, _("Removed %(email)s from the attendance list.") % {"email": attendance.email}
    )
    return redirect("training:session_attendance", pk=attendance.session_id)


@require_safe
@_provider_view
def course_effectiveness(request, pk: int):
    course = access.get_course_for_staff(request.user, pk)
    return render(
        request,
        "training/provider/effectiveness.html",
        {
            "course": course,
            "effect": selectors.effectiveness_for(course),
            "feedback": selectors.feedback_for(course),
        },
    )


EXPORTS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


@require_safe
@_provider_view
def course_export(request, pk: int, what: str, fmt: str):
    course = access.get_course_for_staff(request.user, pk)
    if fmt not in EXPORTS or what not in ("attendance", "effectiveness"):
        raise Http404
    if what == "attendance":
        header, rows = exports.attendance_table(course, selectors.course_attendance_rows(course))
    else:
        header, rows = exports.effectiveness_table(selectors.effectiveness_for(course))
    return EXPORTS[fmt](exports.filename_for(course, what), header, rows)
