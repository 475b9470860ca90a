"""A question's key word as the passages may write it: another form of its root, a compound ending in it,
the initials of the words it stands for; and the question's own spelling of it (accents, capitals).
The question's own spelling is read once into its Query (bot/query.py); the word forms are used by the
answered/refused decision (bot/decide.py) to tell whether a quote holds a key word, and whether a key word is
a conjugated verb (by its dictionary form), which weighs less."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gidsbot.text import content_words, fold, words

__all__ = [
    "compound_rest",
    "conjugated",
    "ends_like",
    "initials",
    "names",
    "phrases",
    "same_root",
    "scene_words",
    "spellings",
]

_JOINING = frozenset("en et and of de des du van voor pour for le la les l d het the".split())


def same_root(a: str, b: str) -> bool:
    """Two forms of one word, as far as their spelling tells: a long common start, past participles'
    "ge" aside ("engageerden" / "geengageerd", "certifie" / "certifiees")."""
    a, b = (w[2:] if w.startswith("ge") and len(w) > 7 else w for w in (a, b))
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(5, round(0.75 * shorter))


def ends_like(word: str, compound: str) -> bool:
    """Does ``compound`` end in a form of ``word`` ("kleurtemperatuur" for "temperature")? Dutch
    compounds end in the word they name a kind of; the head is taken at lengths near the word's."""
    if len(word) < 6 or len(compound) < len(word) + 3:
        return False
    return any(same_root(word, compound[-n:]) for n in range(len(word) - 2, len(word) + 3))


def compound_rest(word: str, passage_words: set[str] | frozenset[str]) -> str:
    """What is left of a compound ``word`` once a passage word that ends or starts it is taken off
    ("tuin" of "tuinonderhoud" when the passage has "onderhoud"); "" when no passage word does."""
    best = ""
    for part in passage_words:
        if len(part) < 4 or len(part) >= len(word):
            continue
        if word.endswith(part):
            rest = word[: -len(part)]
        elif word.startswith(part):
            rest = word[len(part) :]
        else:
            continue
        rest = rest[:-1] if rest.endswith("s") and len(rest) > 4 else rest  # the linking s: veiligheid-s-schoenen
        if len(rest) >= 3 and (not best or len(rest) < len(best)):
            best = rest
    return best


def initials(word: str, text: str) -> bool:
    """Is ``word`` the initials of words the text writes in a row ("kmo" in "kleine en middelgrote
    ondernemingen", "pme" in "petites et moyennes entreprises")? Joining words are passed over."""
    if not 3 <= len(word) <= 5 or not word.isalpha():
        return False
    spoken = [w for w in words(text) if w not in _JOINING]  # words() folds
    n = len(word)
    return any("".join(w[0] for w in spoken[i : i + n]) == word for i in range(len(spoken) - n + 1))


def phrases(word: str, words: Sequence[str]) -> list[str]:
    """``word`` with the content word before and after it in the question ("vetements travail")."""
    if word not in words:
        return []
    i = words.index(word)
    before = words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return [f"{a} {b}" for a, b in ((before, word), (word, after)) if a and b]


def spellings(text: str) -> dict[str, str]:
    """Each word of ``text`` as folded (the key words' form) to its lower-case spelling with accents."""
    return {fold(w): w for w in re.findall(r"\w+", text.casefold()) if fold(w) != w}


def names(text: str) -> set[str]:
    """The folded words ``text`` writes with a capital other than at the start of a sentence: names."""
    out: set[str] = set()
    for sentence in re.split(r"[.!?:;]\s+", text):
        tokens = re.findall(r"\w+", sentence)
        out.update(fold(t) for t in tokens[1:] if len(t) > 2 and t[0].isupper())
    return out


def scene_words(text: str) -> set[str]:
    """The key words only a sentence before the question names: "We bestellen nieuwe bureaus en stoelen.
    Hoelang moet ik reserveonderdelen kunnen krijgen?" sets the scene with "bureaus" and "stoelen"."""
    parts = re.split(r"(?<=[.!:])\s+(?=\w)", text.strip())
    if len(parts) < 2 or not parts[-1].rstrip().endswith("?"):
        return set()
    return set(content_words(" ".join(parts[:-1]))) - set(content_words(parts[-1]))


def conjugated(word: str, lemma: str, language: str) -> bool:
    """A verb as conjugated or as a participle ("toelicht", "couvraient", "delivered"), by its dictionary form
    ``lemma`` (simplemma's) in ``language``."""
    if lemma == word:
        return False
    if language == "nl":
        return lemma.endswith("en") and not word.endswith(("s", "en"))
    if language == "fr":
        return lemma.endswith(("er", "ir", "re", "oir")) and word not in {lemma + "s", lemma + "x"}
    return word.endswith(("ed", "ing"))
