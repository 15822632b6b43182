from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums and comments")

    def ready(self) -> None:
        from django.apps import apps

        from civicplatform.core import registry
        from forums.models import Comment
        from forums.personal_data import erase_reactions, export_comments, export_reactions

        registry.register_capability("reportable", Comment)
        registry.register_personal_data("forums.comments", export_comments)
        registry.register_personal_data("forums.reactions", export_reactions)
        registry.register_erasure_hook("forums.reactions", erase_reactions)
        # News articles are open to comments. Done here rather than in cms, so that the
        # CMS keeps no dependency on the forums app.
        try:
            news_article = apps.get_model("cms", "NewsArticlePage")
        except LookupError:
            return
        registry.register_capability("commentable", news_article)
