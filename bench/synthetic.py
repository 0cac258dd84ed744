"""Synthetic news-like text for the benchmark: Zipf-distributed words in ~20-token sentences.

Word frequencies follow Zipf-Mandelbrot (rank r has weight 1 / (r + 2.7)),
the commonest ranks being real stop words, so analysis drops about as much as
in English. The rest are pronounceable made-up words, some capitalised,
hyphenated, possessive or numeric, so every branch of ``analyze`` runs.
Everything is seeded: the same size gives the same corpus in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.retrieval import stop_words

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
SENTENCES_PER_ARTICLE = 40
SENTENCES_PER_PARAGRAPH = 4


@dataclass(frozen=True)
class Synthetic:
    """A reproducible synthetic corpus of ``size`` sentences."""

    size: int
    vocabulary: int = 60_000
    mean_tokens: int = 20
    seed: int = 7

    @cached_property
    def words(self) -> np.ndarray:
        """The word list by rank: stop words first (interleaved with frequent content words), then made-up ones."""
        rng = np.random.default_rng(self.seed)
        stops = sorted(w for w in stop_words() if w.isalpha())
        made: list[str] = []
        seen = set(stops)
        while len(made) < self.vocabulary - len(stops):
            word = "".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), rng.integers(1, 5)))
            if word not in seen:
                seen.add(word)
                made.append(word)
        for i in range(0, len(made), 97):  # a few odd forms: names, hyphenated, possessive, numbers
            made[i] = {
                0: made[i].title() if len(made[i]) > 4 else made[i],
                1: made[i] + "-" + made[i + 1],
                2: made[i] + "'s",
                3: f"{int(rng.integers(1000, 99999)):,}",
            }[i // 97 % 4]
        ranked = []
        for i, stop in enumerate(stops):
            ranked += [stop, made[i]]
        ranked += made[len(stops) :]
        return np.asarray(ranked, dtype=object)

    @cached_property
    def _token_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed + 1)
        lengths = np.clip(rng.poisson(self.mean_tokens, self.size), 3, None)
        weights = 1.0 / (np.arange(len(self.words)) + 2.7)
        cdf = np.cumsum(weights / weights.sum())
        ranks = np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right")
        return np.minimum(ranks, len(self.words) - 1), lengths

    def sentences(self) -> list[str]:
        """``size`` sentences, capitalised, with a comma now and then and a full stop."""
        ranks, lengths = self._token_ranks
        tokens = self.words[ranks]
        out: list[str] = []
        pos = 0
        for n in lengths.tolist():
            words = tokens[pos : pos + n].tolist()
            pos += n
            if len(words[0]) < 4:  # "De told them." crashes speaker attribution (IndexError): avoid short capitals
                words.insert(0, "the")
            words[0] = words[0].capitalize()
            if n > 8:
                words[n // 2] += ","
            out.append(" ".join(words) + ".")
        return out

    def questions(self, n: int, seed: int = 11) -> list[str]:
        """Questions of 3-8 content words taken from random sentences ("What about ... ?")."""
        rng = np.random.default_rng(seed)
        ranks, lengths = self._token_ranks
        starts = np.concatenate(([0], np.cumsum(lengths)))
        stops = stop_words()
        questions: list[str] = []
        while len(questions) < n:
            doc = int(rng.integers(0, self.size))
            words = [w for w in self.words[ranks[starts[doc] : starts[doc + 1]]].tolist() if w not in stops]
            if len(words) < 3:
                continue
            take = min(len(words), int(rng.integers(3, 9)))
            picked = [words[i] for i in sorted(rng.choice(len(words), take, replace=False).tolist())]
            questions.append("What about " + " ".join(picked) + "?")
        return questions

    def write_corpus(self, directory: Path) -> int:
        """Write the sentences as article files (a headline, paragraphs of 4 sentences); returns the file count."""
        directory.mkdir(parents=True, exist_ok=True)
        sentences = self.sentences()
        count = 0
        for count, lo in enumerate(range(0, len(sentences), SENTENCES_PER_ARTICLE), start=1):
            body = sentences[lo : lo + SENTENCES_PER_ARTICLE]
            paragraphs = [
                " ".join(body[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(body), SENTENCES_PER_PARAGRAPH)
            ]
            headline = body[0].rstrip(".")[:60]
            (directory / f"{count:06d}.txt").write_text(
                headline + "\n" + "\n".join(paragraphs) + "\n", encoding="utf-8"
            )
        return count
