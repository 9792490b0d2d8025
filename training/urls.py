from imhcf.routes import named
from training.views import practitioner, provider, public, staff

app_name = "training"

urlpatterns = [
    # The public catalogue.
    named("courses/", public.catalogue),
    named("courses/<int:pk>/", public.course),
    # A practitioner's courses.
    named("courses/mine/", practitioner.my_courses),
    named("courses/mine/code/", practitioner.redeem),
    named("courses/attendance/<int:pk>/evidence/", practitioner.attendance_evidence),
    named("courses/attendance/<int:pk>/consent/", practitioner.attendance_consent),
    named("courses/attendance/<int:pk>/feedback/", practitioner.attendance_feedback),
    # Provider staff.
    named("provider/", provider.provider_home),
    named("provider/<int:provider_pk>/courses/new/", provider.course_create),
    named("provider/courses/<int:pk>/", provider.provider_course),
    named("provider/courses/<int:pk>/edit/", provider.course_edit),
    named("provider/courses/<int:pk>/mapping/", provider.course_mappings),
    named("provider/courses/<int:pk>/sessions/new/", provider.session_create),
    named("provider/courses/<int:pk>/publish/", provider.course_publish),
    named("provider/courses/<int:pk>/unpublish/", provider.course_unpublish),
    named("provider/courses/<int:pk>/effectiveness/", provider.course_effectiveness),
    named("provider/courses/<int:pk>/<str:what>.<str:fmt>", provider.course_export),
    named("provider/mappings/<int:pk>/confirm/", provider.mapping_confirm),
    named("provider/sessions/<int:pk>/edit/", provider.session_edit),
    named("provider/sessions/<int:pk>/attendance/", provider.session_attendance),
    named("provider/sessions/<int:pk>/codes/", provider.session_codes),
    named("provider/sessions/<int:pk>/codes/cancel/", provider.session_codes_withdraw),
    named("provider/sessions/<int:pk>/delete/", provider.session_delete),
    named("provider/attendance/<int:pk>/remove/", provider.attendance_remove),
    # Framework staff review mappings.
    named("staff/courses/", staff.staff_queue),
    named("staff/courses/<int:pk>/", staff.staff_review),
]
