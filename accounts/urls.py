from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.onboarding, name="accounts-onboarding"),
    path("switch/", views.organization_switch, name="accounts-switch"),
    path("invitations/<str:token>/", views.invitation_accept, name="accounts-invitation"),
    path("settings/", views.organization_settings, name="accounts-settings"),
    path("settings/brands/", views.brand_list, name="accounts-brands"),
    path("settings/brands/new/", views.brand_create, name="accounts-brand-create"),
    path("settings/brands/<uuid:code>/", views.brand_edit, name="accounts-brand-edit"),
    path("settings/brands/<uuid:code>/delete/", views.brand_delete, name="accounts-brand-delete"),
    path("settings/members/", views.member_list, name="accounts-members"),
    path("settings/members/<uuid:code>/role/", views.member_role, name="accounts-member-role"),
    path(
        "settings/members/<uuid:code>/remove/", views.member_remove, name="accounts-member-remove"
    ),
    path(
        "settings/invitations/<uuid:code>/revoke/",
        views.invitation_revoke,
        name="accounts-invitation-revoke",
    ),
    path("settings/api-tokens/", views.api_token_list, name="accounts-api-tokens"),
    path(
        "settings/api-tokens/<uuid:code>/revoke/",
        views.api_token_revoke,
        name="accounts-api-token-revoke",
    ),
]
