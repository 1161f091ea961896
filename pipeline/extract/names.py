"""Second mentions by name: "DMK leader TKS Elangovan criticized ... Elangovan also said".

News names a person in full once, with a title or party that tells who they are, then by surname.
A proper name that the actor dictionary does not code stands for the nearest earlier actor whose
name, written in full, ends with or contains it ("Elangovan" in "DMK leader TKS Elangovan",
"Yadav" in "Opposition leader Tejashwi Yadav"), when that actor was coded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Token

from pipeline.extract.actors import ActorMention

CONFIDENCE = 0.85
"""Factor on a second mention's confidence: the name is read, who it is inferred."""


def name_tokens(head: Token) -> list[Token]:
    """The proper-name words of a name headed by ``head`` ("TKS Elangovan"), left to right."""
    left = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    return [*left, head]


class SecondMentions:
    """The coded actors a document names in full, by each word of their names, in text order."""

    def __init__(
        self,
        doc: Doc,
        resolve: Callable[[Token], ActorMention | None],
        honorifics: frozenset[str] = frozenset(),
    ) -> None:
        self._doc = doc
        self._resolve = resolve
        self._honorifics = honorifics
        self._by_word: dict[str, list[tuple[int, ActorMention, frozenset[str]]]] | None = None

    def _words(self, head: Token) -> list[str]:
        """The name's words, lower case, without a courtesy title ("Mr Rodriguez Saa")."""
        return [t.lower_ for t in name_tokens(head) if t.lower_.rstrip(".") not in self._honorifics]

    def _index(self) -> dict[str, list[tuple[int, ActorMention, frozenset[str]]]]:
        if self._by_word is None:
            self._by_word = {}
            for token in self._doc:
                if token.pos_ != "PROPN" or token.dep_ == "compound":
                    continue
                words = self._words(token)
                if len(words) < 2:
                    continue  # a full name has at least two words
                mention = self._resolve(token)
                if mention is None or not mention.primary.code:
                    continue
                for word in words:
                    self._by_word.setdefault(word, []).append((token.i, mention, frozenset(words)))
        return self._by_word

    def find(self, head: Token) -> ActorMention | None:
        """The earlier coded actor a shorter proper name stands for ("Elangovan", "Mr Rodriguez
        Saa": every word of it in the earlier, longer name), its span the name's own."""
        if head.pos_ != "PROPN":
            return None
        words = self._words(head)
        if not words or len(words) > 2:
            return None
        earlier = [
            m
            for i, m, full in self._index().get(head.lower_, [])
            if i < head.i and len(full) > len(words) and all(w in full for w in words)
        ]
        if not earlier:
            return None
        antecedent = earlier[-1]
        return ActorMention(
            tuple(replace(m, confidence=m.confidence * CONFIDENCE) for m in antecedent.members),
            head.idx,
            head.idx + len(head.text),
            head.text,
        )
