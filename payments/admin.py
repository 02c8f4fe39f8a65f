"""The model admin (platform superusers) for payments, refunds and invoices: read-only.

Money moves only through ``payments.services`` (the API and the organizer console); the admin shows the records.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.model_admin import ReadOnlyAdmin, ReadOnlyInline
from payments.models import Invoice, Payment, PaymentItem, Refund


class ReadOnlyPaymentsAdmin(ReadOnlyAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]


class PaymentItemInline(ReadOnlyInline):
    model = PaymentItem
    fields = ("registration", "ticket_type", "amount", "tax_rate")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(ReadOnlyPaymentsAdmin):
    list_display = ("id", "event", "amount", "currency", "refunded_amount", "status", "provider", "created_at")
    list_filter = ("status", "provider", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("id", "provider_reference", "event__title", "items__registration__attendee_email")
    list_select_related = ("event", "organization")
    date_hierarchy = "created_at"
    inlines = [PaymentItemInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyPaymentsAdmin):
    list_display = ("id", "payment", "amount", "reason", "created_by", "created_at")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("reason", "provider_reference")
    list_select_related = ("payment",)


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyPaymentsAdmin):
    list_display = ("number", "buyer_name", "buyer_email", "total_gross", "currency", "issued_at")
    list_filter = ("currency", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "buyer_name", "buyer_email")
    date_hierarchy = "issued_at"
