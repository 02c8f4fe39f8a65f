"""The portal's front page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_front_page_answers_with_the_portal_layout_and_its_own_styles(client):
    response = client.get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Build on the Event Management Platform" in html
    assert "/static/portal/portal.css" in html and "https://" not in html.split("<main>")[0]
    assert client.get("/static/portal/portal.css").status_code == 200
