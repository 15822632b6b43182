from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums and comments")

    def ready(self) -> None:
        from django.apps import apps

        from civicplatform.core import registry
        from civicplatform.moderation import signals
        from forums import personal_data, selectors
        from forums.models import Comment, Thread
        from forums.receivers import on_content_hidden, on_content_restored

        registry.register_nav_section(
            registry.NavSection(key="forums", label=_("Forums"), url_name="forums:index", order=40)
        )
        registry.register_capability("reportable", Comment)
        registry.register_capability("reportable", Thread)
        # A thread's posts are comments attached to it: one discussion mechanism for the whole platform.
        registry.register_capability("commentable", Thread)
        registry.register_private_spaces(selectors.private_forums_hidden_from)
        registry.register_personal_data("forums.comments", personal_data.export_comments)
        registry.register_personal_data("forums.reactions", personal_data.export_reactions)
        registry.register_personal_data("forums.threads", personal_data.export_threads)
        registry.register_personal_data("forums.memberships", personal_data.export_memberships)
        registry.register_personal_data("forums.questions", personal_data.export_questions)
        registry.register_personal_data("forums.question_votes", personal_data.export_question_votes)
        registry.register_erasure_hook("forums.reactions", personal_data.erase_reactions)
        registry.register_erasure_hook("forums.memberships", personal_data.erase_memberships)
        registry.register_erasure_hook("forums.question_votes", personal_data.erase_question_votes)
        signals.content_hidden.connect(on_content_hidden, dispatch_uid="forums.live.hidden")
        signals.content_restored.connect(on_content_restored, dispatch_uid="forums.live.restored")
        # News articles are open to comments. Done here rather than in cms, so that the
        # CMS keeps no dependency on the forums app.
        try:
            news_article = apps.get_model("cms", "NewsArticlePage")
        except LookupError:
            return
        registry.register_capability("commentable", news_article)
