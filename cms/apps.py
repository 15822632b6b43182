from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.chrome import bump_version
        from cms.models import FooterLink, MainMenuLink, NavigationSettings, SiteBranding

        # Anything the header or footer shows: see cms.chrome. A page's save covers its
        # publication, unpublication, renaming and the live flag; the explicit Wagtail signals
        # are kept for the operations that update rows without saving the instance.
        watched = (Page, PageViewRestriction, Site, SiteBranding, NavigationSettings, MainMenuLink, FooterLink)

        def on_save(sender, instance=None, **kwargs) -> None:
            # Any sender: a page subclass's save is sent with the subclass only.
            if isinstance(instance, watched):
                bump_version()

        post_save.connect(on_save, dispatch_uid="cms.chrome.post_save", weak=False)
        # Deletes are sent for the Page row of every page type too. Named senders only: a
        # post_delete receiver for every model would disable Django's fast bulk deletes.
        for model in watched:
            post_delete.connect(bump_version, sender=model, dispatch_uid=f"cms.chrome.delete.{model.__name__}")
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(bump_version, dispatch_uid=f"cms.chrome.{id(signal)}", weak=False)
