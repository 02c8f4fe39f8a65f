"""The console's email template pages: every message type per language, edited with its variables checked on save,
a preview with sample values, a test send through the organization's SendGrid connection, the default language;
console roles read them, editors and up change them; another organization's templates are never shown or changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Perm, Role, role_has
from communications import selectors, services
from communications.models import Message, MessageTemplate, MessageType
from connectors import services as connector_services
from core.audit import SYSTEM, AuditEntry
from tests.fakes.sendgrid import SendGridFake

pytestmark = pytest.mark.django_db

LIST = reverse("console:email-templates")
REMINDER_DE = reverse("console:email-template", args=["reminder", "de"])
GOOD = {
    "subject": "Erinnerung: {{ event_title }}",
    "text": "Hallo {{ attendee_name }}, bis bald. {{ unsubscribe_url }}",
    "html": "<p>Hallo {{ attendee_name }}</p>",
}


@pytest.fixture
def sendgrid(settings: Any) -> Any:
    server = SendGridFake().start()
    settings.ANYMAIL = {"SENDGRID_API_URL": server.url + "/v3/"}
    settings.EMAIL_FALLBACK_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SENDGRID_API_KEY = ""
    yield server
    server.stop()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_console_roles_read_the_templates_and_editors_change_them(world: Any, as_role: Any, role: str) -> None:
    client = as_role(role)
    opens = role_has(role, Perm.CONSOLE_OPEN) and role_has(role, Perm.EVENTS_VIEW)
    edits = opens and role_has(role, Perm.EVENTS_EDIT)
    for url in (LIST, REMINDER_DE):
        assert client.get(url).status_code == (200 if opens else 403), (role, url)
    saved = client.post(REMINDER_DE, {"action": "save", **GOOD})
    assert saved.status_code == (302 if edits else 403), role
    assert MessageTemplate.objects.filter(organization=world.org, type="reminder", language="de").exists() == edits
    language = client.post(LIST, {"action": "default_language", "language": "fr"})
    assert language.status_code == (302 if edits else 403)
    assert selectors.default_language(world.org.pk) == ("fr" if edits else "en")
    preview = client.post(REMINDER_DE, {"action": "preview", **GOOD})
    assert preview.status_code == (200 if opens else 403)


def test_another_organizations_templates_are_never_shown_or_changed(world: Any, as_role: Any) -> None:
    theirs = services.template_save(
        actor=SYSTEM,
        organization=world.other_org,
        type="reminder",
        language="de",
        subject="Rival {{ event_title }}",
        text="Rival text",
        html="<p>Rival html</p>",
    )
    client = as_role("owner")
    page = client.get(REMINDER_DE).content.decode()
    assert "Rival" not in page and "No template of your own in de yet" in page
    assert "Rival" not in client.get(LIST).content.decode()
    client.post(REMINDER_DE, {"action": "save", **GOOD})
    client.post(REMINDER_DE, {"action": "delete"})
    theirs.refresh_from_db()
    assert theirs.subject == "Rival {{ event_title }}"
    assert MessageTemplate.objects.filter(organization=world.org).count() == 0  # saved, then removed: ours only


def test_a_template_naming_an_unknown_variable_is_refused_with_the_part_and_the_allowed_names(world: Any, as_role: Any) -> None:
    client = as_role("editor")
    response = client.post(REMINDER_DE, {"action": "save", **GOOD, "text": "Hallo {{ password }}"})
    page = response.content.decode()
    assert response.status_code == 200 and "not saved" in page
    assert "Plain text: unknown variable(s): password; allowed:" in page and "attendee_name" in page
    assert not MessageTemplate.objects.filter(organization=world.org).exists()
    broken = client.post(REMINDER_DE, {"action": "save", **GOOD, "html": "<p>{% if %}</p>"}).content.decode()
    assert "HTML: not a valid template" in broken


def test_saving_then_the_page_shows_it_and_the_save_is_audited(world: Any, as_role: Any) -> None:
    client = as_role("admin")
    assert client.post(REMINDER_DE, {"action": "save", **GOOD}).status_code == 302
    page = client.get(REMINDER_DE).content.decode()
    assert "Your own template for de." in page and "Erinnerung: {{ event_title }}" in page
    assert 'aria-label="Event reminder in de"' in client.get(LIST).content.decode()
    assert AuditEntry.objects.filter(organization_id=world.org.pk, action="email_template.saved").exists()


def test_the_preview_renders_sample_values_with_the_html_escaped_in_a_sandboxed_frame(world: Any, as_role: Any) -> None:
    response = as_role("viewer").post(REMINDER_DE, {"action": "preview", **GOOD})
    page = response.content.decode()
    assert '<dd id="preview-subject">Erinnerung: Sample Conference</dd>' in page
    assert "Hallo Ada Lovelace, bis bald. https://example.com/email/unsubscribe/sample" in page
    assert 'sandbox="" srcdoc="&lt;p&gt;Hallo Ada Lovelace&lt;/p&gt;"' in page
    assert not MessageTemplate.objects.exists()  # a preview saves nothing


def test_a_new_language_starts_from_the_one_it_falls_back_to(world: Any, as_role: Any) -> None:
    client = as_role("owner")
    client.post(LIST, {"action": "default_language", "language": "de"})
    client.post(REMINDER_DE, {"action": "save", **GOOD})
    opened = client.post(LIST, {"action": "translate", "type": "reminder", "language": "de-AT"})
    assert opened.status_code == 302 and opened["Location"] == reverse("console:email-template", args=["reminder", "de-AT"])
    page = client.get(opened["Location"]).content.decode()
    assert "get your de template" in page and "Erinnerung: {{ event_title }}" in page
    assert client.get(reverse("console:email-template", args=["reminder", "DE"])).status_code == 404
    assert client.get(reverse("console:email-template", args=["nonsense", "de"])).status_code == 404
    refused = client.post(LIST, {"action": "default_language", "language": "not a language"}, follow=True)
    assert "A language is a tag" in refused.content.decode() or "Not a language" in refused.content.decode()
    assert selectors.default_language(world.org.pk) == "de"


def test_a_test_send_goes_through_the_organizations_sendgrid_connection(
    world: Any, as_role: Any, sendgrid: SendGridFake, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connector_services.connection_create(
        actor=SYSTEM,
        organization=world.org,
        kind="email",
        vendor="sendgrid",
        mode="live",
        credentials={"api_key": "SG.orgkey.secret123"},
    )
    client = as_role("editor")
    client.post(REMINDER_DE, {"action": "save", **GOOD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMINDER_DE, {"action": "test", "to": "me@acme.example"})
    assert response.status_code == 302
    (sent,) = sendgrid.delivered
    assert sent["subject"] == "[Test] Erinnerung: Sample Conference"
    assert sent["personalizations"][0]["to"] == [{"email": "me@acme.example"}]
    message = Message.objects.get(organization=world.org)
    assert (message.type, message.language, message.status) == (MessageType.REMINDER, "de", "sent")
    assert mail.outbox == []
