from enum import StrEnum

class PaymentStatusEnum(StrEnum):
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    PROCESSING = "processing"
    REFUNDED = "refunded"
    REQUIRES_PAYMENT = "requires_payment"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
