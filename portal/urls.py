"""The developer portal's pages, mounted at /portal/."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide_index, name="guide"),
    path("guide/<slug:slug>/", views.guide_section, name="guide-section"),
    path("reference/", views.reference, name="reference"),
    path("openapi.json", views.OpenApiJsonDownload.as_view(), name="openapi-json"),
    path("openapi.yaml", views.OpenApiYamlDownload.as_view(), name="openapi-yaml"),
    path("postman.json", views.postman_collection, name="postman"),
]
