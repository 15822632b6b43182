"""Demo CMS content for Belleville-sur-Loire: home page, news, "Comment participer ?",
legal pages, menus and branding. Idempotent: pages are found by slug and only
missing content is added, so `make run` can load it again and again.

The images are drawn here with Pillow: nothing is downloaded.
"""

from __future__ import annotations

import datetime
import random
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.models import (
    AccessibilityPage,
    AccessibilityStatus,
    FooterLink,
    HomePage,
    LegalPage,
    LegalPageKind,
    MainMenuLink,
    NavigationSettings,
    NewsArticlePage,
    NewsIndexPage,
    SiteBranding,
    StandardPage,
)

MUNICIPALITY = "Belleville-sur-Loire"
# White text on both colours passes WCAG AA (7.5:1 and 11.4:1).
PRIMARY_COLOUR = "#145c74"
PRIMARY_DARK_COLOUR = "#0c3f50"

HERO_TEXT = (
    "Budget participatif, pétitions, consultations, débats de quartier : à Belleville-sur-Loire, "
    "les décisions se préparent avec vous. Proposez, votez, donnez votre avis."
)


# ------------------------------------------------------------------------------
# Images drawn with Pillow
# ------------------------------------------------------------------------------
def _draw_landscape(sky: tuple[str, str], river: str, seed: int) -> bytes:
    """A simple riverside town: sky gradient, roofs, the Loire. Deterministic for a given seed."""
    width, height = 1600, 1000
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = (PILImage.new("RGB", (1, 1), colour).getpixel((0, 0)) for colour in sky)
    for y in range(height):
        ratio = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(top[i] + (bottom[i] - top[i]) * ratio) for i in range(3)),
        )
    draw.ellipse([1180, 120, 1380, 320], fill="#f6d365")
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    x = 0
    while x < width:
        building_width = rng.randint(90, 180)
        building_height = rng.randint(220, 420)
        base = 720
        wall = rng.choice(["#e9dcc9", "#d9c7a7", "#f1e7d8", "#cdb79e"])
        draw.rectangle([x, base - building_height, x + building_width, base], fill=wall)
        draw.polygon(
            [
                (x - 10, base - building_height),
                (x + building_width // 2, base - building_height - 70),
                (x + building_width + 10, base - building_height),
            ],
            fill="#4a5a6a",
        )
        for wx in range(x + 20, x + building_width - 30, 45):
            for wy in range(base - building_height + 30, base - 60, 70):
                draw.rectangle([wx, wy, wx + 22, wy + 34], fill="#3d4f63")
        x += building_width + rng.randint(0, 20)
    draw.rectangle([0, 720, width, height], fill=river)
    for y in range(760, height, 40):
        draw.line([(rng.randint(0, 400), y), (rng.randint(900, 1600), y)], fill="#d7eef5", width=3)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def _demo_image(title: str, filename: str, sky: tuple[str, str], river: str, seed: int):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    content = _draw_landscape(sky, river, seed)
    return Image.objects.create(title=title, file=ImageFile(BytesIO(content), name=filename))


# ------------------------------------------------------------------------------
# Page helpers
# ------------------------------------------------------------------------------
def _child(parent: Page, model: type[Page], slug: str, **fields) -> tuple[Page, bool]:
    """The live child page of `parent` with this slug, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _p(*paragraphs: str) -> tuple[str, str]:
    return ("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))


def _h(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def _home() -> HomePage:
    site = Site.objects.filter(is_default_site=True).first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    existing = HomePage.objects.first()
    if existing is not None:
        home = existing
    else:
        home = HomePage(title=f"Bienvenue à {MUNICIPALITY}", slug="accueil", hero_text=HERO_TEXT)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    if site:
        old_root = site.root_page
        site.root_page = home
        site.site_name = MUNICIPALITY
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" placeholder is no longer reachable.
        if old_root.pk != home.pk and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name=MUNICIPALITY)
    return home


# ------------------------------------------------------------------------------
# Content
# ------------------------------------------------------------------------------
NEWS = [
    {
        "slug": "budget-participatif-2026-depot-des-projets",
        "title": "Budget participatif 2026 : déposez vos projets jusqu'au 30 avril",
        "date": datetime.date(2026, 3, 2),
        "intro": (
            "350 000 € sont réservés cette année aux idées des habitantes et des habitants. "
            "Chacun peut déposer un projet d'intérêt général, seul ou à plusieurs."
        ),
        "body": [
            _p(
                "Pour sa troisième édition, le budget participatif de Belleville-sur-Loire consacre "
                "350 000 € d'investissement à des projets proposés par les habitants. Aménagement d'un "
                "square, jardin partagé, abri à vélos, boîte à livres : toute idée d'intérêt général "
                "qui relève des compétences de la commune est la bienvenue.",
            ),
            _h("Qui peut déposer un projet ?"),
            _p(
                "Toute personne habitant Belleville-sur-Loire, dès 11 ans, ainsi que les associations "
                "dont le siège est sur la commune. Les projets sont examinés par les services "
                "municipaux, qui vérifient leur faisabilité et estiment leur coût.",
            ),
            _h("Le calendrier"),
            _p(
                "Dépôt des projets du 2 mars au 30 avril, étude technique en mai et juin, vote des "
                "habitants du 15 septembre au 15 octobre. Les projets lauréats seront réalisés en 2027.",
            ),
        ],
        "image": ("Bords de Loire au printemps", ("#8ec5e8", "#e4f2fb"), "#4f86a8", 11),
        "alt": "Dessin des maisons du quai et de la Loire sous un ciel de printemps",
    },
    {
        "slug": "concertation-place-de-la-mairie",
        "title": "Réaménagement de la place de la Mairie : la concertation est ouverte",
        "date": datetime.date(2026, 2, 16),
        "intro": (
            "Stationnement, terrasses, arbres, marché du samedi : donnez votre avis sur l'avenir de la "
            "place avant le 31 mars, en ligne ou lors des ateliers en mairie."
        ),
        "body": [
            _p(
                "La place de la Mairie doit être rénovée en 2027 : les réseaux d'eau ont plus de "
                "soixante ans et le revêtement n'est plus accessible aux personnes à mobilité réduite. "
                "Avant de lancer les études, la municipalité souhaite connaître vos usages et vos attentes.",
            ),
            _p(
                "Un questionnaire en ligne est ouvert jusqu'au 31 mars. Deux ateliers sont organisés "
                "en salle du conseil les samedis 7 et 21 mars de 10 h à 12 h, sans inscription. "
                "Un exemplaire papier du questionnaire est disponible à l'accueil de la mairie.",
            ),
        ],
        "image": ("Place de la Mairie", ("#f2c59b", "#fbe9d7"), "#5f8fa8", 23),
        "alt": "Dessin de façades anciennes autour d'une place, en fin de journée",
    },
    {
        "slug": "conseil-de-quartier-saint-martin",
        "title": "Conseil de quartier Saint-Martin : compte rendu de la réunion du 29 janvier",
        "date": datetime.date(2026, 2, 3),
        "intro": (
            "Sécurité aux abords de l'école Jules-Ferry, éclairage de la rue des Tanneurs et "
            "fête de quartier : les principaux points abordés par les 40 participants."
        ),
        "body": [
            _p(
                "Une quarantaine d'habitants ont participé à la réunion du conseil de quartier "
                "Saint-Martin, le 29 janvier à la maison des associations.",
            ),
            _h("Abords de l'école Jules-Ferry"),
            _p(
                "Les parents d'élèves ont demandé un ralentisseur supplémentaire rue Pasteur. "
                "Les services techniques présenteront une étude de circulation lors de la prochaine réunion.",
            ),
            _h("Fête de quartier"),
            _p(
                "La fête de quartier aura lieu le samedi 13 juin au square des Tilleuls. "
                "Les bénévoles peuvent se faire connaître auprès de la mairie annexe.",
            ),
        ],
        "image": None,
        "alt": "",
    },
    {
        "slug": "nouvelle-plateforme-de-participation",
        "title": "Une nouvelle plateforme pour participer à la vie de la commune",
        "date": datetime.date(2026, 1, 12),
        "intro": (
            "Pétitions, budget participatif, consultations et forums de quartier sont désormais "
            "réunis sur un seul site, accessible depuis un téléphone comme depuis un ordinateur."
        ),
        "body": [
            _p(
                "La commune met en ligne sa plateforme de participation citoyenne. Elle remplace les "
                "formulaires papier et les différents sites utilisés jusqu'ici.",
            ),
            _p(
                "Créer un compte ne prend que quelques minutes. Pour voter au budget participatif ou "
                "signer une pétition, votre adresse dans la commune sera vérifiée, en ligne ou à "
                "l'accueil de la mairie. Les agents de l'accueil peuvent aussi vous aider à participer "
                "si vous n'avez pas d'accès à internet.",
            ),
        ],
        "image": ("Quai de Loire au matin", ("#b9d7ea", "#f4f9fc"), "#3f7896", 37),
        "alt": "Dessin du quai de Loire et de ses maisons au petit matin",
    },
]

HOW_TO_BODY = [
    _p(
        "Sur cette plateforme, vous pouvez proposer des projets, signer des pétitions, répondre aux "
        "consultations et débattre avec vos voisins. Voici comment vous y prendre.",
    ),
    _h("1. Créer votre compte"),
    _p(
        "Inscrivez-vous avec votre adresse électronique et choisissez un pseudonyme : c'est lui qui "
        "sera affiché publiquement, jamais votre nom.",
    ),
    _h("2. Faire vérifier votre adresse"),
    _p(
        "Certaines démarches (voter, signer une pétition) sont réservées aux habitants. Vous pouvez "
        "faire vérifier votre adresse en ligne, ou à l'accueil de la mairie avec un justificatif de domicile.",
    ),
    _h("3. Participer"),
    _p(
        "Déposez un projet au budget participatif, soutenez une pétition, répondez à une consultation "
        "ou rejoignez un forum de quartier. Vous recevez une notification à chaque étape importante.",
    ),
    (
        "faq",
        {
            "title": "Questions fréquentes",
            "questions": [
                {
                    "question": "Je n'ai pas d'ordinateur : comment participer ?",
                    "answer": "<p>L'accueil de la mairie vous aide à participer, du lundi au vendredi "
                    "de 8 h 30 à 17 h 30. Un ordinateur en libre accès est disponible à la médiathèque.</p>",
                },
                {
                    "question": "À partir de quel âge peut-on participer ?",
                    "answer": "<p>Le budget participatif est ouvert dès 11 ans. Les pétitions et "
                    "consultations sont ouvertes aux habitants de 16 ans et plus.</p>",
                },
                {
                    "question": "Mes données personnelles sont-elles protégées ?",
                    "answer": "<p>Oui. Seul votre pseudonyme est public. Vous pouvez télécharger ou "
                    "supprimer vos données à tout moment depuis votre compte.</p>",
                },
            ],
        },
    ),
]

LEGAL_NOTICE_BODY = [
    _h("Éditeur du site"),
    _p(
        "Mairie de Belleville-sur-Loire, 1 place de la Mairie, 45100 Belleville-sur-Loire. "
        "Téléphone : 02 38 00 00 00. Courriel : contact@belleville-sur-loire.example.",
        "Directeur de la publication : le maire de Belleville-sur-Loire.",
    ),
    _h("Hébergement"),
    _p(
        "Le site est hébergé en France par un prestataire de la commune, dans le respect du "
        "règlement général sur la protection des données.",
    ),
    _h("Propriété intellectuelle"),
    _p(
        "Les textes publiés par la commune peuvent être réutilisés sous licence ouverte Etalab 2.0, "
        "en citant la source. Les contributions des participants restent la propriété de leurs auteurs.",
    ),
    _h("Logiciel"),
    _p("La plateforme repose sur un logiciel libre publié sous licence AGPL-3.0."),
]

PERSONAL_DATA_BODY = [
    _h("Responsable du traitement"),
    _p(
        "La commune de Belleville-sur-Loire, représentée par son maire, est responsable des "
        "traitements de données réalisés sur cette plateforme.",
    ),
    _h("Données collectées et finalités"),
    _p(
        "Nous collectons votre adresse électronique, votre pseudonyme, votre quartier et, si vous "
        "demandez la vérification de votre domicile, votre adresse postale. Ces données servent "
        "uniquement à gérer votre compte et à garantir qu'un vote ou une signature correspond à un habitant.",
        "La base légale est la mission d'intérêt public de la commune (article 6.1.e du RGPD).",
    ),
    _h("Durée de conservation"),
    _p(
        "Les données du compte sont conservées tant que le compte est actif, puis supprimées trois "
        "ans après la dernière connexion. Les contributions publiées restent visibles sous la mention "
        "« participant supprimé ».",
    ),
    _h("Vos droits"),
    _p(
        "Vous pouvez accéder à vos données, les rectifier, les télécharger ou les effacer depuis "
        "votre compte. Pour toute question, écrivez au délégué à la protection des données : "
        "dpo@belleville-sur-loire.example. Vous pouvez aussi adresser une réclamation à la CNIL.",
    ),
    _h("Cookies"),
    _p(
        "Le site n'utilise que des cookies nécessaires à son fonctionnement (session, sécurité, "
        "langue). Aucune mesure d'audience ni publicité. Les vidéos intégrées ne sont chargées "
        "qu'après votre accord.",
    ),
]

ACCESSIBILITY_BODY = [
    _p(
        "La commune de Belleville-sur-Loire s'engage à rendre ses sites internet accessibles "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.",
    ),
    _h("Contenus non accessibles"),
    _p(
        "Certains documents PDF anciens (comptes rendus de conseils de quartier antérieurs à 2025) "
        "ne sont pas structurés. Certaines cartes des projets ne proposent pas encore d'alternative "
        "textuelle complète. Ces contenus seront corrigés d'ici la fin de l'année 2026.",
    ),
    _h("Technologies utilisées"),
    _p("HTML, CSS et JavaScript. Toutes les fonctions restent utilisables sans JavaScript."),
    _h("Retour d'information et contact"),
    _p(
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez la mairie à "
        "accessibilite@belleville-sur-loire.example ou au 02 38 00 00 00 pour être orienté vers "
        "une alternative accessible ou obtenir le contenu sous une autre forme.",
    ),
]


def load_demo(stdout) -> None:
    created: list[str] = []

    branding = SiteBranding.load()
    if not branding.municipality_name or not branding.primary_colour:
        branding.municipality_name = MUNICIPALITY
        branding.primary_colour = PRIMARY_COLOUR
        branding.primary_dark_colour = PRIMARY_DARK_COLOUR
        branding.accessibility_status = AccessibilityStatus.PARTIAL
        branding.save()

    home = _home()
    hero_image = _demo_image("La Loire à Belleville", "demo-loire-belleville.jpg", ("#7fb3d5", "#eaf4fb"), "#3d7ea6", 5)
    if not home.hero_text or not home.image_id:
        home.hero_text = home.hero_text or HERO_TEXT
        home.image = hero_image
        home.image_decorative = True
        home.save_revision().publish()

    news_index, new = _child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        intro="Les nouvelles de la participation citoyenne à Belleville-sur-Loire.",
    )
    if new:
        created.append(news_index.title)
    how_to, new = _child(
        home,
        StandardPage,
        "comment-participer",
        title="Comment participer ?",
        intro="Créer un compte, faire vérifier son adresse, proposer, voter, débattre : le mode d'emploi.",
        body=[
            *HOW_TO_BODY,
            (
                "call_to_action",
                {
                    "title": "Suivre la participation",
                    "text": "Appels à projets, consultations, comptes rendus : toutes les nouvelles au même endroit.",
                    "page": news_index,
                    "url": "",
                    "button_label": "Lire les actualités de la participation",
                },
            ),
        ],
    )
    if new:
        created.append(how_to.title)
    if not home.hero_cta_page_id:
        home.hero_cta_label = "Découvrir comment participer"
        home.hero_cta_page = how_to
        home.save_revision().publish()

    for article in NEWS:
        fields = {
            "title": article["title"],
            "date": article["date"],
            "intro": article["intro"],
            "body": article["body"],
        }
        if article["image"]:
            title, sky, river, seed = article["image"]
            filename = f"demo-{article['slug'][:40]}.jpg"
            fields["image"] = _demo_image(title, filename, sky, river, seed)
            fields["image_alt"] = article["alt"]
        page, new = _child(news_index, NewsArticlePage, article["slug"], **fields)
        if new:
            created.append(page.title)

    legal_pages = [
        (
            LegalPage,
            "mentions-legales",
            {"title": "Mentions légales", "kind": LegalPageKind.LEGAL_NOTICE, "body": LEGAL_NOTICE_BODY},
        ),
        (
            LegalPage,
            "donnees-personnelles",
            {"title": "Données personnelles", "kind": LegalPageKind.PERSONAL_DATA, "body": PERSONAL_DATA_BODY},
        ),
        (
            AccessibilityPage,
            "accessibilite",
            {
                "title": "Accessibilité",
                "compliance_rate": 78,
                "audit_date": datetime.date(2026, 1, 20),
                "audited_by": "Service numérique de la commune (audit interne, échantillon de 12 pages)",
                "body": ACCESSIBILITY_BODY,
            },
        ),
    ]
    for model, slug, fields in legal_pages:
        page, new = _child(home, model, slug, **fields)
        if new:
            created.append(page.title)

    navigation = NavigationSettings.load()
    if not navigation.main_menu_links.exists() and not navigation.footer_links.exists():
        navigation.main_menu_links = [
            MainMenuLink(link_page=news_index, sort_order=0),
            MainMenuLink(link_page=how_to, sort_order=1),
        ]
        navigation.footer_links = [
            FooterLink(link_page=how_to, sort_order=0),
            FooterLink(link_page=news_index, sort_order=1),
            FooterLink(label="Service-Public.fr", link_url="https://www.service-public.fr/", sort_order=2),
        ]
        navigation.save()
        created.append("menus")

    if created:
        stdout.write(f"Demo CMS content: {', '.join(created)}.")
