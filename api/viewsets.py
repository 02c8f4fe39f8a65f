"""The base of every API view: context, conditional requests, idempotency, responses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.cache import patch_vary_headers
from rest_framework import viewsets
from rest_framework.fields import empty
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

from api import conditional, idempotency, readcache, statements
from api.casing import CamelCaseJSONRenderer
from api.context import AuthContext, resolve
from api.exceptions import ApiError
from api.pagination import FlexiblePagination
from api.parameters import DeclaredParametersView
from api.ratelimit import RateLimitedView
from api.renderers import CSVRenderer, FormatRenderer, QualityNegotiation, XMLRenderer
from core import errors as codes
from core.locks import Precondition


def _nothing_to_validate(serializer_class: Any) -> bool:
    """Whether ``serializer_class`` validates an empty query to nothing that ``parse_query`` keeps.

    So when none of its fields is in the query it need not run (a list's most common
    request): no field is required or has a default kept by ``parse_query``, and the
    class has no ``validate`` or ``validate_<field>`` of its own, which could refuse it.
    """
    found = _NOTHING_TO_VALIDATE.get(serializer_class)
    if found is None:
        declared = getattr(serializer_class, "_declared_fields", None)
        found = _NOTHING_TO_VALIDATE[serializer_class] = (
            declared is not None
            and serializer_class.validate is Serializer.validate
            and not any(
                field.required or field.default not in (empty, None, "") or hasattr(serializer_class, f"validate_{name}")
                for name, field in declared.items()
            )
        )
    return found


_NOTHING_TO_VALIDATE: dict[type, bool] = {}


UUID_LOOKUP = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class ApiViewSet(DeclaredParametersView, RateLimitedView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    lookup_value_regex = UUID_LOOKUP
    content_negotiation_class = QualityNegotiation
    required_permissions: dict[str, str] = {}
    # Actions whose GET answers may be served from the read cache (api.readcache).
    cached_actions: frozenset[str] = frozenset()
    # POST actions on one object that honour If-Match / If-Unmodified-Since (documented in the schema).
    conditional_actions: frozenset[str] = frozenset()
    # Representations an action offers beside JSON (ADR 0023), chosen by Accept or ?format=: {"retrieve": (PDFRenderer,)}.
    # Every list also answers CSV and XML, every single read XML (READ_FORMATS), unless the view set says otherwise.
    formats: dict[str, tuple[type[BaseRenderer], ...]] = {}
    READ_FORMATS: dict[str, tuple[type[BaseRenderer], ...]] = {"list": (CSVRenderer, XMLRenderer), "retrieve": (XMLRenderer,)}
    # Request bodies an action reads beside JSON: {"create": (XMLParser,)} (ADR 0023).
    input_formats: dict[str, tuple[type[BaseParser], ...]] = {}

    # -- context ------------------------------------------------------------------
    @property
    def auth(self) -> AuthContext:
        return resolve(self.request)

    def found(self, obj: Model | None) -> Any:
        """The object, or a 404 (another tenant's object looks the same as a missing one)."""
        if obj is None:
            raise ApiError(codes.RESOURCE_NOT_FOUND)
        return obj

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        ctx = getattr(self.request, "_auth_context", None) if self.request is not None else None
        if ctx is not None:
            context["organization"] = ctx.organization
        return context

    def parse(self, serializer_class: type[BaseSerializer[Any]], data: Any = None, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def parse_query(self, serializer_class: type[BaseSerializer[Any]]) -> dict[str, Any]:
        if _nothing_to_validate(serializer_class) and not any(
            name in serializer_class._declared_fields  # type: ignore[attr-defined]
            for name in self.request.query_params
        ):
            return {}  # none of its parameters given: what validation would give, without building its fields
        serializer = serializer_class(data=self.request.query_params.dict(), context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return {k: v for k, v in serializer.validated_data.items() if v not in (None, "", [])}

    def parse_filter(self, serializer_class: Any) -> Any:
        """A list's query as its selector's typed filter object (``serializer_class.filter_class``).

        The serializer validates the declared filters; the filter object is what
        the selector accepts, so a filter that one of them lacks fails loudly
        (``tests/api/test_parameters.py`` checks that the two agree).
        """
        return serializer_class.filter_class(**self.parse_query(serializer_class))

    # -- responses ----------------------------------------------------------------
    def read(self, instance: Model, serializer_class: type[BaseSerializer[Any]], status: int = 200) -> Response:
        data = serializer_class(instance, context=self.get_serializer_context()).data
        response = Response(data, status=status)
        response._last_modified = getattr(instance, "updated_at", None)  # type: ignore[attr-defined]
        return response

    def created(self, instance: Model, serializer_class: type[BaseSerializer[Any]], location: str | None = None) -> Response:
        response = self.read(instance, serializer_class, status=201)
        if location:
            response["Location"] = location
        response["ETag"] = conditional.etag_for(response.data)
        return response

    def page(
        self,
        queryset: QuerySet[Any] | statements.Deferred | Sequence[Any],
        serializer_class: type[BaseSerializer[Any]],
        *,
        statement_key: tuple[Any, ...] | None = None,
    ) -> Response:
        """One page of ``queryset``, rendered by ``serializer_class``.

        A serializer that declares ``row_fields`` and ``represent_rows`` gets the page as
        named tuples of those values instead of model instances (ADR 0024): the hottest
        lists skip building a model, and its related ones, for every row. Its view may
        also give a ``statement_key``: everything the queryset was built from (the
        organization, the filter object, the order), so that the page style runs the
        count and rows statements recorded for that key (``api.statements``), and hand
        the queryset as a ``statements.Deferred``, built only when those cannot answer.
        """
        row_fields = getattr(serializer_class, "row_fields", None)
        if row_fields and isinstance(queryset, QuerySet | statements.Deferred) and isinstance(self.paginator, FlexiblePagination):
            self.paginator.rows_of = lambda qs: qs.values_list(*row_fields, named=True)
            self.paginator.statement_key = (type(self).__name__, self.action, *statement_key) if statement_key else None
        rows = self.paginate_queryset(queryset)  # type: ignore[arg-type]  # FlexiblePagination takes a Deferred
        assert rows is not None
        if row_fields:
            data: Any = serializer_class.represent_rows(rows)  # type: ignore[attr-defined]
        else:
            data = serializer_class(rows, many=True, context=self.get_serializer_context()).data
        response = self.get_paginated_response(data)
        stamps = [getattr(r, "updated_at", None) for r in rows]
        response._last_modified = max((s for s in stamps if s), default=None)  # type: ignore[attr-defined]
        return response

    def document(self, instance: Model, content: bytes, filename: str) -> Response:
        """``content`` (a document the view rendered in the negotiated format) as the answer, validated like a read."""
        response = Response(content)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response._last_modified = getattr(instance, "updated_at", None)  # type: ignore[attr-defined]
        return response

    def page_document(
        self, queryset: QuerySet[Any] | Sequence[Any], build: Callable[[list[Any]], bytes], filename: str
    ) -> Response:
        """The page a JSON list would answer, as a document ``build`` makes of its rows (Link headers as for JSON)."""
        rows = self.paginate_queryset(queryset)
        assert rows is not None
        response = self.get_paginated_response([])
        response.data = build(list(rows))
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        stamps = [getattr(r, "updated_at", None) for r in rows]
        response._last_modified = max((s for s in stamps if s), default=None)  # type: ignore[attr-defined]
        return response

    def check_preconditions(self, instance: Model, serializer_class: type[BaseSerializer[Any]]) -> None:
        """412 when If-Match / If-Unmodified-Since no longer match ``instance`` (call under its row lock)."""
        if conditional.has_write_preconditions(self.request):
            current = serializer_class(instance, context=self.get_serializer_context()).data
            conditional.check_write_preconditions(self.request, current, getattr(instance, "updated_at", None))

    def precondition(
        self, serializer_class: type[BaseSerializer[Any]], reload: Callable[[], Model] | None = None
    ) -> Precondition | None:
        """The request's If-Match / If-Unmodified-Since for the service to check under its own locks (None without them).

        The service calls it with the object as it read it after locking; ``reload`` reads it
        again the way this view renders it (a selector's annotations), so the ETag compared is
        the one a GET answers. Checked in the view before the service's locks, a write committed
        in between would be overwritten: a lost update the 412 exists to prevent.
        """
        if not conditional.has_write_preconditions(self.request):
            return None

        def check(locked: Model) -> None:
            self.check_preconditions(reload() if reload is not None else locked, serializer_class)

        return check

    # -- DRF hooks ------------------------------------------------------------------
    def offered_formats(self) -> tuple[type[BaseRenderer], ...]:
        """The renderers this action offers beside JSON."""
        action = getattr(self, "action", None) or ""
        extra = (*self.READ_FORMATS.get(action, ()), *self.formats.get(action, ()))
        return tuple(dict.fromkeys(extra))

    def get_parsers(self) -> list[BaseParser]:
        # DRF builds the parsers before it sets ``self.action``: look the action up from the method.
        action = getattr(self, "action", None)
        if action is None and getattr(self, "request", None) is not None and hasattr(self, "action_map"):
            action = self.action_map.get((self.request.method or "").lower())
        return [*super().get_parsers(), *(parser() for parser in self.input_formats.get(action or "", ()))]

    def get_renderers(self) -> list[BaseRenderer]:
        return [*super().get_renderers(), *(renderer() for renderer in self.offered_formats())]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._idempotency_claim = None
        self._read_cache_key = None
        if request.method == "GET" and self.action in self.cached_actions and readcache.enabled():
            ctx = self.auth
            self._read_cache_key = readcache.key_for(request, ctx.organization.pk, ctx.role)
            readcache.lookup(self._read_cache_key)
        if request.method == "POST" and idempotency.HEADER in request.headers:
            acting: AuthContext | None = getattr(request, "_auth_context", None)
            scope = f"{acting.organization.pk}:{acting.client_key}" if acting else f"-:{request.user.pk}"
            self._idempotency_claim = idempotency.begin(request, scope)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        if isinstance(exc, readcache.Hit):
            self._read_cache_key = None
            return conditional.answer_not_modified(self.request, exc.response, exc.etag, exc.timestamp)
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and response.status_code >= 400:
            if isinstance(getattr(request, "accepted_renderer", None), FormatRenderer):
                # Errors are JSON in the one error format, whatever representation was asked for.
                request.accepted_renderer, request.accepted_media_type = CamelCaseJSONRenderer(), "application/json"
        if self.offered_formats():
            patch_vary_headers(response, ["Accept"])
        if isinstance(response, Response) and request.method in ("GET", "HEAD"):
            # The renderer first: the validator hashes the rendered body (api.conditional).
            response = super().finalize_response(request, response, *args, **kwargs)
            response = conditional.apply_read_validators(request, response, getattr(response, "_last_modified", None))
            cache_key: str | None = getattr(self, "_read_cache_key", None)
            if cache_key and response.status_code == 200:
                readcache.store(cache_key, response)
        elif isinstance(response, Response) and request.method in ("PUT", "PATCH") and response.status_code == 200:
            # The new representation's validator, so the next conditional write needs no extra GET.
            response["ETag"] = conditional.etag_for(response.data)
        response = super().finalize_response(request, response, *args, **kwargs)
        claim = getattr(self, "_idempotency_claim", None)
        if claim is not None and isinstance(response, Response):
            idempotency.finish(claim, response)
        return response
