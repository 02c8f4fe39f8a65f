"""Query parameters: only those the OpenAPI document declares are accepted, and list filters are typed objects."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api import parameters
from api.metering import route_template
from api.serializers import QuerySerializer
from events.models import Event
from tests.conftest import error_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_misspelled_filter_is_refused_not_ignored(client_owner, org):
    EventFactory(organization=org, title="Draft one")
    response = client_owner.get("/api/v1/events?stauts=draft")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UNKNOWN_PARAMETER"
    assert error["target"] == "stauts"
    # The answer names what the operation accepts, in the API's camelCase.
    assert "status" in error["details"] and "startsAfter" in error["details"] and "pageSize" in error["details"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/{event}?expand=venue",
        "/api/v1/events/{event}/sessions?speakerId=1",
        "/api/v1/ping?verbose=1",
        "/api/v1/registrations?eventId=x",
        "/api/v1/events/{event}/speakers?name=Ada",
        "/api/v1/events/{event}/ticket-types?sort=name",
        "/api/v1/payments?page_size=5&evnt=1",
    ],
)
def test_unknown_parameters_are_refused_on_every_kind_of_operation(client_owner, org, path):
    event = EventFactory(organization=org)
    response = client_owner.get(path.format(event=event.id))
    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "UNKNOWN_PARAMETER"


def test_unknown_parameters_on_a_write_are_refused_and_nothing_is_written(client_owner, org):
    before = Event.objects.count()
    response = client_owner.post(
        "/api/v1/events?dryRun=true",
        {"title": "Launch", "startsAt": "2031-05-04T09:00:00Z", "endsAt": "2031-05-04T17:00:00Z", "timezone": "UTC"},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "UNKNOWN_PARAMETER"
    assert Event.objects.count() == before


def test_credentials_are_checked_before_parameters(api):
    response = api().get("/api/v1/events?stauts=draft")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "query",
    ["status=draft", "pageSize=2", "page_size=2", "page=1&pageSize=2", "limit=2&offset=0", "cursor=", "sort=-startsAt", "q=x"],
)
def test_declared_parameters_are_accepted_in_either_case(client_owner, org, query):
    EventFactory(organization=org)
    response = client_owner.get(f"/api/v1/events?{query}")
    assert response.status_code == 200, response.content


def test_head_is_checked_like_get(client_owner, org):
    assert client_owner.head("/api/v1/events?pageSize=1").status_code == 200
    assert client_owner.head("/api/v1/events?stauts=x").status_code == 400


def test_the_filters_reach_the_selector_as_its_typed_filter_object(client_owner, org):
    EventFactory(organization=org, title="Spring Gala")
    EventFactory(organization=org, title="Autumn Fair")
    titles = [row["title"] for row in client_owner.get("/api/v1/events?q=spring").json()["data"]]
    assert titles == ["Spring Gala"]


def _api_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            out.extend(_api_routes(entry, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            out.append((prefix + str(entry.pattern), entry.callback))
    return [(route, callback) for route, callback in out if route.startswith("api/v1")]


def test_every_api_operation_is_in_the_document_so_its_parameters_are_checked():
    """``api.parameters.check`` skips an operation the document lacks; there must be none."""
    declared = parameters.declared()
    missing = []
    for route, callback in _api_routes():
        shape = parameters._shape(route_template(route))
        actions = getattr(callback, "actions", None)
        methods = [m.upper() for m in actions] if actions else ["GET"]
        for method in methods:
            if method in ("HEAD", "OPTIONS"):
                continue
            if (shape, method) not in declared:
                missing.append(f"{method} {shape}")
    assert not missing, missing


def _filter_serializers() -> list[type]:
    found: list[type] = []
    stack = [QuerySerializer]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if hasattr(sub, "filter_class"):
                found.append(sub)
    from accounts.serializers import AuditFilterSerializer, MemberFilterSerializer

    return [*found, AuditFilterSerializer, MemberFilterSerializer]


def test_every_filter_serializer_and_its_selectors_filter_object_name_the_same_filters():
    serializers = _filter_serializers()
    assert len(serializers) >= 13
    for serializer in serializers:
        fields = set(serializer().fields)
        filter_fields = {f.name for f in dataclasses.fields(serializer.filter_class)}
        assert fields == filter_fields, (serializer.__name__, fields ^ filter_fields)


def test_list_selectors_take_their_filter_object_and_nothing_that_swallows_an_unknown_filter():
    """A selector with ``**kwargs`` would take a misspelled filter silently: each takes one typed filter object."""
    import inspect

    from accounts import selectors as accounts
    from events import selectors as events
    from integrations import selectors as integrations
    from payments import selectors as payments
    from registrations import selectors as registrations

    listed = []
    for module in (accounts, events, integrations, payments, registrations):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or "filters" not in inspect.signature(function).parameters:
                continue
            parameters = inspect.signature(function).parameters
            assert not [p for p in parameters.values() if p.kind is p.VAR_KEYWORD], name
            assert dataclasses.is_dataclass(parameters["filters"].default), name
            listed.append(name)
    assert len(listed) >= 13, listed


def test_a_filter_none_of_whose_parameters_is_given_is_skipped_only_when_it_would_keep_nothing():
    """``ApiViewSet.parse_query`` skips a query serializer when none of its fields is in the query; that
    must give what running it gives, so it is allowed only where validating no input keeps nothing."""
    from api.viewsets import _nothing_to_validate

    assert get_resolver().url_patterns  # every app's views, and so its serializers, imported

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    skipped = []
    for cls in set(subclasses(QuerySerializer)):
        if _nothing_to_validate(cls):
            serializer = cls(data={})
            assert serializer.is_valid(), (cls, serializer.errors)
            assert {k: v for k, v in serializer.validated_data.items() if v not in (None, "", [])} == {}, cls
            skipped.append(cls.__name__)
    assert "EventFilterSerializer" in skipped


def test_a_query_serializer_that_could_refuse_no_input_is_always_run():
    from rest_framework import serializers

    from api.viewsets import _nothing_to_validate

    class Required(QuerySerializer):
        since = serializers.DateTimeField()

    class Checked(QuerySerializer):
        since = serializers.DateTimeField(required=False)

        def validate(self, attrs):
            raise serializers.ValidationError("give since")

    class Defaulted(QuerySerializer):
        limit = serializers.IntegerField(required=False, default=10)

    assert not any(_nothing_to_validate(cls) for cls in (Required, Checked, Defaulted))
