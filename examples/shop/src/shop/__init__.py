"""A tiny shop: carts, items and prices."""

from .cart import Cart, add_item, remove_item
from .pricing import TAX_RATE, apply_discount

__all__ = ["TAX_RATE", "Cart", "add_item", "apply_discount", "remove_item"]
