""" Contains all the data models used in inputs/outputs """

from .action_enum import ActionEnum
from .alg_enum import AlgEnum
from .api_key import ApiKey
from .api_key_input_request import ApiKeyInputRequest
from .api_key_rotate_request import ApiKeyRotateRequest
from .api_key_secret import ApiKeySecret
from .api_key_status_enum import ApiKeyStatusEnum
from .api_keys_list_format import ApiKeysListFormat
from .api_keys_retrieve_format import ApiKeysRetrieveFormat
from .attendance_mode_enum import AttendanceModeEnum
from .attendee import Attendee
from .attendee_input_request import AttendeeInputRequest
from .attendee_input_request_answers import AttendeeInputRequestAnswers
from .attendee_summary import AttendeeSummary
from .attendee_ticket_type import AttendeeTicketType
from .audit_entry import AuditEntry
from .audit_log_list_format import AuditLogListFormat
from .audit_log_retrieve_format import AuditLogRetrieveFormat
from .batch_input_request import BatchInputRequest
from .batch_response import BatchResponse
from .batch_result import BatchResult
from .batch_result_error import BatchResultError
from .blank_enum import BlankEnum
from .buyer import Buyer
from .calendar_feed import CalendarFeed
from .calendar_feed_created import CalendarFeedCreated
from .calendar_feed_input_request import CalendarFeedInputRequest
from .calendar_feeds_list_format import CalendarFeedsListFormat
from .calendar_feeds_retrieve_format import CalendarFeedsRetrieveFormat
from .call_log import CallLog
from .cancel_request import CancelRequest
from .capture_method_enum import CaptureMethodEnum
from .card import Card
from .category_enum import CategoryEnum
from .certificate import Certificate
from .change import Change
from .change_page import ChangePage
from .check_in import CheckIn
from .check_in_bulk_request import CheckInBulkRequest
from .check_in_bulk_response import CheckInBulkResponse
from .check_in_bulk_result import CheckInBulkResult
from .check_in_bulk_result_error_type_0 import CheckInBulkResultErrorType0
from .check_in_create_request import CheckInCreateRequest
from .check_in_details import CheckInDetails
from .check_in_stats import CheckInStats
from .checkins_list_format import CheckinsListFormat
from .checkins_retrieve_format import CheckinsRetrieveFormat
from .checkout import Checkout
from .circuit_state_enum import CircuitStateEnum
from .connection import Connection
from .connection_input_request import ConnectionInputRequest
from .connection_input_request_credentials import ConnectionInputRequestCredentials
from .connection_input_request_settings import ConnectionInputRequestSettings
from .connection_kind_enum import ConnectionKindEnum
from .connection_status_enum import ConnectionStatusEnum
from .connection_test import ConnectionTest
from .connections_list_format import ConnectionsListFormat
from .connections_retrieve_format import ConnectionsRetrieveFormat
from .crv_enum import CrvEnum
from .destination_enum import DestinationEnum
from .dispute import Dispute
from .dispute_status_enum import DisputeStatusEnum
from .document_branding import DocumentBranding
from .document_branding_retrieve_format import DocumentBrandingRetrieveFormat
from .email_analytics_row import EmailAnalyticsRow
from .email_domain import EmailDomain
from .email_domain_input_request import EmailDomainInputRequest
from .email_domains_list_format import EmailDomainsListFormat
from .email_domains_retrieve_format import EmailDomainsRetrieveFormat
from .email_message import EmailMessage
from .email_message_status_enum import EmailMessageStatusEnum
from .email_message_type_enum import EmailMessageTypeEnum
from .email_template import EmailTemplate
from .email_template_input_request import EmailTemplateInputRequest
from .email_template_preview import EmailTemplatePreview
from .email_template_preview_input_request import EmailTemplatePreviewInputRequest
from .email_template_type_enum import EmailTemplateTypeEnum
from .email_templates_list_format import EmailTemplatesListFormat
from .email_test_send_input_request import EmailTestSendInputRequest
from .email_type import EmailType
from .email_variable import EmailVariable
from .error_response import ErrorResponse
from .error_response_error import ErrorResponseError
from .error_response_error_details_type_1_item_type_1 import ErrorResponseErrorDetailsType1ItemType1
from .error_response_error_details_type_2 import ErrorResponseErrorDetailsType2
from .event import Event
from .event_input_request import EventInputRequest
from .event_stats import EventStats
from .event_status_enum import EventStatusEnum
from .event_type_enum import EventTypeEnum
from .event_visibility_enum import EventVisibilityEnum
from .events_attendees_list_format import EventsAttendeesListFormat
from .events_email_analytics_list_format import EventsEmailAnalyticsListFormat
from .events_list_format import EventsListFormat
from .events_registration_settings_retrieve_format import EventsRegistrationSettingsRetrieveFormat
from .events_retrieve_format import EventsRetrieveFormat
from .events_sessions_feedback_retrieve_format import EventsSessionsFeedbackRetrieveFormat
from .events_sessions_list_format import EventsSessionsListFormat
from .events_sessions_materials_list_format import EventsSessionsMaterialsListFormat
from .events_sessions_materials_retrieve_format import EventsSessionsMaterialsRetrieveFormat
from .events_sessions_retrieve_format import EventsSessionsRetrieveFormat
from .events_speakers_list_format import EventsSpeakersListFormat
from .events_speakers_retrieve_format import EventsSpeakersRetrieveFormat
from .events_ticket_types_list_format import EventsTicketTypesListFormat
from .events_ticket_types_retrieve_format import EventsTicketTypesRetrieveFormat
from .export_create_request import ExportCreateRequest
from .export_filters_request import ExportFiltersRequest
from .export_job import ExportJob
from .export_job_status_enum import ExportJobStatusEnum
from .export_progress import ExportProgress
from .export_run import ExportRun
from .export_run_status_enum import ExportRunStatusEnum
from .export_schedule import ExportSchedule
from .export_schedule_created import ExportScheduleCreated
from .export_schedule_input_request import ExportScheduleInputRequest
from .export_schedules_list_format import ExportSchedulesListFormat
from .export_schedules_retrieve_format import ExportSchedulesRetrieveFormat
from .export_type_enum import ExportTypeEnum
from .exports_list_format import ExportsListFormat
from .exports_retrieve_format import ExportsRetrieveFormat
from .feedback_comment import FeedbackComment
from .format_enum import FormatEnum
from .identity_provider import IdentityProvider
from .identity_provider_input_request import IdentityProviderInputRequest
from .identity_providers_list_format import IdentityProvidersListFormat
from .identity_providers_retrieve_format import IdentityProvidersRetrieveFormat
from .import_job import ImportJob
from .import_job_detail import ImportJobDetail
from .import_job_detail_outcomes import ImportJobDetailOutcomes
from .import_job_outcomes import ImportJobOutcomes
from .import_kind_enum import ImportKindEnum
from .import_progress import ImportProgress
from .import_row_error import ImportRowError
from .import_run_request import ImportRunRequest
from .import_status_enum import ImportStatusEnum
from .import_upload_request import ImportUploadRequest
from .inbound_event import InboundEvent
from .inbound_event_status_enum import InboundEventStatusEnum
from .index import Index
from .index_link import IndexLink
from .index_links import IndexLinks
from .interval_enum import IntervalEnum
from .invitation import Invitation
from .invitation_accept_request import InvitationAcceptRequest
from .invitation_input_request import InvitationInputRequest
from .invitation_status_enum import InvitationStatusEnum
from .invitations_list_format import InvitationsListFormat
from .invitations_list_status import InvitationsListStatus
from .invitations_retrieve_format import InvitationsRetrieveFormat
from .invoice import Invoice
from .invoice_line import InvoiceLine
from .invoices_list_format import InvoicesListFormat
from .invoices_retrieve_format import InvoicesRetrieveFormat
from .kty_enum import KtyEnum
from .material import Material
from .material_input_request import MaterialInputRequest
from .material_kind_enum import MaterialKindEnum
from .member import Member
from .mode_enum import ModeEnum
from .outcome_enum import OutcomeEnum
from .paginated_api_key_list import PaginatedApiKeyList
from .paginated_attendee_list import PaginatedAttendeeList
from .paginated_audit_entry_list import PaginatedAuditEntryList
from .paginated_calendar_feed_list import PaginatedCalendarFeedList
from .paginated_call_log_list import PaginatedCallLogList
from .paginated_check_in_list import PaginatedCheckInList
from .paginated_connection_list import PaginatedConnectionList
from .paginated_email_domain_list import PaginatedEmailDomainList
from .paginated_event_list import PaginatedEventList
from .paginated_export_job_list import PaginatedExportJobList
from .paginated_export_run_list import PaginatedExportRunList
from .paginated_export_schedule_list import PaginatedExportScheduleList
from .paginated_identity_provider_list import PaginatedIdentityProviderList
from .paginated_import_job_list import PaginatedImportJobList
from .paginated_inbound_event_list import PaginatedInboundEventList
from .paginated_invitation_list import PaginatedInvitationList
from .paginated_invoice_list import PaginatedInvoiceList
from .paginated_material_list import PaginatedMaterialList
from .paginated_member_list import PaginatedMemberList
from .paginated_payment_list import PaginatedPaymentList
from .paginated_registration_list import PaginatedRegistrationList
from .paginated_scim_token_list import PaginatedScimTokenList
from .paginated_session_list import PaginatedSessionList
from .paginated_speaker_list import PaginatedSpeakerList
from .paginated_subscription_list import PaginatedSubscriptionList
from .paginated_ticket_list import PaginatedTicketList
from .paginated_ticket_type_list import PaginatedTicketTypeList
from .paginated_venue_list import PaginatedVenueList
from .paginated_webhook_delivery_list import PaginatedWebhookDeliveryList
from .paginated_webhook_subscription_list import PaginatedWebhookSubscriptionList
from .pagination import Pagination
from .patched_document_branding_input_request import PatchedDocumentBrandingInputRequest
from .patched_email_domain_update_request import PatchedEmailDomainUpdateRequest
from .patched_event_input_request import PatchedEventInputRequest
from .patched_export_schedule_input_request import PatchedExportScheduleInputRequest
from .patched_identity_provider_input_request import PatchedIdentityProviderInputRequest
from .patched_profile_input_request import PatchedProfileInputRequest
from .patched_registration_settings_input_request import PatchedRegistrationSettingsInputRequest
from .patched_registration_update_request import PatchedRegistrationUpdateRequest
from .patched_registration_update_request_answers import PatchedRegistrationUpdateRequestAnswers
from .patched_role_input_request import PatchedRoleInputRequest
from .patched_session_input_request import PatchedSessionInputRequest
from .patched_speaker_input_request import PatchedSpeakerInputRequest
from .patched_ticket_type_input_request import PatchedTicketTypeInputRequest
from .patched_venue_input_request import PatchedVenueInputRequest
from .patched_webhook_subscription_input_request import PatchedWebhookSubscriptionInputRequest
from .payment import Payment
from .payment_checkout import PaymentCheckout
from .payment_confirm_request import PaymentConfirmRequest
from .payment_create_request import PaymentCreateRequest
from .payment_item import PaymentItem
from .payment_refund_request import PaymentRefundRequest
from .payment_status_enum import PaymentStatusEnum
from .payments_list_format import PaymentsListFormat
from .payments_retrieve_format import PaymentsRetrieveFormat
from .ping import Ping
from .ping_client import PingClient
from .ping_client_type_enum import PingClientTypeEnum
from .ping_kind_enum import PingKindEnum
from .ping_organization import PingOrganization
from .ping_organization_kind_enum import PingOrganizationKindEnum
from .ping_rate_limit import PingRateLimit
from .ping_user import PingUser
from .preferences_request import PreferencesRequest
from .profile import Profile
from .protocol_enum import ProtocolEnum
from .provider_enum import ProviderEnum
from .rate_tier_enum import RateTierEnum
from .refund import Refund
from .registration import Registration
from .registration_cancel_request import RegistrationCancelRequest
from .registration_create_request import RegistrationCreateRequest
from .registration_order import RegistrationOrder
from .registration_settings import RegistrationSettings
from .registration_stats import RegistrationStats
from .registration_status_enum import RegistrationStatusEnum
from .registrations_certificate_retrieve_format import RegistrationsCertificateRetrieveFormat
from .registrations_create_format import RegistrationsCreateFormat
from .registrations_list_format import RegistrationsListFormat
from .registrations_order_tickets_list_format import RegistrationsOrderTicketsListFormat
from .registrations_retrieve_format import RegistrationsRetrieveFormat
from .registrations_ticket_retrieve_format import RegistrationsTicketRetrieveFormat
from .reports_revenue_retrieve_group_by import ReportsRevenueRetrieveGroupBy
from .result_enum import ResultEnum
from .revenue_report import RevenueReport
from .revenue_row import RevenueRow
from .revenue_stats import RevenueStats
from .revenue_total import RevenueTotal
from .role_enum import RoleEnum
from .role_mapping import RoleMapping
from .role_mapping_request import RoleMappingRequest
from .scim_token import ScimToken
from .scim_token_created import ScimTokenCreated
from .scim_token_input_request import ScimTokenInputRequest
from .scim_tokens_list_format import ScimTokensListFormat
from .scim_tokens_retrieve_format import ScimTokensRetrieveFormat
from .scopes_enum import ScopesEnum
from .service_provider import ServiceProvider
from .session import Session
from .session_counts import SessionCounts
from .session_feedback import SessionFeedback
from .session_feedback_input_request import SessionFeedbackInputRequest
from .session_feedback_summary import SessionFeedbackSummary
from .session_feedback_summary_distribution import SessionFeedbackSummaryDistribution
from .session_input_request import SessionInputRequest
from .session_status_enum import SessionStatusEnum
from .source_enum import SourceEnum
from .speaker import Speaker
from .speaker_input_request import SpeakerInputRequest
from .speaker_summary import SpeakerSummary
from .sso_enforcement import SsoEnforcement
from .sso_enforcement_input_request import SsoEnforcementInputRequest
from .sso_enforcement_retrieve_format import SsoEnforcementRetrieveFormat
from .status_counts import StatusCounts
from .sub_events_input_request import SubEventsInputRequest
from .subscription import Subscription
from .subscription_cancel_request import SubscriptionCancelRequest
from .subscription_checkout import SubscriptionCheckout
from .subscription_create_request import SubscriptionCreateRequest
from .subscription_status_enum import SubscriptionStatusEnum
from .subscriptions_list_format import SubscriptionsListFormat
from .subscriptions_retrieve_format import SubscriptionsRetrieveFormat
from .ticket import Ticket
from .ticket_event import TicketEvent
from .ticket_key import TicketKey
from .ticket_key_set import TicketKeySet
from .ticket_key_status_enum import TicketKeyStatusEnum
from .ticket_type import TicketType
from .ticket_type_input_request import TicketTypeInputRequest
from .ticket_type_ref import TicketTypeRef
from .ticket_type_summary import TicketTypeSummary
from .ticket_validate_request import TicketValidateRequest
from .ticket_validation import TicketValidation
from .ticket_validation_registration_type_0 import TicketValidationRegistrationType0
from .ticket_venue import TicketVenue
from .ticket_visibility_enum import TicketVisibilityEnum
from .totals import Totals
from .use_enum import UseEnum
from .users_list_format import UsersListFormat
from .users_list_role import UsersListRole
from .users_retrieve_format import UsersRetrieveFormat
from .validation_problem import ValidationProblem
from .venue import Venue
from .venue_input_request import VenueInputRequest
from .venue_summary import VenueSummary
from .venues_list_format import VenuesListFormat
from .venues_retrieve_format import VenuesRetrieveFormat
from .webhook_attempt import WebhookAttempt
from .webhook_attempt_request_headers import WebhookAttemptRequestHeaders
from .webhook_attempt_response_headers import WebhookAttemptResponseHeaders
from .webhook_catalog import WebhookCatalog
from .webhook_deliveries_list_format import WebhookDeliveriesListFormat
from .webhook_deliveries_retrieve_format import WebhookDeliveriesRetrieveFormat
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_detail import WebhookDeliveryDetail
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_disabled_reason_enum import WebhookDisabledReasonEnum
from .webhook_event_type import WebhookEventType
from .webhook_recover_request import WebhookRecoverRequest
from .webhook_secret import WebhookSecret
from .webhook_source_ips import WebhookSourceIps
from .webhook_subscription import WebhookSubscription
from .webhook_subscription_created import WebhookSubscriptionCreated
from .webhook_subscription_input_request import WebhookSubscriptionInputRequest
from .webhook_test_request import WebhookTestRequest
from .webhooks_list_format import WebhooksListFormat
from .webhooks_retrieve_format import WebhooksRetrieveFormat

__all__ = (
    "ActionEnum",
    "AlgEnum",
    "ApiKey",
    "ApiKeyInputRequest",
    "ApiKeyRotateRequest",
    "ApiKeySecret",
    "ApiKeysListFormat",
    "ApiKeysRetrieveFormat",
    "ApiKeyStatusEnum",
    "AttendanceModeEnum",
    "Attendee",
    "AttendeeInputRequest",
    "AttendeeInputRequestAnswers",
    "AttendeeSummary",
    "AttendeeTicketType",
    "AuditEntry",
    "AuditLogListFormat",
    "AuditLogRetrieveFormat",
    "BatchInputRequest",
    "BatchResponse",
    "BatchResult",
    "BatchResultError",
    "BlankEnum",
    "Buyer",
    "CalendarFeed",
    "CalendarFeedCreated",
    "CalendarFeedInputRequest",
    "CalendarFeedsListFormat",
    "CalendarFeedsRetrieveFormat",
    "CallLog",
    "CancelRequest",
    "CaptureMethodEnum",
    "Card",
    "CategoryEnum",
    "Certificate",
    "Change",
    "ChangePage",
    "CheckIn",
    "CheckInBulkRequest",
    "CheckInBulkResponse",
    "CheckInBulkResult",
    "CheckInBulkResultErrorType0",
    "CheckInCreateRequest",
    "CheckInDetails",
    "CheckinsListFormat",
    "CheckinsRetrieveFormat",
    "CheckInStats",
    "Checkout",
    "CircuitStateEnum",
    "Connection",
    "ConnectionInputRequest",
    "ConnectionInputRequestCredentials",
    "ConnectionInputRequestSettings",
    "ConnectionKindEnum",
    "ConnectionsListFormat",
    "ConnectionsRetrieveFormat",
    "ConnectionStatusEnum",
    "ConnectionTest",
    "CrvEnum",
    "DestinationEnum",
    "Dispute",
    "DisputeStatusEnum",
    "DocumentBranding",
    "DocumentBrandingRetrieveFormat",
    "EmailAnalyticsRow",
    "EmailDomain",
    "EmailDomainInputRequest",
    "EmailDomainsListFormat",
    "EmailDomainsRetrieveFormat",
    "EmailMessage",
    "EmailMessageStatusEnum",
    "EmailMessageTypeEnum",
    "EmailTemplate",
    "EmailTemplateInputRequest",
    "EmailTemplatePreview",
    "EmailTemplatePreviewInputRequest",
    "EmailTemplatesListFormat",
    "EmailTemplateTypeEnum",
    "EmailTestSendInputRequest",
    "EmailType",
    "EmailVariable",
    "ErrorResponse",
    "ErrorResponseError",
    "ErrorResponseErrorDetailsType1ItemType1",
    "ErrorResponseErrorDetailsType2",
    "Event",
    "EventInputRequest",
    "EventsAttendeesListFormat",
    "EventsEmailAnalyticsListFormat",
    "EventsListFormat",
    "EventsRegistrationSettingsRetrieveFormat",
    "EventsRetrieveFormat",
    "EventsSessionsFeedbackRetrieveFormat",
    "EventsSessionsListFormat",
    "EventsSessionsMaterialsListFormat",
    "EventsSessionsMaterialsRetrieveFormat",
    "EventsSessionsRetrieveFormat",
    "EventsSpeakersListFormat",
    "EventsSpeakersRetrieveFormat",
    "EventStats",
    "EventStatusEnum",
    "EventsTicketTypesListFormat",
    "EventsTicketTypesRetrieveFormat",
    "EventTypeEnum",
    "EventVisibilityEnum",
    "ExportCreateRequest",
    "ExportFiltersRequest",
    "ExportJob",
    "ExportJobStatusEnum",
    "ExportProgress",
    "ExportRun",
    "ExportRunStatusEnum",
    "ExportSchedule",
    "ExportScheduleCreated",
    "ExportScheduleInputRequest",
    "ExportSchedulesListFormat",
    "ExportSchedulesRetrieveFormat",
    "ExportsListFormat",
    "ExportsRetrieveFormat",
    "ExportTypeEnum",
    "FeedbackComment",
    "FormatEnum",
    "IdentityProvider",
    "IdentityProviderInputRequest",
    "IdentityProvidersListFormat",
    "IdentityProvidersRetrieveFormat",
    "ImportJob",
    "ImportJobDetail",
    "ImportJobDetailOutcomes",
    "ImportJobOutcomes",
    "ImportKindEnum",
    "ImportProgress",
    "ImportRowError",
    "ImportRunRequest",
    "ImportStatusEnum",
    "ImportUploadRequest",
    "InboundEvent",
    "InboundEventStatusEnum",
    "Index",
    "IndexLink",
    "IndexLinks",
    "IntervalEnum",
    "Invitation",
    "InvitationAcceptRequest",
    "InvitationInputRequest",
    "InvitationsListFormat",
    "InvitationsListStatus",
    "InvitationsRetrieveFormat",
    "InvitationStatusEnum",
    "Invoice",
    "InvoiceLine",
    "InvoicesListFormat",
    "InvoicesRetrieveFormat",
    "KtyEnum",
    "Material",
    "MaterialInputRequest",
    "MaterialKindEnum",
    "Member",
    "ModeEnum",
    "OutcomeEnum",
    "PaginatedApiKeyList",
    "PaginatedAttendeeList",
    "PaginatedAuditEntryList",
    "PaginatedCalendarFeedList",
    "PaginatedCallLogList",
    "PaginatedCheckInList",
    "PaginatedConnectionList",
    "PaginatedEmailDomainList",
    "PaginatedEventList",
    "PaginatedExportJobList",
    "PaginatedExportRunList",
    "PaginatedExportScheduleList",
    "PaginatedIdentityProviderList",
    "PaginatedImportJobList",
    "PaginatedInboundEventList",
    "PaginatedInvitationList",
    "PaginatedInvoiceList",
    "PaginatedMaterialList",
    "PaginatedMemberList",
    "PaginatedPaymentList",
    "PaginatedRegistrationList",
    "PaginatedScimTokenList",
    "PaginatedSessionList",
    "PaginatedSpeakerList",
    "PaginatedSubscriptionList",
    "PaginatedTicketList",
    "PaginatedTicketTypeList",
    "PaginatedVenueList",
    "PaginatedWebhookDeliveryList",
    "PaginatedWebhookSubscriptionList",
    "Pagination",
    "PatchedDocumentBrandingInputRequest",
    "PatchedEmailDomainUpdateRequest",
    "PatchedEventInputRequest",
    "PatchedExportScheduleInputRequest",
    "PatchedIdentityProviderInputRequest",
    "PatchedProfileInputRequest",
    "PatchedRegistrationSettingsInputRequest",
    "PatchedRegistrationUpdateRequest",
    "PatchedRegistrationUpdateRequestAnswers",
    "PatchedRoleInputRequest",
    "PatchedSessionInputRequest",
    "PatchedSpeakerInputRequest",
    "PatchedTicketTypeInputRequest",
    "PatchedVenueInputRequest",
    "PatchedWebhookSubscriptionInputRequest",
    "Payment",
    "PaymentCheckout",
    "PaymentConfirmRequest",
    "PaymentCreateRequest",
    "PaymentItem",
    "PaymentRefundRequest",
    "PaymentsListFormat",
    "PaymentsRetrieveFormat",
    "PaymentStatusEnum",
    "Ping",
    "PingClient",
    "PingClientTypeEnum",
    "PingKindEnum",
    "PingOrganization",
    "PingOrganizationKindEnum",
    "PingRateLimit",
    "PingUser",
    "PreferencesRequest",
    "Profile",
    "ProtocolEnum",
    "ProviderEnum",
    "RateTierEnum",
    "Refund",
    "Registration",
    "RegistrationCancelRequest",
    "RegistrationCreateRequest",
    "RegistrationOrder",
    "RegistrationsCertificateRetrieveFormat",
    "RegistrationsCreateFormat",
    "RegistrationSettings",
    "RegistrationsListFormat",
    "RegistrationsOrderTicketsListFormat",
    "RegistrationsRetrieveFormat",
    "RegistrationStats",
    "RegistrationStatusEnum",
    "RegistrationsTicketRetrieveFormat",
    "ReportsRevenueRetrieveGroupBy",
    "ResultEnum",
    "RevenueReport",
    "RevenueRow",
    "RevenueStats",
    "RevenueTotal",
    "RoleEnum",
    "RoleMapping",
    "RoleMappingRequest",
    "ScimToken",
    "ScimTokenCreated",
    "ScimTokenInputRequest",
    "ScimTokensListFormat",
    "ScimTokensRetrieveFormat",
    "ScopesEnum",
    "ServiceProvider",
    "Session",
    "SessionCounts",
    "SessionFeedback",
    "SessionFeedbackInputRequest",
    "SessionFeedbackSummary",
    "SessionFeedbackSummaryDistribution",
    "SessionInputRequest",
    "SessionStatusEnum",
    "SourceEnum",
    "Speaker",
    "SpeakerInputRequest",
    "SpeakerSummary",
    "SsoEnforcement",
    "SsoEnforcementInputRequest",
    "SsoEnforcementRetrieveFormat",
    "StatusCounts",
    "SubEventsInputRequest",
    "Subscription",
    "SubscriptionCancelRequest",
    "SubscriptionCheckout",
    "SubscriptionCreateRequest",
    "SubscriptionsListFormat",
    "SubscriptionsRetrieveFormat",
    "SubscriptionStatusEnum",
    "Ticket",
    "TicketEvent",
    "TicketKey",
    "TicketKeySet",
    "TicketKeyStatusEnum",
    "TicketType",
    "TicketTypeInputRequest",
    "TicketTypeRef",
    "TicketTypeSummary",
    "TicketValidateRequest",
    "TicketValidation",
    "TicketValidationRegistrationType0",
    "TicketVenue",
    "TicketVisibilityEnum",
    "Totals",
    "UseEnum",
    "UsersListFormat",
    "UsersListRole",
    "UsersRetrieveFormat",
    "ValidationProblem",
    "Venue",
    "VenueInputRequest",
    "VenuesListFormat",
    "VenuesRetrieveFormat",
    "VenueSummary",
    "WebhookAttempt",
    "WebhookAttemptRequestHeaders",
    "WebhookAttemptResponseHeaders",
    "WebhookCatalog",
    "WebhookDeliveriesListFormat",
    "WebhookDeliveriesRetrieveFormat",
    "WebhookDelivery",
    "WebhookDeliveryDetail",
    "WebhookDeliveryStatusEnum",
    "WebhookDisabledReasonEnum",
    "WebhookEventType",
    "WebhookRecoverRequest",
    "WebhookSecret",
    "WebhooksListFormat",
    "WebhookSourceIps",
    "WebhooksRetrieveFormat",
    "WebhookSubscription",
    "WebhookSubscriptionCreated",
    "WebhookSubscriptionInputRequest",
    "WebhookTestRequest",
)
