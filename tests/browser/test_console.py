"""The organizer console in headless Chromium: the journeys of issue 17, screenshots at 1280 px (the desk at 390 px),
and an axe-core pass on every page (no serious or critical violations).

axe-core comes from the npm registry (package.json devDependencies, node_modules/axe-core after ``npm ci``) and is
evaluated in the page through the DevTools protocol, which the page's Content-Security-Policy does not govern; the
page's own scripts stay under the policy, and a violation is a console error that fails the test.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from core.audit import SYSTEM
from registrations import checkins
from registrations.models import Registration, RegistrationStatus
from tests.browser.conftest import ARGS, CHROMIUM, Page
from tests.console.conftest import World, build_world
from tests.factories import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture
def world(org: Any, other_org: Any) -> World:
    return build_world(org, other_org)


def axe_check(tab: Page, what: str) -> None:
    """Run axe-core on the page; fail on serious or critical violations, naming them."""
    if not AXE.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{AXE} is missing: run npm ci")
        pytest.skip(f"{AXE} is missing: run npm ci")
    page = tab.page
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})); }"
    )
    blocking = [v for v in result if v["impact"] in BLOCKING]
    assert not blocking, f"{what}: {blocking}"


def sign_in(tab: Page, email: str, next_path: str = "/console/") -> None:
    page = tab.page
    page.goto(f"{tab.base_url}/portal/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}**")


def visit(tab: Page, path: str, shot: str) -> None:
    tab.open(path)
    tab.shot(shot)
    axe_check(tab, path)


def test_an_owner_creates_and_publishes_an_event_with_two_ticket_types_in_its_time_zone(tab, world):
    verified(world.users["owner"])
    sign_in(tab, "owner@acme.example")
    page = tab.page
    visit(tab, "/console/home/", "01 home")
    assert page.get_by_role("heading", name="Acme Events").is_visible()
    page.get_by_role("link", name="Events", exact=True).click()
    tab.shot("02 events")
    axe_check(tab, "events")
    page.get_by_role("link", name="New event").click()
    page.fill("#id_title", "Lisbon Product Day")
    page.select_option("#id_time_zone", "Europe/Lisbon")
    page.fill("#id_starts_at", "2027-05-10T09:00")
    page.fill("#id_ends_at", "2027-05-10T18:00")
    page.select_option("#id_venue", index=1)
    page.fill("#id_tickets-0-name", "Standard")
    page.fill("#id_tickets-0-price", "40")
    page.fill("#id_tickets-1-name", "Student")
    page.fill("#id_tickets-1-price", "15")
    tab.shot("03 new event")
    axe_check(tab, "new event")
    page.get_by_role("button", name="Create the event").click()
    page.wait_for_selector("text=Times in Europe/Lisbon")
    assert page.get_by_text("Mon 10 May 2027, 09:00").first.is_visible()
    assert page.get_by_role("cell", name="Student", exact=True).is_visible()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector(".badge.published")
    tab.shot("04 event published")
    axe_check(tab, "event")
    tab.assert_no_errors()


def test_a_walk_in_on_a_paid_ticket_is_registered_and_marked_paid(tab, world):
    verified(world.users["owner"])
    sign_in(tab, "owner@acme.example")
    page = tab.page
    tab.open(f"/console/events/{world.event.pk}/")
    page.fill("#id_name", "Wanda Walker")
    page.fill("#id_email", "wanda@example.com")
    page.select_option("#id_ticket_type", label="Standard")
    page.get_by_role("button", name="Register walk-in").click()
    page.wait_for_selector("text=Pending payment")
    tab.shot("05 walk-in pending")
    axe_check(tab, "registration")
    page.select_option("#id_method", "cash")
    page.get_by_role("button", name="Mark paid").click()
    page.wait_for_selector("text=Marked paid")
    assert page.locator("h1 .badge").inner_text() == "Confirmed"
    assert page.get_by_text("Paid offline").is_visible()
    tab.shot("06 walk-in paid")
    registration = Registration.objects.get(attendee_email="wanda@example.com")
    assert registration.status == RegistrationStatus.CONFIRMED and registration.expires_at is None
    tab.assert_no_errors()


def test_an_editor_changes_a_registrations_answers_in_the_form(tab, world):
    registration = world.pending
    Registration.objects.filter(pk=registration.pk).update(answers={"company": "Acme", "diet": "vegan", "newsletter": True})
    verified(world.users["editor"])
    sign_in(tab, "editor@acme.example")
    page = tab.page
    tab.open(f"/console/registrations/{registration.pk}/")
    page.get_by_label("Company", exact=True).fill("Acme GmbH")
    page.get_by_label("Remove “Diet”").check()
    page.get_by_label("Newsletter", exact=True).uncheck()
    page.get_by_label("New question").fill("t_shirt")
    page.get_by_label("Its answer").fill("M")
    tab.shot("07 answers edited")
    page.get_by_role("button", name="Save the answers").click()
    page.wait_for_selector("text=The attendee and the answers are saved.")
    assert page.get_by_label("T shirt", exact=True).input_value() == "M"
    tab.shot("08 answers saved")
    axe_check(tab, "registration answers")
    registration.refresh_from_db()
    assert registration.answers == {"company": "Acme GmbH", "newsletter": False, "t_shirt": "M"}
    tab.assert_no_errors()


def test_an_organizer_finds_an_attendee_resends_the_ticket_and_exports_the_filtered_list(tab, world):
    verified(world.users["editor"])
    sign_in(tab, "editor@acme.example")
    page = tab.page
    visit(tab, f"/console/events/{world.event.pk}/attendees/", "07 attendees")
    page.fill("#id_q", "paid@")
    page.get_by_role("button", name="Apply").first.click()
    page.wait_for_selector("text=1 registration match")
    tab.shot("08 attendees found")
    page.get_by_role("link", name=world.paid.attendee_name).click()
    page.get_by_role("button", name="Resend the ticket").click()
    page.wait_for_selector("text=The ticket was sent to paid@example.com")
    assert any(world.paid.ticket_code in m.body for m in mail.outbox)
    tab.shot("09 ticket resent")
    page.go_back()
    page.go_back()
    page.wait_for_selector("text=1 registration match")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert rows[0][1] == "Email" and [r[1] for r in rows[1:]] == ["paid@example.com"]
    tab.assert_no_errors()


def _qr_y4m(text: str, folder: Path) -> Path:
    """A Y4M video (what Chromium's fake camera plays) of a black-on-white QR code of ``text``."""
    import qrcode

    code = qrcode.QRCode(border=4, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    width, height = 640, 480
    scale = min(width, height) // len(matrix)
    left, top = (width - scale * len(matrix)) // 2, (height - scale * len(matrix)) // 2
    luma = bytearray([255]) * (width * height)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * width + left + x * scale
                    luma[start : start + scale] = bytes(scale)
    chroma = bytes([128]) * (width * height // 4)
    path = folder / "qr.y4m"
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def camera_tab(browser: Any, live_server: Any, tmp_path: Path, world: World, request: pytest.FixtureRequest) -> Any:
    """A phone-sized tab (390 px) in a second Chromium whose camera plays a QR code of the paid registration's ticket."""
    video = _qr_y4m(world.paid.ticket_code, tmp_path)
    args = [
        *ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with_camera = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = with_camera.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    context.set_default_timeout(15_000)
    yield Page(context.new_page(), live_server.url, request.node.name)
    context.close()
    with_camera.close()


def test_check_in_staff_see_the_desk_and_nothing_else_and_check_in_by_typed_code_and_by_camera(camera_tab, world):
    tab = camera_tab
    verified(world.users["checkin"])
    sign_in(tab, "checkin@acme.example", "/console/")
    page = tab.page
    page.wait_for_url("**/console/desk/")
    nav = [link.inner_text() for link in page.locator("nav.nav a").all()]
    assert nav == ["Check-in desk"]
    tab.shot("10 desk choose (390 px)")
    axe_check(tab, "desk choose")
    for forbidden in ("/console/home/", "/console/events/", f"/console/events/{world.event.pk}/attendees/", "/console/reports/"):
        assert page.goto(tab.base_url + forbidden).status == 403
    tab.errors.clear()  # the browser logs each refused page as a failed load: those were the point
    tab.open("/console/desk/")
    page.get_by_role("link", name="Berlin Summit").click()
    page.wait_for_selector("#result")
    axe_check(tab, "desk")

    # Typed: the checked-in attendee from before is "already checked in at HH:MM" (Berlin time).
    first = world.checked_in.checkins.get(accepted=True).created_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    page.fill("#code", world.checked_in.ticket_code)
    page.get_by_role("button", name="Check in").click()
    page.wait_for_selector(f"text=Already checked in at {first:%H:%M}")
    tab.shot("11 desk already checked in (390 px)")

    # By camera: the fake device plays the paid attendee's QR code.
    page.get_by_role("button", name="Scan with camera").click()
    page.wait_for_selector("#result.valid")
    assert page.locator("#result-headline").inner_text() == "Valid: checked in"
    assert page.locator("#count-in").inner_text() == "2"
    tab.shot("12 desk valid by camera (390 px)")
    assert world.paid.checkins.filter(accepted=True, device__contains="camera").exists()

    page.get_by_role("button", name="Undo this check-in").click()
    page.wait_for_selector("text=Check-in undone")
    tab.shot("13 desk undone (390 px)")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the desk scrolls sideways at 390 px ({width})"
    tab.assert_no_errors()


def test_every_console_page_passes_axe(tab, world):
    verified(world.users["owner"])
    checkins.checkin_scan(actor=SYSTEM, organization=world.org, event=world.event, code=world.paid.ticket_code)
    sign_in(tab, "owner@acme.example")
    for path, name in (
        ("/console/home/", "a11y home"),
        ("/console/events/", "a11y events"),
        ("/console/events/new/", "a11y new event"),
        (f"/console/events/{world.event.pk}/", "a11y event"),
        (f"/console/events/{world.event.pk}/attendees/", "a11y attendees"),
        (f"/console/registrations/{world.paid.pk}/", "a11y registration paid"),
        (f"/console/registrations/{world.pending.pk}/", "a11y registration pending"),
        ("/console/desk/", "a11y desk choose"),
        (f"/console/desk/{world.event.pk}/", "a11y desk"),
        ("/console/reports/", "a11y reports"),
        ("/console/audit/", "a11y audit"),
        ("/console/settings/", "a11y settings"),
    ):
        visit(tab, path, name)
    tab.assert_no_errors()


def test_an_owner_connects_a_vendor_tests_it_and_reads_its_calls(tab, world):
    from tests.connectors import toy

    fake = toy.ToyFake().start()
    toy.BASE_URL["url"] = fake.url
    try:
        verified(world.users["owner"])
        sign_in(tab, "owner@acme.example", "/console/connections/")
        page = tab.page
        page.select_option("#vendor-choice", "crm:toy")
        page.get_by_role("button", name="Choose").click()
        page.get_by_label("Name").fill("Sales CRM")
        page.get_by_label("API key").fill("toy_test_abc123")
        page.get_by_label("Webhook secret").fill("whsec_toysecret")
        page.get_by_role("button", name="Connect Toy CRM").click()
        page.get_by_role("button", name="Test the connection").click()
        assert "Works: Connected as Toy account." in page.content()
        assert "toy_test_abc123" not in page.content()
        tab.shot("connection after a test")
        axe_check(tab, "connection page")
        tab.open("/console/connections/")
        assert "Sales CRM" in page.content()
        tab.shot("connections")
        axe_check(tab, "connections page")
        tab.assert_no_errors()
    finally:
        fake.stop()


def test_an_owner_schedules_an_export_runs_it_and_reads_its_runs(tab, world):
    from integrations import schedules
    from integrations.models import ExportRun

    verified(world.users["owner"])
    sign_in(tab, "owner@acme.example", "/console/exports/")
    page = tab.page
    tab.shot("export schedules empty")
    axe_check(tab, "export schedules")
    page.get_by_label("Name").fill("Nightly attendees")
    page.get_by_label("What").select_option("attendees")
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_label("Cron").fill("0 2 * * *")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Destination").select_option("email")
    page.get_by_label("Email recipients").fill("finance@acme.example")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url("**/console/exports/*/")
    assert "Nightly attendees is scheduled." in page.content()
    page.get_by_role("button", name="Run now").click()
    page.wait_for_load_state()
    # No worker runs in this test: the run's task is run here, as a worker would.
    assert schedules.run_attempt(run_id=ExportRun.objects.get().pk) == "succeeded"
    page.reload()
    row = page.locator("table tbody tr").first
    assert "Succeeded" in row.inner_text() and "finance@acme.example" in row.inner_text()
    [message] = mail.outbox
    assert "/downloads/exports/m." in message.body
    tab.shot("export schedule with a run")
    axe_check(tab, "export schedule")
    tab.open("/console/exports/")
    assert "Nightly attendees" in page.content() and "Europe/Berlin" in page.content()
    tab.shot("export schedules")
    tab.assert_no_errors()
