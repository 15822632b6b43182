"""What the ballots app holds about a person: that they voted, when (the day) and how.

Never the choices: the ballot is not linked to the person, so there is nothing to export.
"""

from __future__ import annotations

from typing import Any

from civicplatform.ballots.models import ParticipationLedger


def participations_export(user) -> list[dict[str, Any]]:
    entries = ParticipationLedger.objects.filter(voter=user).prefetch_related("election").order_by("voted_on", "pk")
    return [
        {
            "vote": str(entry.election) if entry.election is not None else "",
            "voted_on": entry.voted_on,
            "channel": str(entry.get_channel_display()),
        }
        for entry in entries
    ]
