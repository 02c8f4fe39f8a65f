"""core.correlation: accepting or generating ids, and the log filter."""

from __future__ import annotations

import logging
import uuid

import pytest

from core import correlation


@pytest.fixture(autouse=True)
def _reset():
    yield
    correlation.set_correlation_id("-")


@pytest.mark.parametrize("value", ["abc", "ABC-123", "a.b_c:d-e", "x" * 128, "550e8400-e29b-41d4-a716-446655440000"])
def test_safe_values_are_kept(value):
    assert correlation.accept_or_generate(value) == value


@pytest.mark.parametrize("value", [None, "", "x" * 129, "has space", "new\nline", "<script>", "ünïcode", "a/b", "a;b"])
def test_unsafe_or_missing_values_are_replaced_with_a_uuid(value):
    generated = correlation.accept_or_generate(value)
    assert generated != value
    assert str(uuid.UUID(generated)) == generated


def test_generated_ids_differ():
    assert correlation.accept_or_generate(None) != correlation.accept_or_generate(None)


def test_default_is_a_dash():
    assert correlation.get_correlation_id() == "-"


def test_set_and_get():
    correlation.set_correlation_id("abc")
    assert correlation.get_correlation_id() == "abc"


def test_filter_stamps_records_and_never_drops_them():
    correlation.set_correlation_id("trace-1")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    assert correlation.CorrelationIdFilter().filter(record) is True
    assert record.correlation_id == "trace-1"


@pytest.mark.django_db
def test_middleware_sets_echoes_and_request_finished_clears(rf):
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["during"] = correlation.get_correlation_id()
        seen["attr"] = request.correlation_id
        return HttpResponse("ok")

    middleware = correlation.CorrelationIdMiddleware(view)
    response = middleware(rf.get("/", HTTP_X_CORRELATION_ID="mw-1"))
    assert response["X-Correlation-ID"] == "mw-1"
    assert seen == {"during": "mw-1", "attr": "mw-1"}
    from django.core.signals import request_finished

    request_finished.send(sender=None)
    assert correlation.get_correlation_id() == "-"


def test_middleware_generates_when_missing(rf):
    from django.http import HttpResponse

    response = correlation.CorrelationIdMiddleware(lambda r: HttpResponse())(rf.get("/"))
    assert uuid.UUID(response["X-Correlation-ID"])
