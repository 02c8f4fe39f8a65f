"""The console's import in headless Chromium: upload a file, read the dry run's report, run it, see the outcome;
screenshots of each step and an axe-core pass on each page (no serious or critical violations)."""

from __future__ import annotations

import pytest

from registrations.models import ImportJob, ImportStatus, Registration
from tests.browser.test_console import axe_check, sign_in, world  # noqa: F401  (the fixture)
from tests.factories import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = b"Name,Email,Ticket type\nAda Lovelace,ada@example.com,Speaker\nGrace Hopper,grace@example.com,Speaker\nBob,bob-at-example,Speaker\n"


def test_an_organizer_checks_a_file_then_imports_it(tab, world, eager, tmp_path):  # noqa: F811
    verified(world.users["owner"])
    sign_in(tab, "owner@acme.example")
    page = tab.page
    tab.open(f"/console/events/{world.event.pk}/")
    page.get_by_role("link", name="Import from a file").click()
    page.wait_for_selector("h1:has-text('Import from a file')")
    tab.shot("01 imports")
    axe_check(tab, "imports")

    upload = tmp_path / "people.csv"
    upload.write_bytes(CSV)
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Check of every row")
    assert page.get_by_role("cell", name="INVALID_EMAIL").is_visible()
    assert Registration.objects.filter(attendee_email="ada@example.com").count() == 0  # the dry run wrote nothing
    tab.shot("02 dry run report")
    axe_check(tab, "dry run report")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Skip the 1 row with errors and import the others").check()
    page.get_by_role("button", name="Run the import").click()
    page.wait_for_selector("text=Download the result file")
    assert page.locator("h1 .badge").inner_text() == "Succeeded"
    assert page.get_by_text("2 confirmed, 1 skipped").is_visible()
    tab.shot("03 imported")
    axe_check(tab, "import done")
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert sorted(Registration.objects.filter(event=world.event, source="batch").values_list("attendee_email", flat=True)) == [
        "ada@example.com",
        "grace@example.com",
    ]
    tab.assert_no_errors()
