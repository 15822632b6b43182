"""Turn what a participant typed into the small, safe HTML a comment may contain.

Input is plain text with three conventions: a blank line starts a new paragraph,
a paragraph whose lines all start with ">" is a quotation, and links are written
as bare addresses or as [text](https://...). The only tags that survive are
paragraphs, line breaks, quotations and links; every link gets
rel="nofollow ugc noopener" so user content never lends the site's reputation
to spam and never gets a handle on the opener window.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {"p", "br", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_TAG = re.compile(r"(<[^>]*>)")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>\"]+)\)")
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"]+")
_LINK_TAG = re.compile(r"<(/?)a[\s>]", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)»"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_QUOTE_MARK = "&gt;"
# "@" at the start of the text or after a space or an opening bracket, then a name.
_MENTION = re.compile(r"(?:^|(?<=[\s(\[«]))@(\w[\w.'’\- ]{0,39})")
_MENTION_WORD_END = re.compile(r"[\w]$")
MAX_MENTION_WORDS = 4


def _link_bare_url(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in _TRAILING_PUNCTUATION:
        trailing = url[-1] + trailing
        url = url[:-1]
    return f'<a href="{url}">{url}</a>{trailing}'


def _linkify_text(text: str) -> str:
    """Make links out of one run of text that is not inside a tag or an existing link."""
    placeholders: list[str] = []

    def keep(match: re.Match[str]) -> str:
        placeholders.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return f"\x00{len(placeholders) - 1}\x00"

    text = _MARKDOWN_LINK.sub(keep, text)
    text = _BARE_URL.sub(_link_bare_url, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], text)


def _linkify(html: str) -> str:
    parts = _TAG.split(html)
    inside_link = False
    for index, part in enumerate(parts):
        if part.startswith("<"):
            link_tag = _LINK_TAG.match(part)
            if link_tag:
                inside_link = not link_tag.group(1)
        elif part and not inside_link:
            parts[index] = _linkify_text(part)
    return "".join(parts)


def render_comment_text(source: str) -> str:
    """Sanitised HTML for a comment's text. Returns "" when nothing readable remains."""
    text = source.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    # First pass: strip everything but links (scripts go with their content), escape the rest.
    inline = nh3.clean(text, tags={"a"}, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None)
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK.split(inline):
        lines = [line.strip() for line in _linkify(chunk.strip()).split("\n")]
        if not any(lines):
            continue
        if all(line.startswith(_QUOTE_MARK) for line in lines if line):
            quoted = [line[len(_QUOTE_MARK) :].strip() for line in lines]
            if any(quoted):
                paragraphs.append("<blockquote><p>" + "<br>".join(quoted) + "</p></blockquote>")
            continue
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    html = "".join(paragraphs)
    # Second pass: the links built above go through the same sanitiser and get their rel.
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL)
    return html if nh3.clean(html, tags=set()).strip() else ""


def quote_text(source: str) -> str:
    """`source` as a quotation to reply under: every line prefixed with "> ", then a blank line.
    Quotations inside it are dropped, so quotes never pile up."""
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.lstrip().startswith(">")]
    text = "\n".join(lines).strip()
    text = re.sub(r"\n\s*\n+", "\n", text)
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n")) + "\n\n" if text else ""


def mention_candidates(source: str) -> list[list[str]]:
    """For each "@name" in `source`, the lower-cased names it may stand for, longest first.

    Pseudonyms may contain spaces ("@Jean Dupont"), so each mention yields its
    first one to MAX_MENTION_WORDS words; the caller keeps the longest that
    belongs to someone. Text inside quotations is ignored: quoting a mention
    does not notify again.
    """
    candidates: list[list[str]] = []
    for line in source.splitlines():
        if line.lstrip().startswith(">"):
            continue
        for match in _MENTION.finditer(line):
            words = match.group(1).split(" ")
            names = []
            for count in range(1, min(len(words), MAX_MENTION_WORDS) + 1):
                name = " ".join(words[:count]).rstrip(".'’-")
                if name and _MENTION_WORD_END.search(name):
                    names.append(name.casefold())
            if names:
                candidates.append(sorted(set(names), key=len, reverse=True))
    return candidates
