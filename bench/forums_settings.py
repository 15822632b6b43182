"""Production settings with the default Redis channel layer (messages queued in Redis lists, read
with blocking pops) instead of pub/sub, for the comparison run `python -m bench.forums_ws --layer core`."""

from __future__ import annotations

from civicplatform.settings.production import *  # noqa: F403
from civicplatform.settings.production import REDIS_URL

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500, "expiry": 30},
    }
}
