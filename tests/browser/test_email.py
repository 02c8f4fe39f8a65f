"""Email pages in headless Chromium: the console's template pages (edit with the variable check, preview, save,
per language) with axe, and the attendee's unsubscribe page (the button, and RFC 8058's one-click POST). A console
error fails the test; screenshots under var/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from communications import notify
from communications.models import MessageTemplate, Preference
from tests.browser.conftest import Page
from tests.browser.test_console import axe_check, sign_in, visit
from tests.console.conftest import World, build_world
from tests.factories import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(org: Any, other_org: Any) -> World:
    return build_world(org, other_org)


def test_an_editor_writes_a_german_reminder_the_check_refuses_an_unknown_variable_then_preview_and_save(
    tab: Page, world: World
) -> None:
    verified(world.users["editor"])
    sign_in(tab, "editor@acme.example")
    page = tab.page
    page.get_by_role("link", name="Email", exact=True).click()
    page.wait_for_url("**/console/email/")
    tab.shot("01 templates")
    axe_check(tab, "email templates")
    page.fill("#translate-language", "de")
    page.select_option("#translate-type", "reminder")
    page.get_by_role("button", name="Open").click()
    page.wait_for_url("**/console/email/reminder/de/")
    assert page.get_by_text("No template of your own in de yet").is_visible()
    axe_check(tab, "template de")
    page.fill("#id_subject", "Erinnerung: {{ event_title }}")
    page.fill("#id_text", "Hallo {{ attendee_name }}, dein Passwort: {{ password }}")
    page.fill("#id_html", "<p>Hallo <b>{{ attendee_name }}</b></p>")
    page.get_by_role("button", name="Save").click()
    alert = page.locator("#problem-text")
    assert "unknown variable(s): password" in alert.inner_text()
    tab.shot("02 refused")
    assert not MessageTemplate.objects.exists()
    page.fill("#id_text", "Hallo {{ attendee_name }}, bis bald. {{ unsubscribe_url }}")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview-subject").inner_text() == "Erinnerung: Sample Conference"
    frame = page.frame_locator("iframe[title='HTML preview']")
    assert frame.locator("b").inner_text() == "Ada Lovelace"
    tab.shot("03 preview")
    page.locator("iframe.preview").screenshot(path=str(tab.folder / "03-preview-frame.png"))
    axe_check(tab, "preview")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved: Event reminder in de.").is_visible()
    tab.shot("04 saved")
    saved = MessageTemplate.objects.get(organization=world.org, type="reminder", language="de")
    assert saved.text == "Hallo {{ attendee_name }}, bis bald. {{ unsubscribe_url }}"
    page.get_by_role("link", name="Email templates").click()
    assert page.get_by_role("link", name="Event reminder in de").is_visible()
    tab.assert_no_errors()


def test_an_attendee_unsubscribes_on_the_page_and_a_mailbox_one_click_post_still_works(tab: Page, world: World) -> None:
    link = notify.unsubscribe_url(world.org.pk, "Paid@Example.com")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    visit(tab, path, "01 unsubscribe")
    page = tab.page
    assert page.get_by_role("heading", name="Email preferences").is_visible()
    assert page.get_by_text("Stop reminders and surveys to paid@example.com?").is_visible()
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_text("paid@example.com will get no more reminders or surveys.").is_visible()
    tab.shot("02 done")
    axe_check(tab, "unsubscribed")
    preference = Preference.objects.get(organization=world.org, email="paid@example.com")
    assert (preference.reminders, preference.surveys) == (False, False)
    # RFC 8058: the mailbox provider POSTs "List-Unsubscribe=One-Click" to the link, with no session and no CSRF token.
    other = notify.unsubscribe_url(world.org.pk, "inside@example.com")
    other_path = "/" + other.split("://", 1)[1].split("/", 1)[1]
    response = page.request.post(
        tab.base_url + other_path,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert Preference.objects.get(organization=world.org, email="inside@example.com").reminders is False
    forged = page.request.post(tab.base_url + "/email/unsubscribe/forged", data="List-Unsubscribe=One-Click")
    assert forged.status == 404
    tab.assert_no_errors()
