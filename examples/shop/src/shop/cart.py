"""Shopping carts."""

from __future__ import annotations

from dataclasses import dataclass, field

from .pricing import TAX_RATE


@dataclass
class Item:
    """One line of a cart."""

    name: str
    price: float
    qty: int = 1


@dataclass
class Cart:
    """A customer's cart."""

    owner: str
    items: list[Item] = field(default_factory=list)

    def total(self, currency: str = "EUR") -> float:
        """The price of everything in the cart, tax included."""
        net = sum(item.price * item.qty for item in self.items)
        return round(net * (1 + TAX_RATE), 2)

    def is_empty(self) -> bool:
        return not self.items


def add_item(cart: Cart, name: str, price: float, qty: int = 1) -> Item:
    """Put `qty` of an item in the cart."""
    item = Item(name, price, qty)
    cart.items.append(item)
    return item


def remove_item(cart: Cart, name: str) -> None:
    """Take every line named `name` out of the cart."""
    cart.items = [item for item in cart.items if item.name != name]
