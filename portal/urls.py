"""The developer portal's pages, mounted at /portal/."""

from django.urls import path

from portal import applications, keys, organizations, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", organizations.dashboard, name="dashboard"),
    path("organizations/switch/", organizations.switch_organization, name="switch-organization"),
    path("team/", organizations.team, name="team"),
    path("team/invitations/", organizations.invite, name="invite"),
    path("team/invitations/<uuid:invitation_id>/revoke/", organizations.revoke_invitation, name="revoke-invitation"),
    path("team/members/<uuid:user_id>/remove/", organizations.remove_member, name="remove-member"),
    path("keys/", keys.keys, name="keys"),
    path("keys/<uuid:key_id>/revoke/", keys.revoke_key, name="revoke-key"),
    path("keys/<uuid:key_id>/rotate/", keys.rotate_key, name="rotate-key"),
    path("apps/", applications.applications, name="apps"),
    path("apps/<int:app_id>/", applications.application, name="app"),
    path("apps/<int:app_id>/rotate-secret/", applications.rotate_secret, name="rotate-app-secret"),
    path("apps/<int:app_id>/delete/", applications.delete_application, name="delete-app"),
    path("invitations/<str:token>/", organizations.accept_invitation, name="accept-invitation"),
    path("guide/", views.guide_index, name="guide"),
    path("guide/<slug:slug>/", views.guide_section, name="guide-section"),
    path("reference/", views.reference, name="reference"),
    path("openapi.json", views.OpenApiJsonDownload.as_view(), name="openapi-json"),
    path("openapi.yaml", views.OpenApiYamlDownload.as_view(), name="openapi-yaml"),
    path("postman.json", views.postman_collection, name="postman"),
]
