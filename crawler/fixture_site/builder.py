"""Deterministic construction of a :class:`SiteModel` from a seed.

Article dates (``articles`` = n, newest first, relative to ``now``):

* ``recent`` = clamp(round(n / 4), 1, 40) articles within the last 47 hours
  (n=24 gives 6) - these are the Google News sitemap entries;
* ``old`` = n // 8 articles more than 760 days old (n=24 gives 3);
* the rest between 3 and 700 days old.

Comment plans: article 1 (second newest) has 12 comments in 10 threads, so
its comments span two pages; article 2 has a reply chain 5 levels deep; every
article whose index % 6 == 5 uses the legacy comment walker markup.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

from crawler.fixture_site.model import (
    OLD_AGE,
    TRAP_SECTION,
    Article,
    Comment,
    CommentMarkup,
    SiteKind,
    SiteModel,
)
from crawler.fixture_site.text import TextGenerator, slugify

SECTIONS = ["world", "politics", "science", "culture"]
ZONES = (UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5)))
ARTICLE_EDGES = (
    "gzip",
    "brotli",
    "chunked",
    "charset_meta",
    "rate_limited",
    "flaky",
    "huge",
    "gzip_bomb",
    "truncated_gzip",
)
_EDGE_ID_BASE = 90_000
_COUNT_CHOICES = (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12)


def default_now() -> datetime:
    """Current UTC time truncated to the hour."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def publish_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """Return ``count`` UTC publication instants, newest first (see module doc)."""
    recent = min(count, max(1, min(round(count / 4), 40)))
    old = min(count // 8, count - recent)
    middle = count - recent - old
    times: list[datetime] = []
    for i in range(recent):
        minutes = int(47 * 60 * (i + 1) / (recent + 1)) + rng.randint(0, 20)
        times.append(now - timedelta(minutes=minutes))
    span = timedelta(days=697)
    for j in range(middle):
        offset = timedelta(days=3) + span * (j + 0.5) / middle
        times.append(now - offset - timedelta(minutes=rng.randint(0, 240)))
    for k in range(old):
        offset = timedelta(days=760 + 9 * k, minutes=rng.randint(0, 600))
        times.append(now - offset)
    return [t.replace(microsecond=0) for t in times]


class _Builder:
    """Stateful helper that draws articles and comments from one RNG."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        """Prepare the text generator, author pool and id counters."""
        self.rng = rng
        self.now = now
        self.text = TextGenerator(rng)
        self.authors = [self.text.person_name() for _ in range(12)]
        self.commenters = [self.text.person_name() for _ in range(30)]
        self.slugs: set[str] = set()
        self.next_comment_id = 1000

    def unique_slug(self, title: str) -> str:
        """Slugify ``title`` and make it unique within the site."""
        base = slugify(title)
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def article(
        self, post_id: int, when: datetime, section: str, plan: str, markup: CommentMarkup
    ) -> Article:
        """Draw one article published at UTC instant ``when``."""
        rng, text = self.rng, self.text
        published = when.astimezone(rng.choice(ZONES))
        title = text.title()
        if plan == "cp1252":
            title = f"{title} {rng.choice(('café', 'naïve', 'déjà'))}"
        slug = self.unique_slug(title)
        paragraphs = self.paragraphs(plan == "cp1252")
        return Article(
            id=post_id,
            slug=slug,
            path=f"/{published:%Y/%m/%d}/{slug}/",
            title=title,
            authors=rng.sample(self.authors, 2 if rng.random() < 0.3 else 1),
            published=published,
            modified=self.modified(published),
            section=section,
            tags=sorted(set(text.words(rng.randint(1, 4)))),
            description=text.sentence(14, 24),
            paragraphs=paragraphs,
            comments=self.comments(published, plan),
            old=self.now - published > OLD_AGE,
            comment_markup=markup,
        )

    def paragraphs(self, cp1252: bool) -> list[str]:
        """Return 4-9 paragraphs (rich in windows-1252 characters if asked)."""
        count = self.rng.randint(4, 9)
        if cp1252:
            return [self.text.cp1252_paragraph() for _ in range(count)]
        return [self.text.paragraph(accented=0.05) for _ in range(count)]

    def modified(self, published: datetime) -> datetime:
        """Return a modification time at or after ``published``, not after ``now``."""
        if self.rng.random() < 0.35:
            return published
        later = published + timedelta(minutes=self.rng.randint(5, 360))
        return min(later, self.now.astimezone(published.tzinfo))

    def comment_times(self, published: datetime, count: int) -> list[datetime]:
        """Return ``count`` increasing times between ``published`` and ``now``."""
        span = min(self.now - published, timedelta(days=5)).total_seconds()
        usable = max(span - 120.0, 0.0)
        fractions = sorted(self.rng.random() for _ in range(count))
        return [published + timedelta(seconds=int(60 + usable * f)) for f in fractions]

    def comments(self, published: datetime, plan: str) -> list[Comment]:
        """Draw the comment tree of one article according to ``plan``."""
        rng = self.rng
        count = {"paginated": 12, "deep": 6}.get(plan, rng.choice(_COUNT_CHOICES))
        if plan == "legacy":
            count = max(count, 3)
        max_depth = rng.choice((3, 4, 5))
        made: list[Comment] = []
        for k, when in enumerate(self.comment_times(published, count)):
            parent = self.pick_parent(made, plan, k, max_depth)
            made.append(self.comment(when, parent))
        return made

    def pick_parent(self, made: list[Comment], plan: str, k: int, max_depth: int) -> Comment | None:
        """Choose the parent of comment ``k`` (``None`` for a new thread)."""
        if not made:
            return None
        if plan == "paginated":
            return made[-1] if k in (3, 7) else None
        if plan == "deep":
            return made[-1] if k < 5 else None
        candidates = [c for c in made if c.depth < max_depth]
        if candidates and self.rng.random() < 0.4:
            return self.rng.choice(candidates)
        return None

    def comment(self, when: datetime, parent: Comment | None) -> Comment:
        """Draw one comment, a reply to ``parent`` when given."""
        rng = self.rng
        author = rng.choice(self.commenters)
        url = f"https://{slugify(author)}.example.net/" if rng.random() < 0.5 else None
        self.next_comment_id += rng.randint(1, 9)
        sentences = [self.text.sentence(6, 16) for _ in range(rng.randint(1, 3))]
        return Comment(
            id=self.next_comment_id,
            parent_id=parent.id if parent else 0,
            depth=parent.depth + 1 if parent else 1,
            author=author,
            author_url=url,
            published=when,
            text=" ".join(sentences),
        )


def _plan_for(index: int) -> tuple[str, CommentMarkup]:
    """Comment plan and markup of the normal article at recency ``index``."""
    if index % 6 == 5:
        return "legacy", "legacy"
    return {1: "paginated", 2: "deep"}.get(index, "random"), "html5"


def _site_name(rng: random.Random, text: TextGenerator) -> str:
    """Invent the outlet's name."""
    paper = rng.choice(("Courier", "Ledger", "Herald", "Gazette", "Chronicle"))
    return f"The {text.word().capitalize()} {paper}"


def build_model(kind: SiteKind, articles: int, seed: int, now: datetime) -> SiteModel:
    """Build the complete, deterministic site model."""
    if articles < 1:
        raise ValueError(f"articles must be >= 1, got {articles}")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    rng = random.Random(seed)
    builder = _Builder(rng, now)
    site_name = _site_name(rng, builder.text)
    items: list[Article] = []
    for i, when in enumerate(publish_times(rng, articles, now)):
        plan, markup = _plan_for(i)
        post_id = 10 + (articles - i) * 7 + rng.randrange(7)
        items.append(builder.article(post_id, when, SECTIONS[i % len(SECTIONS)], plan, markup))
    model = SiteModel(
        kind=kind, seed=seed, now=now, site_name=site_name, sections=list(SECTIONS), articles=items
    )
    if kind == "wordpress":
        _add_edges(builder, model)
    return model


def _add_edges(builder: _Builder, model: SiteModel) -> None:
    """Create edge-case articles and paths, then re-index the model."""
    rng, now = builder.rng, builder.now
    for k, name in enumerate(ARTICLE_EDGES):
        when = now - timedelta(days=2 + 2.5 * k, minutes=rng.randint(0, 600))
        plan = "cp1252" if name == "charset_meta" else "random"
        section = SECTIONS[k % len(SECTIONS)]
        article = builder.article(
            _EDGE_ID_BASE + k + 1, when.replace(microsecond=0), section, plan, "html5"
        )
        model.edge_articles[name] = article
        model.edge_paths[name] = article.path
    for name in ("not_found", "gone"):
        when = now - timedelta(days=rng.randint(3, 25))
        slug = builder.unique_slug(builder.text.title())
        model.edge_paths[name] = f"/{when:%Y/%m/%d}/{slug}/"
    fresh = model.fresh_articles() or model.articles
    target = fresh[min(3, len(fresh) - 1)]
    model.edge_paths["redirect_chain"] = f"/go/{target.slug}/"
    model.edge_paths["redirect_loop"] = "/loop/a/"
    model.edge_paths["offsite_redirect"] = f"/out/{model.articles[0].slug}/"
    model.edge_paths["private"] = f"/private/{builder.unique_slug(builder.text.title())}/"
    model.sitemap_edge_names = [n for n in model.edge_paths if n != "redirect_chain"]
    model.edge_paths["pagination_trap"] = f"/category/{TRAP_SECTION}/"
    model.__post_init__()
