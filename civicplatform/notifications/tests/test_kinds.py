from __future__ import annotations

import pytest

from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode


def test_the_core_kinds_are_registered_in_order():
    # Other apps add their own kinds from ready(); the core ones keep their relative order.
    keys = [kind.key for kind in kinds.all_kinds()]
    core = [kinds.ACCOUNT, kinds.MODERATION, kinds.MENTION, kinds.FOLLOWED_UPDATE]
    assert [key for key in keys if key in core] == core


def test_news_of_followed_items_defaults_to_the_daily_summary():
    assert kinds.get_kind(kinds.FOLLOWED_UPDATE).default_delivery == DeliveryMode.DIGEST
    assert kinds.get_kind(kinds.MODERATION).default_delivery == DeliveryMode.IMMEDIATE


def test_an_app_can_register_its_own_kind():
    kind = kinds.register_kind("petitions.milestone", "Paliers des pétitions", "immediate", "Quand…")
    try:
        assert kinds.get_kind("petitions.milestone") is kind
        assert kind.default_delivery is DeliveryMode.IMMEDIATE
    finally:
        kinds._kinds.pop("petitions.milestone")


@pytest.mark.parametrize("key", ["", "with space", "a/b", "x" * 65])
def test_kind_keys_must_be_simple_identifiers(key):
    with pytest.raises(ValueError, match="Invalid notification kind"):
        kinds.register_kind(key, "Label", DeliveryMode.OFF)
