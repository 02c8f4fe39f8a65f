"""The connections API (list, connect, test, disconnect, call log, notifications and their replay) and the inbound
route every vendor notification arrives at. Everything needs ``integrations.manage``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api.viewsets import ApiViewSet
from connectors import intake, selectors, services
from connectors.models import Connection
from connectors.serializers import (
    CallLogSerializer,
    ConnectionInputSerializer,
    ConnectionSerializer,
    ConnectionTestSerializer,
    InboundEventSerializer,
)

MANAGE = Perm.INTEGRATIONS_MANAGE


class ConnectionViewSet(ApiViewSet):
    serializer_class = ConnectionSerializer
    required_permissions = dict.fromkeys(
        ("list", "retrieve", "create", "test", "disconnect", "calls", "notifications", "replay"), MANAGE
    )

    def list(self, request: Request) -> Response:
        return self.page(selectors.connection_list(organization=self.auth.organization), ConnectionSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._connection(pk), ConnectionSerializer)

    @extend_schema(request=ConnectionInputSerializer, responses={201: ConnectionSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(ConnectionInputSerializer)
        connection = services.connection_create(
            actor=self.auth.actor,
            organization=self.auth.organization,
            kind=data["kind"],
            vendor=data["vendor"],
            mode=data.get("mode", "test"),
            name=data.get("name", ""),
            credentials=data["credentials"],
            settings=data.get("settings") or {},
        )
        return self.created(connection, ConnectionSerializer, location=f"/api/v1/connections/{connection.pk}")

    @extend_schema(request=None, responses={200: ConnectionTestSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        result = services.connection_test(actor=self.auth.actor, connection=self._connection(pk))
        return Response(ConnectionTestSerializer(result).data)

    @extend_schema(request=None, responses={200: ConnectionSerializer})
    @action(detail=True, methods=["post"])
    def disconnect(self, request: Request, pk: str) -> Response:
        connection = services.connection_disconnect(actor=self.auth.actor, connection=self._connection(pk))
        return self.read(connection, ConnectionSerializer)

    @extend_schema(responses={200: CallLogSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def calls(self, request: Request, pk: str) -> Response:
        return self.page(selectors.call_list(connection=self._connection(pk)), CallLogSerializer)

    @extend_schema(responses={200: InboundEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def notifications(self, request: Request, pk: str) -> Response:
        return self.page(selectors.inbound_list(connection=self._connection(pk)), InboundEventSerializer)

    @extend_schema(request=None, responses={202: InboundEventSerializer})
    @action(detail=True, methods=["post"], url_path=r"notifications/(?P<notification_pk>[0-9a-f-]{36})/replay")
    def replay(self, request: Request, pk: str, notification_pk: str) -> Response:
        event = self.found(selectors.inbound_get(connection=self._connection(pk), event_id=notification_pk))
        return self.read(services.inbound_replay(actor=self.auth.actor, event=event), InboundEventSerializer, status=202)

    def _connection(self, pk: Any) -> Connection:
        return self.found(selectors.connection_get(organization=self.auth.organization, connection_id=pk))


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, connection_id: Any, channel: str = "") -> HttpResponse:
    """A vendor's notification for one connection: verified, stored, answered at once (``connectors.intake``)."""
    answer = intake.receive(
        connection_id=connection_id, channel=channel, body=request.body, headers=request.headers, query=request.GET
    )
    if answer.text is not None:
        return HttpResponse(answer.text, content_type="text/plain; charset=utf-8", status=answer.status)
    return JsonResponse(answer.body, status=answer.status)
