"""The README and the docs link only files a clone has (no links out of the repository, none to a missing page)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE_PATH = re.compile(r"`(\.\./[^`\s]+)`")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_relative_link_points_at_a_file_of_the_repository():
    broken = []
    for page in _pages():
        text = page.read_text()
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target):
                continue  # http(s), mailto: not a file
            resolved = (page.parent / target).resolve()
            if not resolved.exists() or ROOT.resolve() not in resolved.parents:
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
        broken += [
            f"{page.relative_to(ROOT)} -> {p}" for p in CODE_PATH.findall(text) if not (page.parent / p).resolve().exists()
        ]
    assert not broken, broken


def test_the_readme_links_the_architecture_page():
    assert "](docs/architecture.md)" in (ROOT / "README.md").read_text()
    assert "shared/DESIGN.md" not in (ROOT / "README.md").read_text()
