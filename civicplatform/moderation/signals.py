"""What moderation tells the rest of the platform, once the decision is committed.

Other apps connect receivers (a notification to the author, a live update of a
forum thread); moderation never imports them. Every signal is sent from
transaction.on_commit, so a receiver never sees a decision that was rolled back.

- content_hidden(sender=<content model>, instance, actor, reason)
  actor is None when content was hidden automatically after reports.
- content_restored(sender=<content model>, instance, actor, reason)
- user_blocked(sender=UserBlock, instance=<UserBlock>, user, actor, reason)
- user_unblocked(sender=UserBlock, instance=None, user, actor, reason)
"""

from __future__ import annotations

from django.dispatch import Signal

content_hidden = Signal()
content_restored = Signal()
user_blocked = Signal()
user_unblocked = Signal()
