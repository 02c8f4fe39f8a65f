"""SCIM 2.0, mounted at /scim/v2/ (no trailing slashes: identity providers call ``/Users/{id}``)."""

from django.urls import path

from sso import scim

urlpatterns = [
    path("Users", scim.users, name="scim-users"),
    path("Users/<str:user_id>", scim.user, name="scim-user"),
    path("Groups", scim.groups, name="scim-groups"),
    path("Groups/<str:group_id>", scim.group, name="scim-group"),
    path("ServiceProviderConfig", scim.service_provider_config, name="scim-config"),
]
