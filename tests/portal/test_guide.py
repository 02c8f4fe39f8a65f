"""The integration guide: public pages, generated from the registries, and no inline script or style."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

import core.errors
from accounts.scopes import SCOPES
from core.error_resolutions import RESOLUTIONS
from core.errors import ErrorCode, registry
from integrations.catalog import CATALOG, example_data
from payments.providers import sandbox
from portal.guide import configuration, docs
from portal.guide.sections import SECTIONS, TIER_DESCRIPTIONS
from portal.templatetags.guide_text import code_spans

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "portal"


def page(client, slug: str) -> str:
    response = client.get(f"/portal/guide/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_guide_covers_the_sections_of_the_templates():
    slugs = [s.slug for s in SECTIONS]
    for slug in ["overview", "prerequisites", "integration-types", "authentication", "configuration", "data-exchange",
                 "errors", "retries", "webhooks", "rate-limits", "sandbox", "monitoring", "troubleshooting",
                 "versioning", "support", "sdks", "scenarios", "migrations", "assumptions", "summary"]:  # fmt: skip
        assert slug in slugs
    # Each section is rendered from its own template.
    from django.conf import settings

    templates = {path.stem for path in (settings.BASE_DIR / "templates" / "portal" / "guide").glob("*.html")}
    assert set(slugs) <= templates


@pytest.mark.parametrize("slug", [s.slug for s in SECTIONS])
def test_every_section_answers_anonymously_and_links_every_other(client, slug):
    text = page(client, slug)
    for other in SECTIONS:
        assert f'href="/portal/guide/{other.slug}/"' in text
    assert "https://cdn" not in text and "unpkg.com" not in text


def test_the_contents_page_lists_every_section_and_the_downloads(client):
    response = client.get("/portal/guide/")
    assert response.status_code == 200
    text = response.content.decode()
    for section in SECTIONS:
        assert f"/portal/guide/{section.slug}/" in text
    for url in ["/portal/reference/", "/portal/openapi.json", "/portal/openapi.yaml", "/portal/postman.json"]:
        assert url in text
    assert client.get("/portal/guide/no-such-section/").status_code == 404


def test_no_portal_template_has_an_inline_script_or_style():
    templates = list(TEMPLATES.rglob("*.html"))
    assert len(templates) > len(SECTIONS)
    for template in templates:
        source = template.read_text()
        for script in re.findall(r"<script[^>]*>", source):
            assert "src=" in script, f"inline script in {template.name}"
        assert not re.search(r"\sstyle\s*=", source), f"style attribute in {template.name}"
        assert "<style" not in source, f"style element in {template.name}"
        assert not re.search(r"\son[a-z]+\s*=", source), f"inline event handler in {template.name}"


def test_the_architecture_diagram_is_served_from_the_project(client):
    assert "/static/portal/architecture.svg" in page(client, "overview")
    response = client.get("/static/portal/architecture.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content if response.streaming else [response.content])


# -- error codes --------------------------------------------------------------------------------
def test_every_error_code_has_a_resolution_and_no_resolution_is_stale():
    codes = {e.code for e in registry()}
    assert codes - RESOLUTIONS.keys() == set(), "error codes without a resolution in core/error_resolutions.py"
    assert RESOLUTIONS.keys() - codes == set(), "resolutions of codes that are no longer declared"
    assert all(text.strip() for text in RESOLUTIONS.values())


def test_every_error_code_is_in_the_reference_with_status_description_and_resolution(client):
    text = page(client, "errors")
    for error in registry():
        row = re.search(rf'<tr id="{error.code}">(.*?)</tr>', text, re.S)
        assert row, error.code
        cells = row.group(1)
        assert f'<td class="status">{error.status}</td>' in cells
        assert code_spans(error.description) in cells
        assert code_spans(RESOLUTIONS[error.code]) in cells


def test_a_newly_declared_code_appears_in_the_reference_at_once(client, monkeypatch):
    extra = ErrorCode(code="GUIDE_PROBE", status=418, title="A probe", description="Declared by the test.")
    monkeypatch.setitem(core.errors._REGISTRY, "GUIDE_PROBE", extra)
    monkeypatch.setitem(RESOLUTIONS, "GUIDE_PROBE", "Resolve the probe.")
    text = page(client, "errors")
    assert '<tr id="GUIDE_PROBE">' in text and "Resolve the probe." in text


# -- webhooks -----------------------------------------------------------------------------------
def test_every_event_type_is_in_the_catalog_with_its_schema_and_example(client):
    text = html.unescape(page(client, "webhooks"))
    assert CATALOG
    for name, spec in CATALOG.items():
        assert f'id="event-{name}"' in text, name
        assert spec.description in text
        assert json.dumps(example_data(name), indent=2) in text
    # the schema shown is the standalone JSON Schema of data
    assert '"$schema": "https://json-schema.org/draft/2020-12/schema"' in text


def test_the_verification_code_is_the_one_of_docs_webhooks_md(client):
    text = html.unescape(page(client, "webhooks"))
    blocks = docs.code_blocks("webhooks.md", "Verifying the signature")
    assert "standardwebhooks" in blocks["python"] and "timingSafeEqual" in blocks["javascript"]
    assert blocks["python"] in text and blocks["javascript"] in text


# -- scopes, tiers, sandbox cards -----------------------------------------------------------------
def test_every_scope_is_in_the_authentication_section(client):
    text = html.unescape(page(client, "authentication"))
    for name, (description, _) in SCOPES.items():
        assert f'id="scope-{name}"' in text, name
        assert description in text


def test_every_rate_limit_tier_is_in_the_table_with_its_numbers(client, settings):
    assert TIER_DESCRIPTIONS.keys() == settings.RATE_LIMIT_TIERS.keys(), "a tier without a description"
    text = page(client, "rate-limits")
    for name, tier in settings.RATE_LIMIT_TIERS.items():
        row = re.search(rf'<tr id="tier-{name}">(.*?)</tr>', text, re.S)
        assert row, name
        assert [f"<td>{tier[k]}</td>" in row.group(1) for k in ("per_minute", "burst", "concurrent")] == [True] * 3


def test_the_tier_table_follows_the_settings(client, settings):
    settings.RATE_LIMIT_TIERS = {**settings.RATE_LIMIT_TIERS, "partner": {"per_minute": 1234, "burst": 56, "concurrent": 7}}
    row = re.search(r'<tr id="tier-partner">(.*?)</tr>', page(client, "rate-limits"), re.S)
    assert row and "<td>1234</td>" in row.group(1) and "<td>56</td>" in row.group(1)


def test_the_sandbox_test_cards_come_from_the_sandbox_provider(client):
    text = page(client, "sandbox")
    assert {sandbox.SUCCEEDS, sandbox.DECLINED, sandbox.INSUFFICIENT_FUNDS} <= sandbox.TEST_CARDS.keys()
    for number, code in sandbox.TEST_CARDS.items():
        row = re.search(rf'<tr id="card-{number}">(.*?)</tr>', text, re.S)
        assert row, number
        assert (f"<code>{code}</code>" in row.group(1)) if code else ("succeeds" in row.group(1))


# -- environment variables ----------------------------------------------------------------------
def test_the_parser_finds_every_variable_the_settings_read():
    source = configuration.SETTINGS_FILE.read_text()
    # An independent, cruder reading of the same file: every quoted UPPER_CASE name passed to env.* or _every.
    expected = set(re.findall(r'(?:env\.\w+|_every)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    found = {v.name for v in configuration.variables()}
    assert expected and expected == found
    assert {"DATABASE_URL", "CACHE_URL", "JOB_WEBHOOK_SWEEP_SECONDS", "NUM_PROXIES"} <= found


def test_every_variable_has_a_description_and_a_row(client):
    missing = [v.name for v in configuration.variables() if not v.description]
    assert missing == [], f"describe these in portal/guide/configuration.py: {missing}"
    assert configuration.DESCRIPTIONS.keys() == {v.name for v in configuration.variables()}, "stale descriptions"
    text = html.unescape(page(client, "configuration"))
    for variable in configuration.variables():
        row = re.search(rf'<tr id="env-{variable.name}">(.*?)</tr>', text, re.S)
        assert row, variable.name
        assert html.unescape(code_spans(variable.description)) in row.group(1)


def test_parse_reads_helpers_defaults_and_types():
    source = """
env = environ.Env()
def _every(variable, default):
    return env.int(variable, default=default)
A = env.str("FIRST_VAR", default="x")
B = env.bool("SECOND_VAR", False)
C = _every("THIRD_SECONDS", 60)
D = env.int("FIRST_VAR", default=1)
"""
    variables = configuration.parse(source)
    assert [(v.name, v.type, v.default) for v in variables] == [
        ("FIRST_VAR", "str", '"x"'),
        ("SECOND_VAR", "bool", "False"),
        ("THIRD_SECONDS", "int", "60"),
    ]
    assert all(v.description is None for v in variables)


def test_a_variable_added_to_the_settings_appears_in_the_guide(client, tmp_path, monkeypatch):
    settings_file = tmp_path / "settings.py"
    settings_file.write_text(configuration.SETTINGS_FILE.read_text() + '\nNEW_THING = env.int("NEW_THING_LIMIT", default=7)\n')
    monkeypatch.setattr(configuration, "SETTINGS_FILE", settings_file)
    text = page(client, "configuration")
    assert '<tr id="env-NEW_THING_LIMIT">' in text
    assert next(v for v in configuration.variables() if v.name == "NEW_THING_LIMIT").description is None


def test_code_spans_escapes_and_marks_code():
    assert code_spans("Send `If-Match` <b>") == "Send <code>If-Match</code> &lt;b&gt;"


def test_each_error_page_linked_from_an_error_response_shows_the_resolution(client):
    for error in registry():
        response = client.get(f"/api/errors/{error.code}")
        assert response.status_code == 200
        assert html.escape(RESOLUTIONS[error.code]) in response.content.decode(), error.code
