"""AM404's near duplicates: the definition (docs/rules.md) and the index that finds, for
each text, the first earlier text that is the same or nearly, without comparing every
pair of texts. :mod:`argmap.analysis.lint` reports what :func:`first_duplicates` finds.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import math
import operator
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence

from argmap.markdown import to_plain

NEAR_DUPLICATE_RATIO = 0.9  # difflib.SequenceMatcher.ratio() of the normalised texts

# Unicode categories: Pd (hyphens, dashes) becomes a space, other punctuation goes
# (None, not "": str.translate then keeps its fast path for ASCII text).
_UNPUNCTUATED = {"Pd": " ", "Pc": None, "Ps": None, "Pe": None, "Pi": None, "Pf": None, "Po": None}


class _Unpunctuate(dict[int, str | None]):
    """A ``str.translate`` table filled in as characters are met: a third of the time of
    a category lookup per character."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        self[code] = replacement = _UNPUNCTUATED.get(unicodedata.category(char), char)
        return replacement


_UNPUNCTUATE = _Unpunctuate()


def normalise_text(text: str) -> str:
    """A node text as AM404 compares it: its plain words (no Markdown), case folded, with
    hyphens and dashes read as spaces, other punctuation left out and white space collapsed."""
    return normalise_plain(to_plain(text))


def normalise_plain(plain: str) -> str:
    """:func:`normalise_text` of a text already made plain (:func:`to_plain`)."""
    folded = plain.casefold()
    kept = folded.translate(_UNPUNCTUATE)
    return " ".join(kept.split()) or " ".join(folded.split())  # all punctuation: keep it


def normalise_plains(plains: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """:func:`normalise_plain` of many plain texts, and the words of each: case folded
    and translated as one string (plain texts have no line breaks), as each alone
    costs more than the rest of the search."""
    folded = "\n".join(plains).casefold()
    lines = folded.translate(_UNPUNCTUATE).split("\n")
    if len(lines) != len(plains):  # a line break after all: one at a time
        texts = [normalise_plain(plain) for plain in plains]
        return texts, [text.split() for text in texts]
    words = [line.split() for line in lines]
    texts = [" ".join(each) for each in words]
    for number in itertools.compress(range(len(texts)), map(operator.not_, texts)):
        texts[number] = normalise_plain(plains[number])
        words[number] = texts[number].split()
    return texts, words


def nearly_equal(first: str, second: str) -> bool:
    """Whether two normalised texts are the same or nearly (docs/rules.md, AM404).

    Nearly: at least one word in common, at most one word in five of the longer text
    (at least one word) missing from the other, and a difflib ratio of 0.9 or more.
    """
    if first == second:
        return True
    if not close_in_words(first.split(), second.split()):
        return False
    return _Comparer(second).matches(first)


def words_allowed_to_differ(words: int) -> int:
    """How many words of a text of ``words`` words the other text may lack: one in five,
    and at least one."""
    return max(1, words // 5)


def close_in_words(first: Sequence[str], second: Sequence[str]) -> bool:
    """The word condition of AM404: the two lists of words have a word in common, and the
    longer lacks at most :func:`words_allowed_to_differ` of its words in the other
    (counting repeated words as often as they occur)."""
    longest = max(len(first), len(second))
    shared = (Counter(first) & Counter(second)).total()
    return shared >= 1 and longest - shared <= words_allowed_to_differ(longest)


_KEY_SIZE = 2  # tokens per key: more, fewer candidates but more keys per text
_PREFIX_LIMIT = 12  # a text whose prefix is longer is indexed token by token
_SHORT_LIMIT = 12  # a text of at most this many characters is found by its characters
_SHORT_KEYS = 256  # and a longer one whose characters' keys, and its partners', are this few
_HOT_LIMIT = 48  # texts under one key before it is split by a further token
_DEEPEST = 8  # tokens in a key, at most


def first_duplicates(
    texts: Sequence[str],
    *,
    key_size: int = _KEY_SIZE,
    prefix_limit: int = _PREFIX_LIMIT,
    short_limit: int = _SHORT_LIMIT,
    hot_limit: int = _HOT_LIMIT,
    short_keys: int = _SHORT_KEYS,
    words: Sequence[list[str]] | None = None,
    work: Counter[str] | None = None,
) -> list[int | None]:
    """For each normalised text, the index of the first earlier text that is the same or
    nearly (:func:`nearly_equal`), or None.

    Comparing every pair is quadratic, so inverted indexes find the candidates instead,
    exactly, and only candidates go to the word count and difflib. A text equal to an
    earlier one needs no search: it has the earlier one's first match, or the earlier
    one.

    Words (:class:`_WordIndex`): prefix filtering, as in set similarity joins. Each
    word is a token (a repeated word one token per occurrence), all tokens ordered
    rarest first over all the texts. A near duplicate of a text of W words shares at
    least ``W - allowed(W)`` of its tokens (:func:`words_allowed_to_differ`; the longer
    text decides, and ``n - allowed(n)`` grows with n), so the k rarest tokens two near
    duplicates share lie among the first ``allowed + k`` tokens of each (its prefix).
    Each text is filed under every set of ``key_size`` tokens of its prefix (two rare
    words together are far more selective than one), and a near duplicate has one of
    those keys. Texts that may share fewer than ``key_size`` tokens with a near
    duplicate, and texts whose prefix is longer than ``prefix_limit`` (too many keys),
    are filed by single tokens instead, by their count of words, and only texts of a
    count that can match theirs look there.

    Characters (:class:`_ShortIndex`): short texts sharing a common word ("step 1" to
    "step 9999", "item number 0000000" onwards) are all candidates of each other by
    their words, so texts of at most ``short_limit`` characters, and longer ones whose
    keys there number at most ``short_keys`` (with those of the texts they may match),
    are found by the strings they share.

    ``key_size``, ``prefix_limit``, ``short_limit``, ``short_keys`` and ``hot_limit``
    trade speed only, never results. ``words``: each text's ``split()``, when the caller has it.
    ``work``, when given, counts what the search did (:class:`_Verifier`).
    """
    owns = _ranked_tokens([text.split() for text in texts] if words is None else words)
    by_words = _WordIndex(owns, key_size, prefix_limit, hot_limit)
    short = _ShortIndex(short_limit, {len(text) for text in texts}, short_keys)
    verifier = _Verifier(texts, owns, work)
    first_of: dict[str, int] = {}
    found: list[int | None] = []
    for number, text in enumerate(texts):
        same = first_of.setdefault(text, number)
        if same != number:  # not searched, not indexed: see above
            earlier = found[same]
            found.append(same if earlier is None else earlier)
            continue
        if text and len(text) in short.targets:  # every match is in the short index
            candidates = short.candidates(text)
            by_words.add(number)
            found.append(verifier.first_match(number, sorted(candidates)) if candidates else None)
        else:
            found.append(verifier.first_among(number, by_words.add(number, probe=True)))
        short.add(text, number)
    return found


def _ranked_tokens(words: Sequence[list[str]]) -> list[list[int]]:
    """Each text's tokens, numbers in a global order, rarest first: a word is a token,
    and the n-th repeat of a word in a text (n = 1, 2, ...) another, ranked after every
    word (``n * vocabulary + rank``; any fixed order is exact, rarest first is fast)."""
    frequency = Counter(itertools.chain.from_iterable(words))
    rank = {word: n for n, word in enumerate(sorted(frequency, key=frequency.__getitem__))}
    get_rank = rank.__getitem__
    owns = [sorted(map(get_rank, each)) for each in words]
    vocabulary = len(rank)
    repeating = map(operator.ne, map(len, owns), map(len, map(set, owns)))
    for number in itertools.compress(range(len(owns)), repeating):
        own = owns[number]
        repeats = list(itertools.compress(own[1:], map(operator.eq, own, own[1:])))
        if len(set(repeats)) == len(repeats):  # no word three times: the common case
            owns[number] = [*dict.fromkeys(own), *map(vocabulary.__add__, repeats)]
            continue
        seen: dict[int, int] = {}
        numbered = []
        for token in own:
            count = seen.get(token, 0)
            seen[token] = count + 1
            numbered.append(count * vocabulary + token)
        owns[number] = sorted(numbered)
    return owns


class _Shape:
    """What the word index does with texts of one count of words (see
    :class:`_WordIndex`)."""

    def __init__(self, count: int, key_size: int, prefix_limit: int, present: set[int]) -> None:
        self.allowed = allowed = words_allowed_to_differ(count)
        self.loose = _is_loose(count, key_size, prefix_limit)
        able = range(1, 0) if not count else _partner_counts(count)
        partners = sorted(other for other in present if other in able)  # counts in the input
        loose = [other for other in partners if _is_loose(other, key_size, prefix_limit)]
        self.partners = tuple(partners) if self.loose else tuple(loose)
        self.single = bool(loose)  # filed by single tokens: a loose text may match it
        self.single_prefix = allowed + 1
        self.prefix = allowed + key_size


def _is_loose(count: int, key_size: int, prefix_limit: int) -> bool:
    """Whether a text of ``count`` words is filed by single tokens, not keys."""
    allowed = words_allowed_to_differ(count)
    return count - allowed < key_size or allowed + key_size > prefix_limit


def _partner_counts(count: int) -> range:
    """The counts of words of the texts that can pass the word condition with a text of
    ``count`` words (one or more)."""
    lowest = max(1, count - words_allowed_to_differ(count))
    highest = count
    while highest + 1 - words_allowed_to_differ(highest + 1) <= count:
        highest += 1
    return range(lowest, highest + 1)


class _WordIndex:
    """The texts by their rarest tokens (rank numbers, rarest first): under keys of
    ``key_size`` tokens (:class:`_Keys`), or by single tokens and count of words."""

    def __init__(self, owns: list[list[int]], key_size: int, prefix_limit: int, hot_limit: int):
        self.owns = owns
        self.key_size = key_size
        self.prefix_limit = prefix_limit
        self.keys = _Keys(owns, hot_limit)
        self.singles: dict[tuple[int, int], list[int]] = {}
        present = {len(own) for own in owns}
        self.shapes = {count: _Shape(count, key_size, prefix_limit, present) for count in present}
        # Most keys belong to one text alone: counted first, in one pass, such keys are
        # never filed, and a text with no other key is not looked up at all.
        prefixes = {
            count: 0 if shape.loose else shape.prefix for count, shape in self.shapes.items()
        }
        counts = Counter(
            itertools.chain.from_iterable(
                itertools.combinations(own[: prefixes[len(own)]], key_size) for own in owns
            )
        )
        self.shared = {key for key, count in counts.items() if count > 1}

    def add(self, number: int, probe: bool = False) -> list[list[int]]:
        """File the text ``number``; when ``probe``, first gather every text filed before
        that may be its near duplicate: lists of text numbers in ascending order, which
        may also hold ``number`` itself (they are the index's own, filed to since)."""
        own = self.owns[number]
        count = len(own)
        shape = self.shapes[count]
        candidates: list[list[int]] = []
        if probe and shape.partners:
            singles = self.singles
            for token in own[: shape.single_prefix]:
                for other in shape.partners:
                    listed = singles.get((other, token))
                    if listed:
                        candidates.append(listed)
        if not shape.loose:
            prefix = own[: shape.prefix]
            if not self.shared.isdisjoint(itertools.combinations(prefix, self.key_size)):
                shared = self.shared
                keys = [k for k in itertools.combinations(prefix, self.key_size) if k in shared]
                self.keys.add(keys, number, shape.allowed, candidates if probe else None)
        if shape.loose or shape.single:
            for token in own[: shape.single_prefix]:
                self.singles.setdefault((count, token), []).append(number)
        return candidates


class _Keys:
    """Texts by keys of tokens, with crowded keys split.

    A matching pair shares its m rarest shared tokens within the first ``allowed + m``
    tokens of each text, for every m up to the count it must share (``len(own) -
    allowed``: it lacks at most ``allowed``). So when a key of m tokens holds more than
    ``hot_limit`` texts it becomes hot, and each text under it is also filed under the
    key extended by each token of its own first ``allowed + m + 1`` that ranks after
    the key's last; a probe then looks under the extensions its own prefix gives, plus
    the texts too short to be extended (``rest``). A probe too short to extend takes
    the whole list. Texts made from a small stock of phrases share their rarest words by
    whole phrases, so keys of two words of one phrase are crowded. Nothing recurses:
    the splits of a key are walked with a stack.
    """

    def __init__(self, owns: list[list[int]], hot_limit: int) -> None:
        self.owns = owns
        self.hot_limit = hot_limit
        self.texts: defaultdict[tuple[int, ...], list[int]] = defaultdict(list)
        self.rest: dict[tuple[int, ...], list[int]] = {}
        self.hot: set[tuple[int, ...]] = set()

    def add(
        self,
        keys: Iterable[tuple[int, ...]],
        number: int,
        allowed: int,
        candidates: list[list[int]] | None,
    ) -> None:
        """File ``number`` under ``keys``, after adding to ``candidates`` (unless None)
        every text filed under them that may match it."""
        listed = self.texts
        keys = list(keys)
        lists = [listed[key] for key in keys]
        if max(map(len, lists), default=0) < self.hot_limit:  # the common case: none hot
            if candidates is not None:
                candidates.extend(lists)
            for each in lists:
                each.append(number)
            return
        own = self.owns[number]
        if candidates is not None:
            for key, each in zip(keys, lists, strict=True):
                if len(each) > self.hot_limit:
                    self._look(key, own, allowed, candidates)
                else:
                    candidates.append(each)
        for key, each in zip(keys, lists, strict=True):
            each.append(number)
            if len(each) > self.hot_limit:
                self._file(key, number)

    def _file(self, key: tuple[int, ...], number: int) -> None:
        """Split ``key`` if it has grown crowded, and file ``number`` (already under it)
        under the splits of a crowded key, and so on down."""
        pending = [(key, number, False)]
        while pending:
            key, number, new = pending.pop()
            listed = self.texts[key]
            if new:
                listed.append(number)
            if key in self.hot:
                pending.extend(self._split(key, number))
            elif len(listed) > self.hot_limit and len(key) < _DEEPEST:
                self.hot.add(key)
                splits = [split for each in listed for split in self._split(key, each)]
                pending.extend(reversed(splits))  # popped in ascending order: lists stay so

    def _split(self, key: tuple[int, ...], number: int) -> list[tuple[tuple[int, ...], int, bool]]:
        own = self.owns[number]
        allowed = words_allowed_to_differ(len(own))
        if len(own) - allowed <= len(key):  # its matches may share only the key's tokens
            self.rest.setdefault(key, []).append(number)
            return []
        return [
            ((*key, token), number, True)
            for token in own[: allowed + len(key) + 1]
            if token > key[-1]
        ]

    def _look(
        self, key: tuple[int, ...], own: Sequence[int], allowed: int, found: list[list[int]]
    ) -> None:
        """Add to ``found`` the lists of every text filed under the hot ``key`` that may
        match ``own``."""
        pending = [key]
        while pending:
            key = pending.pop()
            if key not in self.hot or len(own) - allowed <= len(key):
                if key in self.texts:
                    found.append(self.texts[key])
                continue
            if key in self.rest:
                found.append(self.rest[key])
            for token in own[: allowed + len(key) + 1]:
                if token > key[-1] and (*key, token) in self.texts:
                    pending.append((*key, token))


def _least_matching(total: int) -> int:
    """The fewest matching characters difflib needs for a ratio of 0.9 or more between
    two texts of ``total`` characters (its own float arithmetic: ``2.0 * M / total``)."""
    if not total:
        return 0
    least = int(NEAR_DUPLICATE_RATIO * total / 2)
    while least and 2.0 * (least - 1) / total >= NEAR_DUPLICATE_RATIO:
        least -= 1
    while 2.0 * least / total < NEAR_DUPLICATE_RATIO:
        least += 1
    return least


class _ShortIndex:
    """Short texts by their characters: a deletion neighbourhood, exact.

    difflib's matching characters are a common subsequence of the two texts, so two
    texts of lengths a and b with ``ratio() >= 0.9`` share a subsequence of exactly
    ``s = _least_matching(a + b)`` characters (any s of the matching ones): the first
    text becomes it by deleting ``a - s`` characters, the second by deleting ``b - s``.
    A text of length b is filed, among the texts of its length, under each string it
    becomes by deleting ``b - s`` characters, for each length a of a probe in the
    input with which it can reach the ratio at all (a probe: a text of at most
    ``limit`` characters, or a longer one when it and the texts of each length it can
    match have at most ``budget`` such strings each); a probe looks up, among the texts
    of each length b it can match, the strings it becomes by deleting ``a - s``. Such
    keys are nearly unique strings, not common words, and only the lengths present are
    filed: numbered look-alikes of one length ("item 0000000" to "item 0049999", "item
    number 0000000" onwards) share keys only with texts one character apart.
    """

    def __init__(self, limit: int, lengths: Collection[int], budget: int = 0) -> None:
        present = sorted(length for length in lengths if length)
        # probe length -> (length of a text it can match, characters they share)
        self.targets: dict[int, list[tuple[int, int]]] = {}
        self.levels: dict[int, set[int]] = {}  # text length -> lengths of its keys
        for a in present:
            pairs = []
            for b in present:
                if b > 2 * a:  # 2 min(a, b) >= 0.9 (a + b) needs far less
                    break
                shared = _least_matching(a + b)
                if shared <= min(a, b):
                    pairs.append((b, shared))
            if a > limit and not all(
                math.comb(a, a - shared) <= budget and math.comb(b, b - shared) <= budget
                for b, shared in pairs
            ):
                if a > limit + 20:  # past any budget: a tenth of the characters deleted
                    break
                continue
            self.targets[a] = pairs
            for b, shared in pairs:
                self.levels.setdefault(b, set()).add(shared)
        self.keyed: dict[int, dict[str, list[int]]] = {b: {} for b in self.levels}

    @staticmethod
    def deletions(text: str, lengths: Iterable[int]) -> dict[int, set[str]]:
        """The strings ``text`` becomes by deleting characters, by their length: those
        of each of ``lengths``."""
        wanted = set(lengths)
        level = {text}
        found = {len(text): level} if len(text) in wanted else {}
        for length in range(len(text) - 1, min(wanted, default=len(text)) - 1, -1):
            level = {key[:at] + key[at + 1 :] for key in level for at in range(len(key))}
            if length in wanted:
                found[length] = level
        return found

    def candidates(self, text: str) -> set[int]:
        """Every filed text that may be a near duplicate of ``text``, and more."""
        targets = self.targets.get(len(text), [])
        keys = self.deletions(text, {shared for _, shared in targets})
        found: set[int] = set()
        for length, shared in targets:
            filed = self.keyed[length]
            for key in keys[shared]:
                found.update(filed.get(key, ()))
        return found

    def add(self, text: str, number: int) -> None:
        levels = self.levels.get(len(text))
        if levels:
            filed = self.keyed[len(text)]
            for keys in self.deletions(text, levels).values():
                for key in keys:
                    filed.setdefault(key, []).append(number)


class _Verifier:
    """Finds, among the candidates of a text, the first that is nearly it.

    The word condition first, on each text's tokens: a signature of bits (a token's
    rank modulo the width) bounds cheaply from above how many tokens two texts share (a
    bit of one that the other lacks stands for at least one token it lacks), then the
    exact count; difflib only for those that pass. ``work`` counts the candidates
    looked at and the texts compared character by character (the tests count them).
    """

    WIDTH = 256
    GATHERED = 2048  # candidates gathered at most, for one probe, before they are merged

    def __init__(
        self, texts: Sequence[str], owns: Sequence[list[int]], work: Counter[str] | None
    ) -> None:
        self.texts = texts
        self.owns = owns
        self.signatures: list[int | None] = [None] * len(owns)
        self.masks: dict[str, int] = {}  # a text's pairs of characters (_bigram_mask)
        longest = max(map(len, owns), default=0)
        # the fewest tokens two texts must share, by the count of words of the longer
        self.least = [max(n - words_allowed_to_differ(n), 1) for n in range(longest + 1)]
        self.work = work

    def signature(self, number: int) -> int:
        width = self.WIDTH - 1
        found = 0
        for token in self.owns[number]:
            found |= 1 << (token & width)
        self.signatures[number] = found
        return found

    def first_among(self, number: int, lists: list[list[int]]) -> int | None:
        """:meth:`first_match` of the texts before ``number`` in ``lists`` (each in
        ascending order). A few are gathered and sorted; many, as when thousands of
        look-alikes share their words, are merged in order as they are looked at, so
        that the search ends at the first match without gathering the rest."""
        total = sum(map(len, lists))
        if not total:
            return None
        if total <= self.GATHERED:
            candidates = set(itertools.chain.from_iterable(lists))
            candidates.discard(number)
            return self.first_match(number, sorted(candidates)) if candidates else None
        merged = itertools.takewhile(number.__gt__, heapq.merge(*lists))
        return self.first_match(number, (earlier for earlier, _ in itertools.groupby(merged)))

    def first_match(self, number: int, ordered: Iterable[int]) -> int | None:
        """The first of the candidates ``ordered`` (ascending, each once) whose text is
        nearly the text ``number`` (no earlier text is the same: see
        :func:`first_duplicates`)."""
        owns, least_of, signatures = self.owns, self.least, self.signatures
        mine = owns[number]
        size = len(mine)
        own_bits = signatures[number]
        if own_bits is None:
            own_bits = self.signature(number)
        own: frozenset[int] | None = None
        comparer: _Comparer | None = None
        looked = compared = 0
        found = None
        for earlier in ordered:
            looked += 1
            theirs = owns[earlier]  # distinct tokens: the shared ones are the intersection
            count = len(theirs)
            least = least_of[count if count > size else size]
            bits = signatures[earlier]
            if bits is None:
                bits = self.signature(earlier)
            if size - (own_bits & ~bits).bit_count() < least:
                continue
            if count - (bits & ~own_bits).bit_count() < least:
                continue
            own = own or frozenset(mine)
            if len(own.intersection(theirs)) >= least:
                compared += 1
                comparer = comparer or _Comparer(self.texts[number])
                if comparer.matches(self.texts[earlier], self.masks):
                    found = earlier
                    break
        if self.work is not None:
            self.work["candidates"] += looked
            self.work["compared"] += compared
        return found


_MASK_BITS = 1024


def _bigram_mask(text: str) -> int:
    """The text's pairs of adjacent characters, hashed into a set of bits.

    Two texts with ``ratio() >= 0.9`` have at most U = 0.1 T of their T characters
    outside difflib's matching blocks. A pair of adjacent characters of one text is
    missing from the other only where one of the two is unmatched (at most 2 U_a pairs)
    or a block ends between them, which needs an unmatched character in the other text
    (at most U_b); over both texts that is at most 3 U = 0.3 T pairs. Bits shared by
    several pairs can only lower the count of differing bits. So two masks that differ
    in more than 0.3 T bits belong to texts that are not near duplicates: a cheap test
    before difflib's.
    """
    mask = 0
    for first, second in itertools.pairwise(text):
        mask |= 1 << ((ord(first) * 31 + ord(second)) % _MASK_BITS)
    return mask


class _Comparer:
    """Compares many texts with one (difflib caches what it learns about the second)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mask: int | None = None
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(text)

    def matches(self, other: str, masks: dict[str, int] | None = None) -> bool:
        """Whether ``ratio(other, text) >= 0.9``, with ``other`` as difflib's first text;
        ``masks``: bigram masks of texts already made (filled in as they are made)."""
        if other == self.text:
            return True
        total = len(other) + len(self.text)
        if not total or 2 * min(len(other), len(self.text)) < NEAR_DUPLICATE_RATIO * total:
            return False  # the ratio cannot reach the threshold: skip the slow part
        if self.mask is None:
            self.mask = _bigram_mask(self.text)
        if masks is None:
            other_mask = _bigram_mask(other)
        else:
            other_mask = masks.get(other) or masks.setdefault(other, _bigram_mask(other))
        if 10 * (self.mask ^ other_mask).bit_count() > 3 * total:
            return False  # see _bigram_mask
        self.matcher.set_seq1(other)
        return (
            self.matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
            and self.matcher.ratio() >= NEAR_DUPLICATE_RATIO
        )
