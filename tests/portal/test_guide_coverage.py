"""The guide covers every section of the four guide templates, and its new sections' tables come from the code."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from api import versions
from api.versions import Version
from portal.guide import scenarios
from portal.guide.scenarios import SCENARIOS, TEMPLATE_COVERAGE
from portal.guide.sections import ASSUMPTIONS, AUDIENCES, OPEN_ITEMS, SECTIONS

pytestmark = pytest.mark.django_db

# The heading level of each template's sections (001 puts its sections at level 1).
LEVELS = {"000": 2, "001": 1, "002": 2, "003": 2}


def seeds() -> Path | None:
    """The templates (shared/seeds beside the repository), when they are at hand."""
    base = Path(settings.BASE_DIR)
    candidates = [os.environ.get("SEEDS_DIR", ""), base.parent / "shared" / "seeds", base.parent.parent / "shared" / "seeds"]
    return next((Path(c) for c in candidates if c and (Path(c) / "README.md").exists()), None)


def page(client, slug: str) -> str:
    response = client.get(f"/portal/guide/{slug}/" if slug else "/portal/guide/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_template_section_points_at_a_section_and_anchor_the_guide_has(client):
    slugs = {s.slug for s in SECTIONS} | {""}
    pages: dict[str, str] = {}
    covered = 0
    for template, rows in TEMPLATE_COVERAGE.items():
        for heading, slug, anchor in rows:
            assert slug in slugs, (template, heading, slug)
            text = pages.setdefault(slug, page(client, slug))
            if anchor:
                assert f'id="{anchor}"' in text, (template, heading, slug, anchor)
            covered += 1
    assert covered >= 45


# The section headings of the four templates, as ``template_headings`` reads them from shared/seeds: kept beside the
# test so the coverage check runs on every checkout; where the templates are at hand, the copy is checked against them.
HEADINGS = Path(__file__).with_name("guide_template_headings.json")


def template_headings(folder: Path) -> dict[str, list[str]]:
    found = {}
    for template, level in LEVELS.items():
        [path] = folder.glob(f"{template}_*.txt")
        text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.M | re.S)  # no headings inside code blocks
        headings = [m.group(1).strip() for m in re.finditer(rf"^{'#' * level} (.+)$", text, re.M)]
        found[template] = [re.sub(r"^[^\w\d]+", "", h).strip() for h in headings if "[Service Name]" not in h]
    return found


def test_the_coverage_table_lists_every_section_heading_of_the_templates():
    kept = json.loads(HEADINGS.read_text(encoding="utf-8"))
    folder = seeds()
    if folder is not None:  # the kept copy is the templates' own headings
        assert kept == template_headings(folder)
    for template in LEVELS:
        listed = {heading for heading, _, _ in TEMPLATE_COVERAGE[template]}
        assert kept[template] and set(kept[template]) <= listed, (template, set(kept[template]) - listed)


def test_the_front_matter_says_what_the_guide_is_who_it_is_for_and_lists_every_section(client):
    text = page(client, "")
    for anchor in ("about", "audience", "contents"):
        assert f'id="{anchor}"' in text
    for who, _, _ in AUDIENCES:
        assert html.escape(who) in text
    assert f"<code>{versions.DEFAULT_VERSION}</code>" in text
    assert "/portal/changelog/" in text and "/status/" in text


def test_the_scenarios_have_purpose_systems_steps_and_validation_and_show_the_samples_the_tests_run(client):
    text = page(client, "scenarios")
    for scenario in SCENARIOS:
        assert f'id="{scenario.slug}"' in text and scenario.steps and scenario.validation and scenario.systems
        if scenario.code_path:
            shown = re.search(rf'<pre class="code" id="scenario-{scenario.slug}">(.*?)</pre>', text, re.S)
            assert shown and html.unescape(shown.group(1)) == scenario.code
            assert (Path(settings.BASE_DIR) / scenario.run_by).exists()
            assert scenario.code_path.split("/")[1] in (Path(settings.BASE_DIR) / scenario.run_by).read_text()
    assert scenarios.python_function("samples/python-sync/sync.py", "pull").startswith("def pull(")
    with pytest.raises(LookupError):
        scenarios.python_function("samples/python-sync/sync.py", "no_such_function")


def test_assumptions_open_items_and_summary_come_from_the_code(client, settings):
    text = page(client, "assumptions")
    assert all(html.escape(a) in text for a in ASSUMPTIONS)
    assert all(html.escape(item) in text for item, _ in OPEN_ITEMS)
    settings.RATE_LIMIT_TIERS = {**settings.RATE_LIMIT_TIERS, "partner": {"per_minute": 4321, "burst": 12, "concurrent": 3}}
    summary = page(client, "summary")
    assert "4321 requests a minute, bursts of 12, 3 at a time" in summary
    for section in SECTIONS:
        assert f'href="/portal/guide/{section.slug}/"' in summary and html.escape(section.summary) in summary


def test_versions_and_deprecations_in_the_change_and_migration_sections_come_from_the_registry(client, monkeypatch):
    monkeypatch.setattr(versions, "VERSIONS", (*versions.VERSIONS, Version("1.1", dt.date(2027, 1, 1), ("Totals are strings.",))))
    monkeypatch.setattr(versions, "DEPRECATIONS", [])
    versions.deprecate(
        "parameter",
        method="GET",
        route="/api/v1/events",
        name="startsAfter",
        deprecated_on=dt.date(2026, 11, 1),
        sunset_on=dt.date(2027, 5, 1),
        migration="/portal/guide/migrations/#deprecations",
        replacement="startsFrom",
    )
    for slug in ("versioning", "migrations"):
        text = page(client, slug)
        assert "<code>1.1</code>" in text and "Totals are strings." in text
        assert "<code>startsAfter</code>" in text and "2027-05-01" in text and "startsFrom" in text
        assert "Nothing is deprecated today." not in text
    assert 'id="change-management"' in page(client, "versioning")
