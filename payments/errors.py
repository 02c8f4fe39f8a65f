from core.errors import define

PAYMENT_INVALID_TRANSITION = define(
    "PAYMENT_INVALID_TRANSITION",
    status=409,
    title="The payment cannot move to that status",
    description="Only a payment in `requires_payment` can be confirmed; only a `succeeded` or `partially_refunded` "
    "payment can be refunded. `details` gives the current status and the statuses the move is allowed from.",
)
PAYMENT_EXISTS = define(
    "PAYMENT_EXISTS",
    status=409,
    title="A registration is already covered by another payment",
    description="A registration can be in one open (`requires_payment`, `processing`) or completed payment at a time; "
    "`details.paymentId` names it. A failed payment does not count: create a new one after a decline.",
)
PAYMENT_REGISTRATION_NOT_PAYABLE = define(
    "PAYMENT_REGISTRATION_NOT_PAYABLE",
    status=409,
    title="A registration is not waiting for payment",
    description="Only `pending_payment` registrations can be paid; `details` lists the registration and its status.",
)
PAYMENT_REGISTRATION_EXPIRED = define(
    "PAYMENT_REGISTRATION_EXPIRED",
    status=409,
    title="A registration's payment window has closed",
    description="The registration's `expiresAt` has passed; register again.",
)
PAYMENT_MIXED_ORDER = define(
    "PAYMENT_MIXED_ORDER",
    status=400,
    title="The registrations belong to different events or currencies",
    description="One payment covers registrations of one event, in one currency.",
)
PAYMENT_NOTHING_TO_PAY = define(
    "PAYMENT_NOTHING_TO_PAY",
    status=409,
    title="The registrations cost nothing",
    description="Free registrations are confirmed at once and need no payment.",
)
PAYMENT_DECLINED = define(
    "PAYMENT_DECLINED",
    status=402,
    title="The payment was declined",
    description="The provider refused the charge; the payment is now `failed` and `details.providerCode` says why "
    "(`card_declined`, `insufficient_funds`, ...). The registrations stay pending until they expire: "
    "create a new payment to try again.",
)
PAYMENT_CARD_INVALID = define(
    "PAYMENT_CARD_INVALID",
    status=400,
    title="The card number is not valid",
    description="The provider does not accept this card number (in the sandbox, only its test cards are valid). "
    "Nothing was charged and the payment is unchanged.",
)
REFUND_EXCEEDS_PAYMENT = define(
    "REFUND_EXCEEDS_PAYMENT",
    status=409,
    title="The refund is larger than what is left to refund",
    description="A payment can be refunded up to its amount minus what was refunded already; "
    "`details.refundable` gives what is left.",
)
PAYMENT_PROVIDER_ERROR = define(
    "PAYMENT_PROVIDER_ERROR",
    status=502,
    title="The payment provider failed",
    description="The provider could not be reached or answered an error; nothing was changed. Retry later.",
)
PAYMENT_PROVIDER_NOT_ALLOWED = define(
    "PAYMENT_PROVIDER_NOT_ALLOWED",
    status=400,
    title="The payment provider is not available in this organization",
    description="A sandbox takes payments through the sandbox provider only: no real money moves in a sandbox.",
)
