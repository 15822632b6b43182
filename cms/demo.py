"""Demo CMS content: the home page of the demo commune and its branding."""

from __future__ import annotations

from wagtail.models import Page, Site

from cms.models import HomePage, SiteBranding


def load_demo(stdout) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site and isinstance(site.root_page.specific, HomePage):
        return
    root = Page.get_first_root_node()
    home = HomePage(title="Bienvenue à Belleville-sur-Loire", slug="accueil")
    root.add_child(instance=home)
    home.save_revision().publish()
    if site:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Belleville-sur-Loire"
        site.save()
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    else:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="Belleville-sur-Loire"
        )
    branding = SiteBranding.load()
    branding.municipality_name = "Belleville-sur-Loire"
    branding.save()
    stdout.write("Demo CMS pages created.")
