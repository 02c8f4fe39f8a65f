"""Every error leaves in the one format, whatever raised it."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from core.errors import registry
from tests.conftest import error_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


EVENT = {
    "title": "Launch",
    "startsAt": "2030-05-04T09:00:00Z",
    "endsAt": "2030-05-04T17:00:00Z",
    "attendanceMode": "online",
    "onlineUrl": "https://meet.example.com/launch",
}


def test_unknown_url_under_api_is_a_json_404(client_owner):
    response = client_owner.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_unknown_url_for_anonymous_is_a_json_404(api):
    response = api().get("/api/v1/does/not/exist")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_unknown_id_is_404(client_owner):
    response = client_owner.get(f"/api/v1/events/{uuid.uuid4()}")
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "RESOURCE_NOT_FOUND"
    assert isinstance(error["timestamp"], str) and error["timestamp"].endswith("Z")


def test_method_not_allowed_names_the_allowed_methods(client_owner, org):
    event = EventFactory(organization=org)
    response = client_owner.put(f"/api/v1/events/{event.id}/publish", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in response["Allow"]


def test_collection_rejects_delete_with_405(client_owner):
    response = client_owner.delete("/api/v1/events")
    assert response.status_code == 405
    assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_unsupported_media_type_is_415(client_owner):
    response = client_owner.post("/api/v1/events", data="title=x", content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_malformed_json_is_400(client_owner):
    response = client_owner.post("/api/v1/events", data='{"title": "x",', content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "MALFORMED_JSON"


def test_validation_error_lists_each_field_with_camel_case_targets(client_owner):
    response = client_owner.post(
        "/api/v1/events", {"title": "", "startsAt": "not a date", "endsAt": "2030-05-04T17:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert isinstance(error["details"], list)
    for item in error["details"]:
        assert set(item) == {"target", "code", "message"}
    targets = {d["target"] for d in error["details"]}
    assert {"title", "startsAt"} <= targets
    assert "starts_at" not in targets


def test_validation_error_of_one_field_uses_its_message_and_target(client_owner):
    response = client_owner.post("/api/v1/events", {**EVENT, "endsAt": "2030-05-04T08:00:00Z"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "endsAt"
    assert error["details"][0]["target"] == "endsAt"
    assert error["message"] == error["details"][0]["message"]


def test_nested_validation_target_is_a_camel_case_path(client_owner):
    response = client_owner.patch("/api/v1/users/me", {"communicationPreferences": {"marketing": "maybe"}}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"][0]["target"] == "communicationPreferences.marketing"


def test_unknown_field_is_reported_as_such(client_owner):
    response = client_owner.post("/api/v1/events", {**EVENT, "colour": "red"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UNKNOWN_FIELD"
    assert error["target"] == "colour"
    assert error["details"][0]["code"] == "UNKNOWN_FIELD"


def test_unknown_nested_field_is_reported_with_its_path(client_owner):
    response = client_owner.patch("/api/v1/users/me", {"communicationPreferences": {"smoke": True}}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UNKNOWN_FIELD"
    assert error["target"] == "communicationPreferences.smoke"


def test_anonymous_gets_401_with_www_authenticate(api):
    response = api().get("/api/v1/events")
    assert response.status_code == 401
    assert error_of(response)["code"] == "AUTHENTICATION_REQUIRED"
    assert response["WWW-Authenticate"]


def test_anonymous_profile_is_401(api):
    response = api().get("/api/v1/users/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "AUTHENTICATION_REQUIRED"


def test_role_without_permission_gets_403(api, member):
    viewer = member(Role.VIEWER)
    response = api(viewer).post("/api/v1/events", EVENT, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "PERMISSION_DENIED"


def test_session_write_without_csrf_token_is_403_csrf_failed(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/api/v1/events", EVENT, format="json")
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "CSRF_FAILED"


def test_session_write_with_csrf_token_passes(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get("/portal/accounts/password/change/")  # a form page: sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/events", EVENT, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("target", "url"),
    [("events.selectors.event_list", "/api/v1/events"), ("accounts.selectors.member_list", "/api/v1/users")],
)
def test_unhandled_exception_is_500_internal_error_without_traceback(monkeypatch, owner, target, url):
    def boom(**kwargs):
        raise RuntimeError("secret internal detail")

    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", boom)
    client = APIClient(raise_request_exception=False)
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "INTERNAL_ERROR"
    text = response.content.decode()
    assert "Traceback" not in text
    assert "secret internal detail" not in text
    assert "RuntimeError" not in text


def test_body_larger_than_the_upload_limit_is_413(client_owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_owner.post("/api/v1/events", {**EVENT, "description": "x" * 5000}, format="json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


def test_error_documentation_is_absolute_and_resolves(client_owner):
    response = client_owner.get(f"/api/v1/events/{uuid.uuid4()}")
    documentation = error_of(response)["documentation"]
    assert documentation.startswith("http://testserver/api/errors/")
    page = client_owner.get(documentation.removeprefix("http://testserver"))
    assert page.status_code == 200


def test_error_index_lists_every_registered_code(api):
    response = api().get("/api/errors/")
    assert response.status_code == 200
    html = response.content.decode()
    for entry in registry():
        assert entry.code in html


@pytest.mark.parametrize("entry", registry(), ids=lambda e: e.code)
def test_error_detail_page_renders_each_code(api, entry):
    response = api().get(f"/api/errors/{entry.code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert entry.code in html
    assert str(entry.status) in html


def test_error_detail_for_unknown_code_is_404(api):
    assert api().get("/api/errors/NO_SUCH_CODE").status_code == 404


def test_every_code_is_upper_snake_case_with_an_http_status():
    for entry in registry():
        assert entry.code.isupper()
        assert 400 <= entry.status <= 599
        assert entry.title and entry.description


def test_list_item_target_uses_an_index(client_owner, org):
    event = EventFactory(organization=org)
    response = client_owner.post(
        f"/api/v1/events/{event.id}/sub-events", {"dates": ["2030-06-01T09:00:00Z", "not a date"]}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"][0]["target"] == "dates[1]"


def test_non_field_error_has_no_target(client_owner, org):
    event = EventFactory(organization=org)
    response = client_owner.post(f"/api/v1/events/{event.id}/sub-events", {}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["details"][0]["target"] is None


def test_json_body_that_is_not_an_object_is_400(client_owner):
    response = client_owner.post("/api/v1/venues", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"


def test_non_uuid_id_is_a_json_404(client_owner):
    response = client_owner.get("/api/v1/events/42")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_head_and_options_do_not_break_the_format(client_owner):
    assert client_owner.head("/api/v1/events").status_code == 200
    response = client_owner.options("/api/v1/events")
    assert response.status_code == 200
