"""The developer portal's pages, mounted at /portal/."""

from django.urls import path

from portal import applications, keys, organizations, sandbox, usage, views, webhooks

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", organizations.dashboard, name="dashboard"),
    path("organizations/switch/", organizations.switch_organization, name="switch-organization"),
    path("team/", organizations.team, name="team"),
    path("team/invitations/", organizations.invite, name="invite"),
    path("team/invitations/<uuid:invitation_id>/revoke/", organizations.revoke_invitation, name="revoke-invitation"),
    path("team/members/<uuid:user_id>/remove/", organizations.remove_member, name="remove-member"),
    path("team/two-factor/", organizations.require_two_factor, name="require-two-factor"),
    path("keys/", keys.keys, name="keys"),
    path("keys/<uuid:key_id>/revoke/", keys.revoke_key, name="revoke-key"),
    path("keys/<uuid:key_id>/rotate/", keys.rotate_key, name="rotate-key"),
    path("apps/", applications.applications, name="apps"),
    path("apps/<int:app_id>/", applications.application, name="app"),
    path("apps/<int:app_id>/rotate-secret/", applications.rotate_secret, name="rotate-app-secret"),
    path("apps/<int:app_id>/delete/", applications.delete_application, name="delete-app"),
    path("webhooks/", webhooks.webhooks, name="webhooks"),
    path("webhooks/new/", webhooks.new_subscription, name="webhook-new"),
    path("webhooks/deliveries/", webhooks.deliveries, name="webhook-deliveries"),
    path("webhooks/deliveries/<uuid:delivery_id>/", webhooks.delivery, name="webhook-delivery"),
    path("webhooks/deliveries/<uuid:delivery_id>/replay/", webhooks.replay, name="webhook-replay"),
    path("webhooks/<uuid:subscription_id>/", webhooks.subscription, name="webhook"),
    path("webhooks/<uuid:subscription_id>/edit/", webhooks.edit_subscription, name="webhook-edit"),
    path("webhooks/<uuid:subscription_id>/delete/", webhooks.delete_subscription, name="webhook-delete"),
    path("webhooks/<uuid:subscription_id>/reveal-secret/", webhooks.reveal_secret, name="webhook-reveal-secret"),
    path("webhooks/<uuid:subscription_id>/rotate-secret/", webhooks.rotate_secret, name="webhook-rotate-secret"),
    path("webhooks/<uuid:subscription_id>/enable/", webhooks.set_enabled, {"enabled": True}, name="webhook-enable"),
    path("webhooks/<uuid:subscription_id>/disable/", webhooks.set_enabled, {"enabled": False}, name="webhook-disable"),
    path("webhooks/<uuid:subscription_id>/test/", webhooks.send_test, name="webhook-test"),
    path("webhooks/<uuid:subscription_id>/recover/", webhooks.recover, name="webhook-recover"),
    path("sandbox/", sandbox.sandbox, name="sandbox"),
    path("sandbox/create/", sandbox.create_sandbox, name="create-sandbox"),
    path("sandbox/trigger/", sandbox.trigger, name="sandbox-trigger"),
    path("sandbox/reset/", sandbox.reset, name="sandbox-reset"),
    path("environment/", sandbox.switch_environment, name="switch-environment"),
    path("usage/", usage.usage_overview, name="usage"),
    path("usage/keys/<uuid:key_id>/", usage.key_usage, name="key-usage"),
    path("usage/apps/<int:app_id>/", usage.app_usage, name="app-usage"),
    path("invitations/<str:token>/", organizations.accept_invitation, name="accept-invitation"),
    path("guide/", views.guide_index, name="guide"),
    path("guide/<slug:slug>/", views.guide_section, name="guide-section"),
    path("reference/", views.reference, name="reference"),
    path("openapi.json", views.OpenApiJsonDownload.as_view(), name="openapi-json"),
    path("openapi.yaml", views.OpenApiYamlDownload.as_view(), name="openapi-yaml"),
    path("postman.json", views.postman_collection, name="postman"),
]
