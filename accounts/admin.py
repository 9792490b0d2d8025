from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.models import Consent, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        # Django's form maps a username field this model does not have.
        field_classes = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, for a model whose login is the email address."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "is_staff", "is_active", "has_mfa", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        # One EXISTS per row inside the list query, not one query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(_has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
        )

    @admin.display(boolean=True, description=_("Two-factor"), ordering="_has_mfa")
    def has_mfa(self, obj) -> bool:
        return obj._has_mfa


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consents are evidence of what someone agreed: staff read them, nobody edits them."""

    list_display = ("user", "purpose", "scope", "given_at", "withdrawn_at")
    list_filter = ("purpose", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "user__full_name", "scope")
    list_select_related = ("user",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
