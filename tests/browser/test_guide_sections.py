"""The guide's front matter and the sections that complete the templates, in Chromium, reached by their links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NEW = [
    ("Code libraries and samples", "sdks", "#sdk-python"),
    ("Common integration scenarios", "scenarios", "#scenario-mirror-registrations"),
    ("Versioning, deprecation and change management", "versioning", "#change-management"),
    ("Migration guide", "migrations", "#breaking-changes"),
    ("Assumptions and open items", "assumptions", "#open-items"),
    ("Summary", "summary", "#facts"),
]


def test_the_front_matter_and_the_new_sections_of_the_guide(tab):
    tab.open("/portal/guide/")
    page = tab.page
    assert page.locator("#audience ~ table tbody tr").count() >= 4
    shots = [tab.shot("guide front matter")]
    for title, slug, landmark in NEW:
        page.locator("#contents ~ ol").get_by_role("link", name=title, exact=True).click()
        page.wait_for_url(f"**/portal/guide/{slug}/")
        assert page.locator("h1").inner_text() == title
        assert page.locator(landmark).count() == 1, landmark
        shots.append(tab.shot(f"guide {slug}"))
        page.go_back()
    tab.assert_no_errors()
    folder = Path("/tmp/shots/lifecycle")
    folder.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        shutil.copy(shot, folder / shot.name)
