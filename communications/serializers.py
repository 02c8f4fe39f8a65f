"""The API's shapes of email templates, previews, test sends and analytics."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from communications.models import MessageStatus, MessageTemplate, MessageType

TYPES = [t for t in MessageType.values if t != MessageType.OTHER]


class EmailTemplateSerializer(serializers.ModelSerializer[MessageTemplate]):
    class Meta:
        model = MessageTemplate
        fields = ["id", "type", "language", "subject", "text", "html", "created_at", "updated_at"]


class EmailTemplateInputSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=TYPES)
    language = serializers.RegexField(r"^[a-z]{2}(-[A-Z]{2})?$", max_length=10, default="en")
    subject = serializers.CharField(max_length=300)
    text = serializers.CharField(max_length=20_000)
    html = serializers.CharField(max_length=100_000)


class EmailTemplatePreviewInputSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=TYPES)
    subject = serializers.CharField(max_length=300)
    text = serializers.CharField(max_length=20_000)
    html = serializers.CharField(max_length=100_000)


class EmailTemplatePreviewSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()


class EmailTestSendInputSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=TYPES)
    language = serializers.RegexField(r"^[a-z]{2}(-[A-Z]{2})?$", max_length=10, default="en")
    to = serializers.EmailField()


class EmailMessageSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    type = serializers.ChoiceField(choices=MessageType.choices)
    recipient = serializers.EmailField()
    status = serializers.ChoiceField(choices=MessageStatus.choices)
    vendor = serializers.CharField()
    vendor_message_id = serializers.CharField()


class EmailVariableSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    description = serializers.CharField()


class EmailTypeSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=TYPES)
    variables = EmailVariableSerializer(many=True)
    default_subject = serializers.CharField()
    default_text = serializers.CharField()
    default_html = serializers.CharField()
    templates = EmailTemplateSerializer(many=True, help_text="The organization's own, per language.")


class EmailAnalyticsRowSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=MessageType.choices)
    total = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="Accepted by the email vendor (or the local backend).")
    delivered = serializers.IntegerField()
    opened = serializers.IntegerField(help_text="Messages opened at least once.")
    clicked = serializers.IntegerField(help_text="Messages with at least one click.")
    bounced = serializers.IntegerField()
    suppressed = serializers.IntegerField(help_text="Not sent: the address is on the suppression list.")
    failed = serializers.IntegerField()
