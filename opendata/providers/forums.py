"""Forum activity: how many contributions, and by how many people, per month and place.

Counts only, never a text or a pseudonym (the texts are on the site, under their
authors' chosen names; a bulk copy is not needed to reuse the figures). Threads of
members-only forums are left out.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendata.registry import ColumnType as T
from opendata.registry import (
    Dataset,
    Link,
    Rows,
    columns,
    register_activity,
    register_dataset,
    register_feeds,
    register_participation,
)


def _public_comments():
    from django.contrib.contenttypes.models import ContentType

    from civicplatform.moderation.models import ModerationState
    from forums.models import Comment, ForumVisibility, Thread

    thread_type = ContentType.objects.get_for_model(Thread)
    public_threads = Thread.objects.filter(forum__visibility=ForumVisibility.PUBLIC).values("pk")
    return Comment.objects.filter(deleted_at__isnull=True, moderation_state=ModerationState.VISIBLE).filter(
        ~Q(content_type=thread_type) | Q(object_id__in=public_threads)
    )


def activity_rows() -> Rows:
    from django.contrib.contenttypes.models import ContentType

    comments = (
        _public_comments()
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("month", "content_type_id")
        .annotate(n=Count("pk"), people=Count("author_id", distinct=True))
        .order_by("month", "content_type_id")
    )
    names: dict[int, str] = {}
    rows: Rows = []
    for month, type_id, count, people in comments:
        if type_id not in names:
            model = ContentType.objects.get_for_id(type_id).model_class()
            names[type_id] = model._meta.model_name if model else "other"
        rows.append(
            {
                "month": month.date() if isinstance(month, datetime.datetime) else month,
                "commented": names[type_id],
                "comments": count,
                "contributors": people,
            }
        )
    return rows


def last_change() -> datetime.datetime | None:
    return _public_comments().aggregate(last=Max("created_at"))["last"]


def feed_links() -> list[Link]:
    from opendata.feeds import ForumThreadsFeed

    return [Link("forum", str(ForumThreadsFeed.title), reverse("opendata:feed_forums"))]


def register() -> None:
    register_feeds("forums", feed_links)
    register_activity("forums", contributions)
    register_participation("forum", _("Forums and comments"), order=60)
    register_dataset(
        Dataset(
            key="forums-activity",
            participation="forum",
            title=_("Forum and comment activity"),
            description=_(
                "Comments and distinct contributors per month and per kind of item commented "
                "(thread, budget project, petition...). Counts from 1 to the publication threshold are left empty."
            ),
            columns=columns(
                ("month", T.DATE, _("Month (first day)")),
                ("commented", T.STRING, _("Kind of item commented")),
                ("comments", T.INTEGER, _("Comments (empty: fewer than the threshold)")),
                ("contributors", T.INTEGER, _("Distinct contributors (empty: fewer than the threshold)")),
            ),
            rows=activity_rows,
            suppressed=("comments", "contributors"),
            suppression_groups=("month",),
            keywords=("forums", "débats", "commentaires"),
            modified=last_change,
            order=10,
        )
    )


def contributions():
    """Comments and threads started (public forums or not: only counted, never shown)."""
    from forums.models import Comment, Thread
    from opendata.registry import Contribution

    comments = Comment.objects.filter(author__isnull=False, deleted_at__isnull=True).values_list(
        "author_id", "created_at", "author__district_id", "author__birth_year"
    )
    for author_id, created_at, district_id, birth_year in comments.iterator(chunk_size=5000):
        yield Contribution(
            f"u{author_id}", timezone.localtime(created_at).date(), "forum", "online", district_id, birth_year
        )
    threads = Thread.objects.filter(author__isnull=False).values_list(
        "author_id", "created_at", "author__district_id", "author__birth_year"
    )
    for author_id, created_at, district_id, birth_year in threads.iterator(chunk_size=5000):
        yield Contribution(
            f"u{author_id}", timezone.localtime(created_at).date(), "forum", "online", district_id, birth_year
        )
