"""The opcodes of ``difflib.SequenceMatcher(None, a, b, autojunk=False)``, found faster.

The matcher takes, in each range of the two sequences, the longest run they share (of the
longest, the one that starts first in ``a``, then first in ``b``) and goes on on either side of
it. Difflib finds that run with a table of where each element occurs in ``b``, which for a text
cut into words and spaces is quadratic in its spaces. Here each distinct element becomes one
character, and whether a run occurs in ``b`` is asked of ``str.find``: at each start in ``a``,
only whether a run longer than the best one so far starts there. The blocks, and so the opcodes,
are difflib's own (the tests compare the two).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

Opcode = tuple[str, int, int, int, int]


def encoded(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[str, str]:
    """Both sequences as strings, one character for each distinct element: the matcher's own
    form, which it takes as it is."""
    codes = {item: chr(index) for index, item in enumerate(dict.fromkeys([*a, *b]))}
    return "".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b))


def common_head(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` start with in common."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _longest(a: str, b: str, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """(i, j, size) of the longest run of ``a[alo:ahi]`` in ``b[blo:bhi]``: of the longest, the
    one that starts first in ``a``, then first in ``b``; ``(alo, blo, 0)`` when none."""
    find = b.find
    best_i, best = alo, 0
    i = alo
    while ahi - i > best:
        if find(a[i : i + best + 1], blo, bhi) < 0:
            i += 1
            continue
        # A longer run starts here: how long (a run's prefixes all occur too).
        low, high, step = best + 1, ahi - i, 1
        while low < high:
            probe = min(low + step, high)
            if find(a[i : i + probe], blo, bhi) < 0:
                high = probe - 1
                break
            low, step = probe, step * 2
        while low < high:
            middle = (low + high + 1) // 2
            if find(a[i : i + middle], blo, bhi) < 0:
                high = middle - 1
            else:
                low = middle
        best_i, best = i, low
        i += 1
    if not best:
        return alo, blo, 0
    return best_i, find(a[best_i : best_i + best], blo, bhi), best


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """``SequenceMatcher.get_matching_blocks()``: (i, j, size) triples, the last ``(len(a), len(b), 0)``."""
    text_a, text_b = (a, b) if isinstance(a, str) and isinstance(b, str) else encoded(a, b)
    queue = [(0, len(a), 0, len(b))]
    found: list[tuple[int, int, int]] = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, size = block = _longest(text_a, text_b, alo, ahi, blo, bhi)
        if size:
            found.append(block)
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + size < ahi and j + size < bhi:
                queue.append((i + size, ahi, j + size, bhi))
    found.sort()
    blocks: list[tuple[int, int, int]] = []
    i1 = j1 = k1 = 0
    for i2, j2, k2 in found:  # adjacent blocks joined
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                blocks.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        blocks.append((i1, j1, k1))
    blocks.append((len(a), len(b), 0))
    return blocks


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """``SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``."""
    i = j = 0
    out: list[Opcode] = []
    for ai, bj, size in matching_blocks(a, b):
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            out.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            out.append(("equal", ai, i, bj, j))
    return out
