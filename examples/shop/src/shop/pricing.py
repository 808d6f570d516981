"""Prices and discounts."""

TAX_RATE = 0.2
"""The VAT rate applied to every cart."""


def apply_discount(total: float, percent: float) -> float:
    """Take `percent` off a total."""
    return total * (1 - percent / 100)
