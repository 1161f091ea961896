"""Boilerplate learned per feed: lines that repeat across one feed's different articles.

Related-headline blocks, newsletter blurbs and cookie lines are the same on every page of a
site, so a line seen in several different articles of one feed is furniture, not news.
``FeedBoilerplate`` counts, for each normalised line, the articles it appeared in, and strips
the lines counted often enough. Its state is plain data, so a poller can save it and resume.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.ids import stable_hash
from pipeline.normalise.text import clean_text


@dataclass(frozen=True)
class BoilerplateConfig:
    """When a repeated line counts as boilerplate, and how much a feed remembers."""

    min_articles: int = 3
    """Different articles a line must appear in before it is stripped."""
    min_letters: int = 12
    """Shorter lines (bylines, "Photo", dates) are left alone: too little to tell."""
    max_lines: int = 2000
    """Distinct lines remembered per feed; the least seen are forgotten first."""
    min_kept_letters: int = 80
    """A text that would keep fewer letters than this is left whole: every line of it has
    been seen before, so it is a repeat of earlier articles (dedup's business), not an
    article inside furniture."""


DEFAULT_BOILERPLATE = BoilerplateConfig()


def line_key(line: str) -> str:
    """Key of a line: letters and digits only, case-folded, hashed; "" for a blank line."""
    core = unicodedata.normalize("NFKC", line).casefold()
    letters = "".join(c for c in core if unicodedata.category(c)[0] in "LN")
    return stable_hash("boilerplate-line", letters, length=16) if letters else ""


def _letters(line: str) -> int:
    return sum(1 for c in line if unicodedata.category(c)[0] in "LN")


@dataclass
class FeedBoilerplate:
    """The repeated lines of one feed's articles, learned as articles arrive."""

    feed_id: str
    config: BoilerplateConfig = DEFAULT_BOILERPLATE
    counts: dict[str, int] = field(default_factory=dict)
    """Line key → number of different articles it appeared in."""
    last_seen: dict[str, int] = field(default_factory=dict)
    """Line key → article sequence number when last seen (to forget stale lines first)."""
    articles: int = 0
    """Articles observed so far."""

    def _keys(self, text: str) -> set[str]:
        keys = set()
        for line in text.split("\n"):
            if _letters(line) >= self.config.min_letters:
                key = line_key(line)
                if key:
                    keys.add(key)
        return keys

    def observe(self, text: str) -> None:
        """Count the lines of one article (each line once, however often it repeats in it)."""
        self.articles += 1
        for key in self._keys(text):
            self.counts[key] = self.counts.get(key, 0) + 1
            self.last_seen[key] = self.articles
        self._forget()

    def observe_article(self, texts: Iterable[str]) -> None:
        """Count the lines of one article given as several texts (summary, content, page)."""
        self.observe("\n".join(texts))

    def is_boilerplate(self, line: str) -> bool:
        """True when ``line`` has been seen in enough different articles of this feed."""
        if _letters(line) < self.config.min_letters:
            return False
        return self.counts.get(line_key(line), 0) >= self.config.min_articles

    def strip(self, text: str) -> tuple[str, int]:
        """(text without its boilerplate lines, number of lines removed)."""
        lines = text.split("\n")
        kept = [line for line in lines if not self.is_boilerplate(line)]
        removed = len(lines) - len(kept)
        if not removed:
            return text, 0
        if sum(_letters(line) for line in kept) < self.config.min_kept_letters:
            return text, 0
        return clean_text("\n".join(kept)), removed

    def _forget(self) -> None:
        excess = len(self.counts) - self.config.max_lines
        if excess <= 0:
            return
        # Lines seen once and long ago go first; boilerplate keeps being seen, so it stays.
        victims = sorted(self.counts, key=lambda k: (self.counts[k], self.last_seen[k]))[:excess]
        for key in victims:
            del self.counts[key]
            del self.last_seen[key]

    def state(self) -> tuple[int, list[tuple[str, int, int]]]:
        """(articles observed, [(line key, count, last seen)]) to save."""
        return self.articles, [(k, c, self.last_seen[k]) for k, c in self.counts.items()]

    @classmethod
    def from_state(
        cls,
        feed_id: str,
        articles: int,
        lines: Iterable[tuple[str, int, int]],
        config: BoilerplateConfig = DEFAULT_BOILERPLATE,
    ) -> FeedBoilerplate:
        """Resume from what ``state`` returned."""
        learner = cls(feed_id, config, articles=articles)
        for key, count, seen in lines:
            learner.counts[key] = count
            learner.last_seen[key] = seen
        learner._forget()
        return learner
