"""Moments of a jury's life that other parts of the app react to (notifying followers, the feed).

Sent by the services after the transaction commits, with `jury` and the object concerned.
"""

from __future__ import annotations

from django.dispatch import Signal

# jury=Jury, report=JuryReport
report_published = Signal()
# jury=Jury, response=AuthorityResponse, created=bool
response_published = Signal()
# jury=Jury, progress=ProgressReport
progress_reported = Signal()
