from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce


class CommentQuerySet(models.QuerySet):
    def for_target(self, target: models.Model) -> CommentQuerySet:
        content_type = ContentType.objects.get_for_model(target)
        return self.filter(content_type=content_type, object_id=target.pk)

    def top_level(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)

    def not_deleted(self) -> CommentQuerySet:
        return self.filter(deleted_at__isnull=True)

    def displayable(self) -> CommentQuerySet:
        """Drop top-level comments their author deleted once no reply under them remains:
        the "deleted by its author" placeholder only exists to keep replies in context."""
        live_reply = self.model.objects.filter(root=OuterRef("pk"), deleted_at__isnull=True)
        return self.filter(Q(deleted_at__isnull=True) | Q(Exists(live_reply)))

    def with_score(self) -> CommentQuerySet:
        # A subquery rather than a JOIN + GROUP BY, so select_related stays cheap.
        from forums.models import Reaction

        total = Reaction.objects.filter(comment=OuterRef("pk")).values("comment").annotate(total=Sum("value"))
        return self.annotate(score=Coalesce(Subquery(total.values("total")[:1]), 0))

    def with_reply_count(self) -> CommentQuerySet:
        """How many replies (not deleted) each top-level comment has gathered."""
        replies = (
            self.model.objects.filter(root=OuterRef("pk"), deleted_at__isnull=True)
            .order_by()
            .values("root")
            .annotate(total=Count("pk"))
        )
        return self.annotate(reply_count=Coalesce(Subquery(replies.values("total")[:1]), 0))
