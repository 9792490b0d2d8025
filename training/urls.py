from django.urls import path

from training.views import practitioner, provider, public, staff

app_name = "training"

urlpatterns = [
    # The public catalogue.
    path("courses/", public.catalogue, name="catalogue"),
    path("courses/<int:pk>/", public.course_detail, name="course"),
    # A practitioner's courses.
    path("courses/mine/", practitioner.my_courses, name="my_courses"),
    path("courses/mine/code/", practitioner.redeem, name="redeem"),
    path(
        "courses/attendance/<int:pk>/evidence/",
        practitioner.attendance_evidence,
        name="attendance_evidence",
    ),
    path(
        "courses/attendance/<int:pk>/consent/",
        practitioner.attendance_consent,
        name="attendance_consent",
    ),
    path(
        "courses/attendance/<int:pk>/feedback/",
        practitioner.attendance_feedback,
        name="attendance_feedback",
    ),
    # Provider staff.
    path("provider/", provider.provider_home, name="provider_home"),
    path("provider/<int:provider_pk>/courses/new/", provider.course_create, name="course_create"),
    path("provider/courses/<int:pk>/", provider.provider_course, name="provider_course"),
    path("provider/courses/<int:pk>/edit/", provider.course_edit, name="course_edit"),
    path("provider/courses/<int:pk>/mapping/", provider.course_mappings, name="course_mappings"),
    path("provider/courses/<int:pk>/sessions/new/", provider.session_create, name="session_create"),
    path("provider/courses/<int:pk>/publish/", provider.course_publish, name="course_publish"),
    path(
        "provider/courses/<int:pk>/unpublish/", provider.course_unpublish, name="course_unpublish"
    ),
    path(
        "provider/courses/<int:pk>/effectiveness/",
        provider.course_effectiveness,
        name="course_effectiveness",
    ),
    path(
        "provider/courses/<int:pk>/<str:what>.<str:fmt>",
        provider.course_export,
        name="course_export",
    ),
    path("provider/mappings/<int:pk>/confirm/", provider.mapping_confirm, name="mapping_confirm"),
    path("provider/sessions/<int:pk>/edit/", provider.session_edit, name="session_edit"),
    path(
        "provider/sessions/<int:pk>/attendance/",
        provider.session_attendance,
        name="session_attendance",
    ),
    path("provider/sessions/<int:pk>/codes/", provider.session_codes, name="session_codes"),
    path(
        "provider/sessions/<int:pk>/codes/cancel/",
        provider.session_codes_withdraw,
        name="session_codes_withdraw",
    ),
    path("provider/sessions/<int:pk>/delete/", provider.session_delete, name="session_delete"),
    path(
        "provider/attendance/<int:pk>/remove/", provider.attendance_remove, name="attendance_remove"
    ),
    # Framework staff review mappings.
    path("staff/courses/", staff.review_queue, name="staff_queue"),
    path("staff/courses/<int:pk>/", staff.review_course, name="staff_review"),
]
