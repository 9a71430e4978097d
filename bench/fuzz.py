"""Long fuzzing: the property checks of tests/test_fuzz.py on many more random and hostile inputs, and on
long inputs made by repeating hostile fragments, each timed: a slow (say quadratic) path counts as a failure.

Usage: python bench/fuzz.py [--examples N] [--build-examples N] [--long-examples N] [--slow SECONDS]
                            [--seed N]
Prints, per target, the inputs tried (shrinking included), the slowest input and every failure with its input.
Slow inputs are saved under bench/out/fuzz/ to replay. Exit status 1 when any target failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis.corpus import MAX_SENTENCE_CHARS, MAX_TEXT_CHARS  # noqa: E402
from tests.test_fuzz import (  # noqa: E402
    FILE_NAMES,
    FRAGMENTS,
    any_text,
    check_build,
    check_cleaner,
    check_figures,
    check_positions,
    check_read,
    corpora,
    file_bytes,
    sentences,
)

OUT = ROOT / "bench" / "out" / "fuzz"


def repeated(limit: int) -> st.SearchStrategy[str]:
    """A random run of fragments repeated up to limit characters: where a quadratic path shows."""
    unit = st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=5)), min_size=1, max_size=12
    ).map("".join)
    return st.builds(lambda text, size: (text * (size // len(text) + 1))[:size], unit, st.integers(1, limit))


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy  # of one input, or of a tuple of the check's arguments
    check: Callable
    examples: str  # which --option gives its number of examples
    tried: int = 0
    slowest: tuple[float, int] = (0.0, 0)  # seconds, input size
    failures: list[str] = field(default_factory=list)


def _size(args) -> int:
    return sum(
        len(a) if isinstance(a, (str, bytes)) else sum(map(len, a.values())) if isinstance(a, dict) else 0
        for a in args
    )


def run(target: Target, examples: int, slow: float, seed_value: int | None) -> None:
    def body(value):
        args = value if isinstance(value, tuple) else (value,)
        target.tried += 1
        started = time.perf_counter()
        target.check(*args)
        seconds = time.perf_counter() - started
        size = _size(args)
        target.slowest = max(target.slowest, (seconds, size))
        if seconds > slow:
            OUT.mkdir(parents=True, exist_ok=True)
            path = OUT / f"{target.name.replace(', ', '_').replace(' ', '_')}_{target.tried}.txt"
            path.write_text(repr(args), encoding="utf-8")
            where = path.relative_to(ROOT)
            target.failures.append(f"slow: {seconds:.1f} s on an input of {size:,} characters (in {where})")

    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )(given(target.strategy)(body))
    if seed_value is not None:
        test = seed(seed_value)(test)
    try:
        test()
    except Exception as exc:  # hypothesis has shrunk the input and printed it; record the error and go on
        target.failures.append("".join(traceback.format_exception_only(type(exc), exc)).strip()[-2000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="inputs per fast target (default 5000)")
    parser.add_argument(
        "--build-examples", type=int, default=500, help="inputs for the whole build (default 500)"
    )
    parser.add_argument(
        "--long-examples", type=int, default=100, help="inputs per long-input target (default 100)"
    )
    parser.add_argument(
        "--slow", type=float, default=20.0, help="seconds after which one input counts as a failure"
    )
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed, to repeat a run")
    args = parser.parse_args(argv)
    long_files = st.dictionaries(
        st.sampled_from(FILE_NAMES), repeated(MAX_TEXT_CHARS).map(str.encode), min_size=1, max_size=2
    )
    targets = [
        Target("cleaner", any_text, check_cleaner, "examples"),
        Target("read bytes", st.tuples(st.sampled_from(FILE_NAMES), file_bytes), check_read, "examples"),
        Target("figure parser", st.one_of(any_text, sentences), check_figures, "examples"),
        Target("position extractor", sentences, check_positions, "examples"),
        Target("whole build", corpora, check_build, "build_examples"),
        Target("cleaner, long text", repeated(MAX_TEXT_CHARS), check_cleaner, "long_examples"),
        Target(
            "read, long file",
            st.tuples(st.sampled_from(FILE_NAMES), repeated(MAX_TEXT_CHARS).map(str.encode)),
            check_read,
            "long_examples",
        ),
        Target("figure parser, long sentence", repeated(MAX_SENTENCE_CHARS), check_figures, "long_examples"),
        Target(
            "position extractor, long sentence",
            repeated(MAX_SENTENCE_CHARS),
            check_positions,
            "long_examples",
        ),
        Target("whole build, long files", long_files, check_build, "long_examples"),
    ]
    started = time.perf_counter()
    for target in targets:
        begun = time.perf_counter()
        run(target, getattr(args, target.examples), args.slow, args.seed)
        seconds, size = target.slowest
        print(
            f"{target.name:36} {target.tried:7,} inputs in {time.perf_counter() - begun:7.1f} s; "
            f"slowest {seconds:6.2f} s ({size:,} chars); {len(target.failures)} failure(s)",
            flush=True,
        )
        for failure in target.failures:
            print("    " + failure.replace("\n", "\n    "), flush=True)
    total = sum(t.tried for t in targets)
    failed = sum(len(t.failures) for t in targets)
    print(f"{total:,} inputs in {time.perf_counter() - started:.0f} s; {failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
