"""Markup helpers shared by the WordPress and tagDiv renderers."""

from __future__ import annotations

import hashlib
import html
import json
from datetime import datetime
from typing import Any

from crawler.fixture_site.model import Article, SiteModel


def esc(text: str) -> str:
    """HTML/XML-escape ``text`` including quotes."""
    return html.escape(text, quote=True)


def section_label(slug: str) -> str:
    """Human label of a section slug."""
    return slug.replace("-", " ").title()


def wp_date(moment: datetime) -> str:
    """WordPress default date format, e.g. ``March 3, 2024``."""
    return f"{moment:%B} {moment.day}, {moment.year}"


def wp_comment_date(moment: datetime) -> str:
    """WordPress comment date, e.g. ``March 3, 2024 at 9:05 am``."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{wp_date(moment)} at {hour}:{moment:%M} {suffix}"


def avatar_src(name: str) -> str:
    """Local avatar path for a commenter (served as a tiny image)."""
    digest = hashlib.md5(name.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"/wp-content/avatars/{digest}.png"


def author_path(name: str) -> str:
    """Root-relative author archive path."""
    return "/author/" + name.lower().replace(" ", "-") + "/"


def byline_names(names: list[str]) -> str:
    """Join author names as ``A``, ``A and B`` or ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def og_meta(model: SiteModel, article: Article) -> str:
    """OpenGraph, article:* and author meta tags."""
    tags = [
        ("property", "og:locale", "en_US"),
        ("property", "og:type", "article"),
        ("property", "og:title", article.title),
        ("property", "og:description", article.description),
        ("property", "og:url", article.url),
        ("property", "og:site_name", model.site_name),
        ("property", "og:image", model.base_url + article.image_path),
        ("property", "article:published_time", article.published.isoformat()),
        ("property", "article:modified_time", article.modified.isoformat()),
        ("property", "article:section", section_label(article.section)),
    ]
    tags += [("property", "article:tag", tag) for tag in article.tags]
    tags.append(("name", "author", ", ".join(article.authors)))
    tags.append(("name", "description", article.description))
    return "\n".join(f'<meta {attr}="{key}" content="{esc(value)}">' for attr, key, value in tags)


def news_article_node(model: SiteModel, article: Article, kind: str) -> dict[str, Any]:
    """The NewsArticle / Article JSON-LD node of ``article``."""
    return {
        "@type": kind,
        "@id": article.url + "#article",
        "headline": article.title,
        "description": article.description,
        "datePublished": article.published.isoformat(),
        "dateModified": article.modified.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "articleSection": section_label(article.section),
        "keywords": article.tags,
        "commentCount": len(article.comments),
        "image": model.base_url + article.image_path,
        "mainEntityOfPage": {"@id": article.url},
        "publisher": {"@id": model.base_url + "/#organization"},
        "inLanguage": "en-US",
    }


def json_ld_graph(model: SiteModel, article: Article, kind: str = "NewsArticle") -> str:
    """A Yoast-style ``@graph`` script with article, WebPage and Organization nodes."""
    graph = [
        news_article_node(model, article, kind),
        {
            "@type": "WebPage",
            "@id": article.url,
            "url": article.url,
            "name": f"{article.title} - {model.site_name}",
            "datePublished": article.published.isoformat(),
            "dateModified": article.modified.isoformat(),
            "isPartOf": {"@id": model.base_url + "/#website"},
        },
        {
            "@type": "Organization",
            "@id": model.base_url + "/#organization",
            "name": model.site_name,
            "url": model.base_url + "/",
            "logo": {"@type": "ImageObject", "url": model.base_url + "/wp-content/logo.png"},
        },
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    data = data.replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>'


def comment_form_fields() -> str:
    """The name/email/url/cookies fields WordPress prints under the textarea."""
    return (
        '<p class="comment-form-author"><label for="author">Name <span class="required">*</span>'
        '</label><input id="author" name="author" type="text" value="" size="30" required></p>'
        '<p class="comment-form-email"><label for="email">Email <span class="required">*</span>'
        '</label><input id="email" name="email" type="email" value="" size="30" required></p>'
        '<p class="comment-form-url"><label for="url">Website</label>'
        '<input id="url" name="url" type="url" value="" size="30"></p>'
        '<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" '
        'name="wp-comment-cookies-consent" type="checkbox" value="yes"> '
        '<label for="wp-comment-cookies-consent">Save my name, email, and website in this '
        "browser for the next time I comment.</label></p>"
    )
