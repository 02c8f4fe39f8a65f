"""Shared fixtures: organizations with members of every role, and API clients signed in as them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Membership, Organization, User
from accounts.roles import Role
from tests.asgi_server import asgi_server
from tests.celery_worker import celery_broker_env, celery_worker, celery_worker_factory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

__all__ = ["asgi_server", "celery_broker_env", "celery_worker", "celery_worker_factory"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: Any) -> None:
    # A SQLite test database in a file, not in memory, so a worker process (tests.celery_worker) can open it.
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _celery_test_broker(celery_broker_env: dict[str, str]) -> None:
    """Tasks sent by any test go to this test process's own broker namespace, never to var/celery."""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # The default cache is the database cache; its table is not a migration.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Real hashers cost ~0.3 s a user; tests that check passwords work the same with MD5. OAuth client secrets keep
    # their own (fast) hasher, as in production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "accounts.oauth.hashers.ClientSecretHasher"]
    # Tests send far more requests a minute than any tier allows; the rate-limit tests switch it on.
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def _usage_meter(settings: Any) -> Iterator[None]:
    """Each test starts with no API usage counted, and nothing counted outlives it: no flush happens unless a test
    calls one (query-count pins stay exact), and none at exit writes to the database the tests restored."""
    from api.metering import METER

    settings.API_USAGE_FLUSH_SECONDS = float("inf")
    settings.API_USAGE_FLUSH_REQUESTS = 10**9
    METER.clear()
    yield
    METER.clear()


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL): SQLite has no row locks or concurrent writers")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def org() -> Organization:
    return OrganizationFactory(name="Acme Events", slug="acme")


@pytest.fixture
def other_org() -> Organization:
    return OrganizationFactory(name="Rival Events", slug="rival")


@pytest.fixture
def member(org: Organization) -> Callable[..., User]:
    """member(role) -> a user holding ``role`` in ``org``."""

    def make(role: str = Role.OWNER, organization: Organization | None = None, **user_kwargs: Any) -> User:
        user = UserFactory(**user_kwargs)
        MembershipFactory(user=user, organization=organization or org, role=role)
        return user

    return make


@pytest.fixture
def owner(member: Callable[..., User]) -> User:
    return member(Role.OWNER, email="owner@acme.example")


@pytest.fixture
def api() -> Callable[..., APIClient]:
    """api(user) -> an APIClient signed in as ``user`` (or anonymous)."""

    def make(user: User | None = None, organization: Organization | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        if organization is not None:
            client.credentials(HTTP_X_ORGANIZATION_ID=str(organization.id))
        return client

    return make


@pytest.fixture
def root() -> User:
    """A platform superuser: the only kind of user the model admin at /admin/ lets in (core.admin_site)."""
    return UserFactory(email="root@platform.example", is_staff=True, is_superuser=True)


@pytest.fixture
def console() -> Callable[[User], Client]:
    """console(user) -> a browser-like client signed in as ``user`` (for the model admin or the organizer console)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def client_owner(api: Callable[..., APIClient], owner: User) -> APIClient:
    return api(owner)


def error_of(response: Any) -> dict[str, Any]:
    """The ``error`` object of an error response, after checking the shape every error shares."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) >= {"code", "message", "details", "target", "status", "timestamp", "correlationId", "documentation"}, error
    assert error["status"] == response.status_code
    assert error["correlationId"] == response["X-Correlation-ID"]
    assert error["documentation"].endswith(f"/api/errors/{error['code']}")
    return error


def membership(user: User, organization: Organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


@pytest.fixture
def memory_broker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Messages the code under test sends (transactional tests run after-commit hooks) stay in this process.

    Not for tests with a real worker: theirs go to this test process's broker namespace (tests.celery_worker).
    """
    from config.celery import app as celery_app

    if {"celery_worker", "celery_worker_factory"} & set(request.fixturenames):
        yield
        return
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = "memory://"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url = before
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def eager() -> Iterator[None]:
    """Tasks sent to the broker run at once, in this process."""
    from config.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
