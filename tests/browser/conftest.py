"""Headless Chromium driven by Playwright against pytest-django's live server.

Debian's Chromium is used (``apt-get install --no-install-recommends chromium
chromium-driver``); Playwright never downloads a browser here. Without it the
browser tests are skipped, with that reason, except under ``CI=true`` (``.ci/run``
installs it), where they fail. Each test saves a screenshot of
every main page it visits under ``var/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# The live server runs in a thread of this process; Playwright's sync API runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install --no-install-recommends chromium chromium-driver)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (it is in requirements-dev.txt: run make venv)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        # CI installs Chromium (.ci/run): a missing browser there is a broken machine, not a test to skip.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab on the live server that records console errors (CSP violations among them) and saves screenshots."""

    def __init__(self, page: Any, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"
        return response

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as var/screenshots/<test>/<name>.png."""
        path = self.folder / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_no_errors(self) -> None:
        assert not self.errors, self.errors


def open_tab(browser: Any, url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A 1280 px tab on the server at ``url``, closed after the test (``tab`` and the ASGI server's tab)."""
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = Page(context.new_page(), url, request.node.name)
    yield page
    context.close()


@pytest.fixture
def tab(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_tab(browser, live_server.url, request)
