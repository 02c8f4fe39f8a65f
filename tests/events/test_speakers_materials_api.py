"""Speakers of an event and materials of its sessions (links and uploaded files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from core.models import AuditEntry
from events.models import Event, EventStatus, Session, SessionMaterial, SessionStatus, Speaker
from tests.conftest import error_of
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def event(org: Any) -> Event:
    return EventFactory(organization=org)


@pytest.fixture
def session(event: Event) -> Session:
    return SessionFactory(event=event, room="Hall A")


def speakers_url(event: Event, *rest: Any) -> str:
    return "/".join([f"/api/v1/events/{event.id}/speakers", *map(str, rest)])


def materials_url(session: Session, *rest: Any) -> str:
    return "/".join([f"/api/v1/events/{session.event_id}/sessions/{session.id}/materials", *map(str, rest)])


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- speakers ---------------------------------------------------------------------------
def test_speaker_crud(client_owner, event):
    created = client_owner.post(
        speakers_url(event), {"name": "Ada Lovelace", "bio": "Analyst", "company": "Engines"}, format="json"
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["eventId"] == str(event.id)
    assert data["userId"] is None
    assert created["Location"] == speakers_url(event, data["id"])

    assert client_owner.get(speakers_url(event, data["id"])).json()["name"] == "Ada Lovelace"
    SpeakerFactory(event=event, name="Bob", company="Other")
    assert [s["name"] for s in client_owner.get(speakers_url(event)).json()["data"]] == ["Ada Lovelace", "Bob"]
    assert [s["name"] for s in client_owner.get(speakers_url(event), {"q": "engines"}).json()["data"]] == ["Ada Lovelace"]

    patched = client_owner.patch(speakers_url(event, data["id"]), {"company": "Analytical"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["company"] == "Analytical"
    assert patched.json()["bio"] == "Analyst"

    put = client_owner.put(speakers_url(event, data["id"]), {"name": "Augusta Ada King"}, format="json")
    assert put.status_code == 200
    assert put.json()["name"] == "Augusta Ada King"

    assert client_owner.delete(speakers_url(event, data["id"])).status_code == 204
    assert not Speaker.objects.filter(pk=data["id"]).exists()
    actions = set(AuditEntry.objects.filter(object_id=data["id"]).values_list("action", flat=True))
    assert actions == {"speaker.created", "speaker.updated", "speaker.deleted"}


def test_link_a_speaker_to_a_member(client_owner, member, event):
    user = member(Role.VIEWER)
    response = client_owner.post(speakers_url(event), {"name": "Member", "userId": str(user.id)}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["userId"] == str(user.id)


def test_linking_a_user_who_is_not_a_member_is_refused(client_owner, member, other_org, event):
    outsider = UserFactory()
    elsewhere = member(Role.OWNER, organization=other_org)
    for user in (outsider, elsewhere):
        response = client_owner.post(speakers_url(event), {"name": "Outsider", "userId": str(user.id)}, format="json")
        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "VALIDATION_ERROR"
        assert error["target"] == "userId"
    assert Speaker.objects.count() == 0


def test_relinking_a_speaker_to_a_non_member_is_refused(client_owner, event):
    speaker = SpeakerFactory(event=event)
    response = client_owner.patch(speakers_url(event, speaker.id), {"userId": str(UserFactory().id)}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "userId"
    speaker.refresh_from_db()
    assert speaker.user_id is None


def test_a_speaker_on_a_scheduled_session_cannot_be_deleted(client_owner, event, session):
    speaker = SpeakerFactory(event=event)
    session.speakers.add(speaker)

    response = client_owner.delete(speakers_url(event, speaker.id))

    assert response.status_code == 409
    assert error_of(response)["code"] == "SPEAKER_IN_USE"
    assert Speaker.objects.filter(pk=speaker.id).exists()


def test_a_speaker_only_on_cancelled_sessions_can_be_deleted(client_owner, event, session):
    speaker = SpeakerFactory(event=event)
    session.speakers.add(speaker)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    assert client_owner.delete(speakers_url(event, speaker.id)).status_code == 204


def test_speakers_of_another_event_are_not_found(client_owner, org, event):
    other = SpeakerFactory(event=EventFactory(organization=org))
    assert client_owner.get(speakers_url(event, other.id)).status_code == 404
    assert client_owner.delete(speakers_url(event, other.id)).status_code == 404
    assert Speaker.objects.filter(pk=other.id).exists()


def test_speakers_of_a_cancelled_event_are_read_only(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    speaker = SpeakerFactory(event=event, name="Frozen")
    for response in (
        client_owner.post(speakers_url(event), {"name": "New"}, format="json"),
        client_owner.patch(speakers_url(event, speaker.id), {"name": "Thawed"}, format="json"),
        client_owner.delete(speakers_url(event, speaker.id)),
    ):
        assert response.status_code == 409
        assert error_of(response)["code"] == "EVENT_NOT_EDITABLE"
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Frozen"]


def test_malformed_speaker_json(client_owner, event):
    response = client_owner.post(speakers_url(event), data='{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert Speaker.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "code", "target"),
    [
        ({}, "VALIDATION_ERROR", "name"),
        ({"name": ""}, "VALIDATION_ERROR", "name"),
        ({"name": "x" * 201}, "VALIDATION_ERROR", "name"),
        ({"name": ["Ada"]}, "VALIDATION_ERROR", "name"),
        ({"name": "Ada", "userId": "not-a-uuid"}, "VALIDATION_ERROR", "userId"),
        ({"name": "Ada", "twitterHandle": "@ada"}, "UNKNOWN_FIELD", "twitterHandle"),
    ],
)
def test_bad_speaker_input_changes_nothing(client_owner, event, data, code, target):
    response = client_owner.post(speakers_url(event), data, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code
    assert error["target"] == target
    assert Speaker.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECKIN])
def test_read_only_roles_cannot_change_speakers(api, member, event, role):
    speaker = SpeakerFactory(event=event, name="Kept")
    client = api(member(role))
    assert client.get(speakers_url(event)).status_code == 200
    for response in (
        client.post(speakers_url(event), {"name": "New"}, format="json"),
        client.patch(speakers_url(event, speaker.id), {"name": "Changed"}, format="json"),
        client.delete(speakers_url(event, speaker.id)),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Kept"]


# -- materials: links -------------------------------------------------------------------
def test_add_a_link(client_owner, session):
    response = client_owner.post(materials_url(session), {"title": "Recording", "url": "https://video.example/k"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "link"
    assert data["url"] == "https://video.example/k"
    assert data["downloadUrl"] is None
    assert data["sessionId"] == str(session.id)
    assert response["Location"] == materials_url(session, data["id"])
    listed = client_owner.get(materials_url(session)).json()["data"]
    assert [m["id"] for m in listed] == [data["id"]]
    assert client_owner.get(materials_url(session, data["id"])).json()["title"] == "Recording"
    assert client_owner.get(materials_url(session, data["id"], "download")).status_code == 404


@pytest.mark.parametrize(
    ("data", "target"),
    [
        ({}, None),
        ({"title": "Nothing"}, None),
        ({"url": "https://video.example/k"}, "title"),
        ({"title": "Bad", "url": "not a url"}, "url"),
    ],
)
def test_bad_link_input_changes_nothing(client_owner, session, data, target):
    response = client_owner.post(materials_url(session), data, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == target
    assert SessionMaterial.objects.count() == 0


def test_unknown_material_field(client_owner, session):
    response = client_owner.post(
        materials_url(session), {"title": "x", "url": "https://x.example", "mimeType": "a/b"}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UNKNOWN_FIELD"
    assert error["target"] == "mimeType"
    assert SessionMaterial.objects.count() == 0


def test_malformed_material_json(client_owner, session):
    response = client_owner.post(materials_url(session), data="[", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert SessionMaterial.objects.count() == 0


# -- materials: files -------------------------------------------------------------------
def upload(client: Any, session: Session, name: str, content: bytes, title: str = "Slides", **kwargs: Any) -> Any:
    data = {"title": title, "file": SimpleUploadedFile(name, content, content_type=kwargs.pop("content_type", "application/pdf"))}
    return client.post(materials_url(session), data, format="multipart")


def test_upload_and_download_a_file(client_owner, session, settings):
    response = upload(client_owner, session, "slides.pdf", PDF)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "file"
    assert data["fileName"] == "slides.pdf"
    assert data["contentType"] == "application/pdf"
    assert data["size"] == len(PDF)
    assert data["downloadUrl"].endswith(materials_url(session, data["id"], "download"))
    assert len(stored_files(settings)) == 1

    download = client_owner.get(materials_url(session, data["id"], "download"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "slides.pdf" in download["Content-Disposition"]


def test_an_upload_without_a_title_takes_the_file_name(client_owner, session):
    response = upload(client_owner, session, "diagram.png", PNG, title="")
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == "diagram.png"
    assert response.json()["contentType"] == "image/png"


def test_the_declared_content_type_is_not_trusted(client_owner, session):
    response = upload(client_owner, session, "notes.txt", b"plain notes", content_type="application/x-msdownload")
    assert response.status_code == 201
    assert response.json()["contentType"] == "text/plain"


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(client_owner, session, settings):
    settings.MATERIAL_MAX_BYTES = 64
    response = upload(client_owner, session, "big.pdf", PDF + b"x" * 100)

    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "MATERIAL_TOO_LARGE"
    assert error["target"] == "file"
    assert "64" in error["details"]
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []
    assert not AuditEntry.objects.filter(action="material.created").exists()


def test_a_file_at_the_limit_is_accepted(client_owner, session, settings):
    settings.MATERIAL_MAX_BYTES = len(PDF)
    assert upload(client_owner, session, "exact.pdf", PDF).status_code == 201


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03"),
        ("noext", b"%PDF-1.4"),
        ("slides.pdf", b"MZ\x90\x00 not a pdf at all"),
        ("photo.png", b"GIF89a"),
        ("deck.pptx", b"%PDF-1.4"),
        ("notes.txt", b"text\x00with nul"),
    ],
)
def test_files_of_the_wrong_type_are_refused(client_owner, session, settings, name, content):
    response = upload(client_owner, session, name, content)
    assert response.status_code == 415, response.json()
    error = error_of(response)
    assert error["code"] == "MATERIAL_TYPE_NOT_ALLOWED"
    assert error["target"] == "file"
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []


def test_an_empty_file_is_refused(client_owner, session, settings):
    response = upload(client_owner, session, "empty.pdf", b"")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "file"
    assert SessionMaterial.objects.count() == 0


def test_both_a_file_and_a_url_is_refused(client_owner, session, settings):
    data = {"title": "Both", "url": "https://x.example", "file": SimpleUploadedFile("s.pdf", PDF)}
    response = client_owner.post(materials_url(session), data, format="multipart")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []


def test_neither_file_nor_url_in_multipart_is_refused(client_owner, session):
    response = client_owner.post(materials_url(session), {"title": "Nothing"}, format="multipart")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert SessionMaterial.objects.count() == 0


def test_delete_a_file_material_removes_the_file_after_commit(
    client_owner, session, settings, django_capture_on_commit_callbacks
):
    created = upload(client_owner, session, "slides.pdf", PDF).json()
    assert len(stored_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.delete(materials_url(session, created["id"]))

    assert response.status_code == 204
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []
    assert AuditEntry.objects.filter(action="material.deleted", object_id=created["id"]).exists()


def test_deleting_a_session_removes_its_files_after_commit(client_owner, session, settings, django_capture_on_commit_callbacks):
    upload(client_owner, session, "slides.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_owner.delete(f"/api/v1/events/{session.event_id}/sessions/{session.id}")
    assert response.status_code == 204
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []


def test_materials_of_another_session_are_not_found(client_owner, event, session):
    other = SessionFactory(event=event)
    created = upload(client_owner, session, "slides.pdf", PDF).json()
    assert client_owner.get(materials_url(other, created["id"])).status_code == 404
    assert client_owner.get(materials_url(other, created["id"], "download")).status_code == 404
    assert client_owner.delete(materials_url(other, created["id"])).status_code == 404
    assert SessionMaterial.objects.count() == 1


def test_materials_of_another_organization_are_not_found(client_owner, other_org):
    foreign = SessionFactory(event=EventFactory(organization=other_org))
    response = client_owner.post(materials_url(foreign), {"title": "x", "url": "https://x.example"}, format="json")
    assert response.status_code == 404
    assert client_owner.get(materials_url(foreign)).status_code == 404
    assert SessionMaterial.objects.count() == 0


def test_materials_of_a_cancelled_event_cannot_be_added(client_owner, org, settings):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    session = SessionFactory(event=event)
    for response in (
        client_owner.post(materials_url(session), {"title": "x", "url": "https://x.example"}, format="json"),
        upload(client_owner, session, "slides.pdf", PDF),
    ):
        assert response.status_code == 409
        assert error_of(response)["code"] == "EVENT_NOT_EDITABLE"
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECKIN])
def test_read_only_roles_can_download_but_not_upload(api, client_owner, member, session, settings, role):
    created = upload(client_owner, session, "slides.pdf", PDF).json()
    client = api(member(role))
    download = client.get(materials_url(session, created["id"], "download"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    for response in (
        upload(client, session, "more.pdf", PDF),
        client.delete(materials_url(session, created["id"])),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert SessionMaterial.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_upload_is_audited(client_owner, owner, session):
    created = client_owner.post(
        materials_url(session),
        {"title": "Slides", "file": SimpleUploadedFile("s.pdf", PDF)},
        format="multipart",
        HTTP_X_CORRELATION_ID="upload-1",
    ).json()
    entry = AuditEntry.objects.get(action="material.created", object_id=created["id"])
    assert entry.actor_label == owner.email
    assert entry.correlation_id == "upload-1"
    assert entry.changes == {"kind": "file", "fileName": "s.pdf", "size": len(PDF)}


def test_an_upload_for_a_session_started_yesterday_keeps_working(client_owner, org):
    start = dt.datetime(2021, 1, 1, 9, tzinfo=dt.UTC)
    event = EventFactory(organization=org, starts_at=start, ends_at=start + dt.timedelta(hours=8), status=EventStatus.PUBLISHED)
    session = SessionFactory(event=event)
    assert upload(client_owner, session, "slides.pdf", PDF).status_code == 201


def test_a_long_non_ascii_file_name_is_stored_under_a_short_safe_name(client_owner, session, settings):
    name = "Präsentation " + "ä" * 150 + ".PDF"
    response = upload(client_owner, session, name, PDF)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["fileName"] == name
    (path,) = stored_files(settings)
    assert len(path.name.encode()) <= 100
    assert path.name.isascii()
    assert path.suffix == ".pdf"
    download = client_owner.get(materials_url(session, data["id"], "download"))
    assert b"".join(download.streaming_content) == PDF
    assert "Pr%C3%A4sentation" in download["Content-Disposition"]


def test_a_file_name_longer_than_200_characters_is_refused(client_owner, session, settings):
    response = upload(client_owner, session, "x" * 200 + ".pdf", PDF)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "file"
    assert SessionMaterial.objects.count() == 0
    assert stored_files(settings) == []
