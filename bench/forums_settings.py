"""Production settings with the Redis pub/sub channel layer, for `python -m bench.forums_ws --layer pubsub`."""

from __future__ import annotations

from civicplatform.settings.production import *  # noqa: F403
from civicplatform.settings.production import REDIS_URL

CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
}
