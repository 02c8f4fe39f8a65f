"""The email API: templates per type and language (with their variables and defaults), a preview, a test send,
and analytics per event and type."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api.viewsets import ApiViewSet
from communications import selectors, services, templates
from communications.serializers import (
    TYPES,
    EmailAnalyticsRowSerializer,
    EmailMessageSerializer,
    EmailTemplateInputSerializer,
    EmailTemplatePreviewInputSerializer,
    EmailTemplatePreviewSerializer,
    EmailTemplateSerializer,
    EmailTestSendInputSerializer,
    EmailTypeSerializer,
)
from events import selectors as event_selectors


class EmailTemplateViewSet(ApiViewSet):
    serializer_class = EmailTemplateSerializer
    pagination_class = None
    required_permissions = {
        "list": Perm.EVENTS_VIEW,
        "create": Perm.EVENTS_EDIT,
        "preview": Perm.EVENTS_VIEW,
        "test_send": Perm.EVENTS_EDIT,
    }

    @extend_schema(responses={200: EmailTypeSerializer(many=True)})
    def list(self, request: Request) -> Response:
        own = selectors.template_list(organization_id=self.auth.organization.pk)
        rows: list[dict[str, Any]] = []
        for type in TYPES:
            subject, text, html = templates.DEFAULTS[type]
            rows.append(
                {
                    "type": type,
                    "variables": [{"name": n, "description": d} for n, d in sorted(templates.VARIABLES[type].items())],
                    "default_subject": subject,
                    "default_text": text,
                    "default_html": html,
                    "templates": [t for t in own if t.type == type],
                }
            )
        return Response(EmailTypeSerializer(rows, many=True).data)

    @extend_schema(request=EmailTemplateInputSerializer, responses={201: EmailTemplateSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(EmailTemplateInputSerializer)
        template = services.template_save(actor=self.auth.actor, organization=self.auth.organization, **data)
        return self.created(template, EmailTemplateSerializer)

    @extend_schema(request=EmailTemplatePreviewInputSerializer, responses={200: EmailTemplatePreviewSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        data = self.parse(EmailTemplatePreviewInputSerializer)
        services.template_check(type=data["type"], subject=data["subject"], text=data["text"], html=data["html"])
        rendered = templates.render(
            data["subject"], data["text"], data["html"], templates.sample(data["type"], self.auth.organization.name)
        )
        return Response({"subject": rendered.subject, "text": rendered.text, "html": rendered.html})

    @extend_schema(request=EmailTestSendInputSerializer, responses={202: EmailMessageSerializer})
    @action(detail=False, methods=["post"], url_path="test-send")
    def test_send(self, request: Request) -> Response:
        data = self.parse(EmailTestSendInputSerializer)
        message = services.template_test_send(actor=self.auth.actor, organization=self.auth.organization, **data)
        return Response(EmailMessageSerializer(message).data, status=202)


class EmailAnalyticsViewSet(ApiViewSet):
    serializer_class = EmailAnalyticsRowSerializer
    pagination_class = None
    required_permissions = {"list": Perm.REGISTRATIONS_VIEW}

    @extend_schema(responses={200: EmailAnalyticsRowSerializer(many=True)})
    def list(self, request: Request, event_pk: str) -> Response:
        event = self.found(event_selectors.event_get(organization=self.auth.organization, event_id=event_pk))
        rows = selectors.analytics(organization_id=self.auth.organization.pk, event_id=event.pk)
        return Response(EmailAnalyticsRowSerializer(rows, many=True).data)
