from enum import StrEnum

class ProviderEnum(StrEnum):
    PAYPAL = "paypal"
    STRIPE = "stripe"

    def __str__(self) -> str:
        return str(self.value)
