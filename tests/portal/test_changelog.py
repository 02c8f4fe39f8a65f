"""The changelog in the portal: releases, an Atom feed, a migration page per breaking change."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from api import changelog
from portal import changelog as pages

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def two_releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """1.0 as the code is now, and a 1.1 that removed the events list's ``status`` parameter."""
    from api.schema import document

    changelog.write_release("1.0", dt.date(2026, 12, 1), document(), folder=tmp_path)
    data = json.loads((tmp_path / "1.0.json").read_text())
    del data["operations"]["GET /api/v1/events"]["parameters"]["query:status"]
    (tmp_path / "1.1.json").write_text(json.dumps({**data, "version": "1.1", "released": "2027-01-10"}))
    monkeypatch.setattr(changelog, "RELEASES", tmp_path)
    pages.entries.cache_clear()
    yield tmp_path
    pages.entries.cache_clear()


@pytest.mark.django_db
def test_the_changelog_lists_releases_with_their_breaking_changes_and_links_a_migration_page(
    client: Client, two_releases: Path
) -> None:
    response = client.get("/portal/changelog/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('id="unreleased"') < html.index('id="v1.1"') < html.index('id="v1.0"')
    slug = "get-api-v1-events-parameter-query-status"
    assert f'href="/portal/changelog/1.1/{slug}/"' in html
    migration = client.get(f"/portal/changelog/1.1/{slug}/")
    assert migration.status_code == 200
    text = migration.content.decode()
    assert "Stop sending query:status" in text and "UNKNOWN_PARAMETER" in text
    assert client.get("/portal/changelog/1.1/no-such-change/").status_code == 404


@pytest.mark.django_db
def test_the_atom_feed_has_one_entry_per_release(client: Client, two_releases: Path) -> None:
    response = client.get("/portal/changelog.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]
    assert titles[0] == "API 1.1: 1 changes, 1 breaking"
    assert titles[1].startswith("API 1.0: ")


def test_every_kind_of_breaking_change_has_steps() -> None:
    examples: list[Any] = [
        changelog.Change("breaking", "GET /x", "operation", "", "Removed."),
        changelog.Change("breaking", "GET /x", "parameter", "query:a", "Removed."),
        changelog.Change("breaking", "GET /x", "parameter", "query:a", "New and required.", after="string"),
        changelog.Change("breaking", "POST /x", "request field", "a", "Removed."),
        changelog.Change("breaking", "POST /x", "request field", "a", "New and required.", after="string"),
        changelog.Change("breaking", "GET /x", "response 200 field", "a", "Removed."),
        changelog.Change("breaking", "GET /x", "response 200 field", "a", "Changed type.", before="string", after="integer"),
        changelog.Change("breaking", "POST /x", "request field", "a", "Now required."),
        changelog.Change("breaking", "GET /x", "response 200 field", "a", "May now be absent."),
    ]
    texts = [pages.steps(change) for change in examples]
    assert len(set(texts)) == len(texts) and all("{" not in text for text in texts)
