"""The API changelog and a migration page in Chromium, reached from the portal's navigation like the status page, without console errors."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from api import changelog
from api.schema import document
from portal import changelog as pages

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_changelog_and_a_migration_page(tab, tmp_path, monkeypatch):
    changelog.write_release("1.0", dt.date(2026, 12, 1), document(), folder=tmp_path)
    data = json.loads((tmp_path / "1.0.json").read_text())
    del data["operations"]["GET /api/v1/events"]["parameters"]["query:status"]
    (tmp_path / "1.1.json").write_text(json.dumps({**data, "version": "1.1", "released": "2027-01-10"}))
    monkeypatch.setattr(changelog, "RELEASES", tmp_path)
    pages.entries.cache_clear()
    try:
        tab.open("/portal/guide/")
        page = tab.page
        page.locator("header").get_by_role("link", name="Changelog", exact=True).click()  # the portal's navigation
        page.wait_for_url("**/portal/changelog/")
        assert page.locator("#v1\\.1 li").count() == 1
        shot = tab.shot("changelog")
        page.get_by_role("link", name="How to migrate").first.click()
        page.wait_for_selector("h2:text('What to do')")
        assert "Stop sending" in page.content()
        tab.shot("migration page")
        page.locator("header").get_by_role("link", name="Status", exact=True).click()
        page.wait_for_url("**/status/")
        assert page.locator("h1").inner_text() == "Platform status"
        tab.shot("status page from the navigation")
        tab.assert_no_errors()
    finally:
        pages.entries.cache_clear()
    folder = Path("/tmp/shots/ops")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, folder / "changelog.png")
