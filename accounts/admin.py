from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import services
from accounts.models import (
    ApiToken,
    Brand,
    BrandHandle,
    Invitation,
    Membership,
    Organization,
    OrganizationOwned,
    User,
)
from accounts.tenancy import parent_fields, shared_fields

# The admin has no sign-in form of its own: /admin/login/ sends people to the product's, so
# staff sign in with its limits on failed passwords and its verified addresses, and a signed-in
# member who is not staff gets a 403.
admin.site.login = secure_admin_login(admin.site.login)


class OrganizationOwnedAdminForm(forms.ModelForm):
    """Refuses a parent row (a campaign, an influencer...) or a related row (a niche) of another
    organisation."""

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        organization_id = organization.pk if organization else self.instance.organization_id
        for field in parent_fields(self._meta.model):
            parent = cleaned.get(field.name)
            if parent is not None and parent.organization_id != organization_id:
                self.add_error(field.name, "Choose one of the same organisation.")
        for field in shared_fields(self._meta.model):
            rows = cleaned.get(field.name) or []
            if any(row.organization_id != organization_id for row in rows):
                self.add_error(field.name, "Choose only ones of the same organisation.")
        return cleaned


class OrganizationOwnedAdmin(admin.ModelAdmin):
    """Admin of an organisation-owned model: a row never points at another organisation's
    parent. A new row's parents must be of its organisation; once saved, its organisation and
    parents are read-only (moving a row would leave its children behind)."""

    form = OrganizationOwnedAdminForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fixed = ["organization", *(field.name for field in parent_fields(self.model))]
            fields += [name for name in fixed if name not in fields]
        return fields

    def save_formset(self, request, form, formset, change):
        # Rows added inline belong to the organisation of the row they are added to.
        for row in formset.save(commit=False):
            if isinstance(row, OrganizationOwned) and row.organization_id is None:
                row.organization_id = form.instance.organization_id
            row.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organization"
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new organisation gets its defaults, as organization_create gives
            services.organization_setup(organization=obj)


class BrandHandleInline(admin.TabularInline):
    model = BrandHandle
    extra = 0
    exclude = ["organization"]


@admin.register(Brand)
class BrandAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "organization", "website"]
    list_filter = ["organization"]
    search_fields = ["name"]
    inlines = [BrandHandleInline]

    def save_formset(self, request, form, formset, change):
        # Handles belong to the brand's organisation; the inline does not ask for it.
        for handle in formset.save(commit=False):
            handle.organization = form.instance.organization
            handle.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Membership)
class MembershipAdmin(OrganizationOwnedAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__name"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(OrganizationOwnedAdmin):
    list_display = [
        "email",
        "organization",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "organization"]
    search_fields = ["email"]
    readonly_fields = ["token"]


@admin.register(ApiToken)
class ApiTokenAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "user", "organization", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "digest"]
