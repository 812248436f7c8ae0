"""The mutation score of each mutated module, message-only mutants left out (``make mutation``).

Reads what ``mutmut run`` left in ``mutants/`` (run from the project's root) and prints, per
module: mutants checked, killed (timeouts count as killed), survived, those without a test,
and the score = killed / (checked - message-only). A *message-only* mutant changes nothing but
the text of a string that people read: every token of the changed lines is the same apart from
string literals, each changed literal holds a space (a sentence, not a status code such as
"confirmed" or a key such as "end_date", which are counted), and the line compares or searches
no string (`" rests " not in e` is a rule). Survivors that are not message-only
are listed, to be killed by a test or written down as equivalent in docs/testing.md.

    python -m benchmarks.mutation_score [--survivors]
"""

from __future__ import annotations

import io
import json
import sys
import tokenize
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 37, -24, 24, 152, 255}  # mutmut's exit codes for killed, timeout and type-check kills
SURVIVED = {0}
NO_TESTS = {5, 33}


def _tokens(line: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            out.append((tok.type, tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a line cut from a longer statement: the tokens read so far are enough
    return [t for t in out if t[0] not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]


def _is_text(kind: int) -> bool:
    return kind == tokenize.STRING or tokenize.tok_name.get(kind) == "FSTRING_MIDDLE"


def message_only(diff: str) -> bool:
    """Whether the mutant's diff changes only sentences inside string literals."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if not removed or len(removed) != len(added):
        return False
    for old, new in zip(removed, added, strict=True):
        a, b = _tokens(old), _tokens(new)
        if len(a) != len(b):
            return False
        if any(t in ((tokenize.NAME, "in"), (tokenize.OP, "=="), (tokenize.OP, "!=")) for t in a):
            return False  # a string compared or searched for is a rule, not a message
        for (ka, sa), (kb, sb) in zip(a, b, strict=True):
            if ka != kb:
                return False
            if sa == sb:
                continue
            if not (_is_text(ka) and " " in sa):
                return False
    return True


def main(argv: list[str]) -> int:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    show = "--survivors" in argv
    metas = sorted(Path("mutants").rglob("*.py.meta"))
    if not metas:
        print("No mutants/ here: run `make mutation` first.")
        return 1
    for meta in metas:
        source = Path(str(meta.relative_to("mutants"))[: -len(".meta")])
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts: Counter[str] = Counter()
        survivors: list[str] = []
        for name, code in sorted(codes.items()):
            if code is None:
                counts["not checked"] += 1
                continue
            counts["checked"] += 1
            quiet = message_only(get_diff_for_mutant(name, path=source))
            if quiet:
                counts["message-only"] += 1
            if code in KILLED:
                counts["killed"] += 1
                counts["killed, not message-only"] += not quiet
            elif code in SURVIVED:
                counts["survived"] += 1
                if not quiet:
                    survivors.append(name)
            elif code in NO_TESTS:
                counts["no tests"] += 1
            else:
                counts["other"] += 1
        scored = counts["checked"] - counts["message-only"]
        score = 100 * counts["killed, not message-only"] / scored if scored else 0.0
        print(
            f"{source}: {score:.1f}% ({counts['killed, not message-only']}/{scored} killed, message-only aside); "
            f"checked {counts['checked']}, killed {counts['killed']}, survived {counts['survived']}, "
            f"no tests {counts['no tests']}, message-only {counts['message-only']}, "
            f"not checked {counts['not checked']}"
        )
        if show:
            for name in survivors:
                print(f"    survived: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
