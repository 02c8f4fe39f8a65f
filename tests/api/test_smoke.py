import pytest

pytestmark = pytest.mark.django_db


def test_events_list_answers_for_a_member(client_owner):
    response = client_owner.get("/api/v1/events")
    assert response.status_code == 200
    assert response.json() == {"data": [], "pagination": {"page": 1, "pageSize": 50, "totalCount": 0, "totalPages": 1}}
