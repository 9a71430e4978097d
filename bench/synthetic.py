"""A synthetic corpus built from seeds/ with varied names, numbers and dates, for benchmarks."""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = ["Berg", "Novak", "Haddad", "Rossi", "Olsen", "Kral", "Lind", "Moreau", "Kowalski", "Dimitrov"]
FIRST = ["Anna", "Tomas", "Leila", "Marco", "Ingrid", "Pavel", "Sofia", "Jean", "Ewa", "Nikolai"]
NUMBER = re.compile(r"\b\d[\d,]*\b")
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def synthetic_texts(count: int, *, seed: int = 7) -> list[str]:
    """count article texts made from the seeds: numbers, dates and people changed so no two are alike."""
    rng = random.Random(seed)
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts = []
    for i in range(count):
        text = seeds[i % len(seeds)]
        text = NUMBER.sub(lambda m: str(rng.randint(2, 900_000)), text)
        text = DATE.sub(lambda m: f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", text)
        text = text.replace("Macron", rng.choice(SURNAMES))
        text = text.replace("Olga Winter", f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}")
        texts.append(f"{text}\n\nReference {i}-{rng.random():.6f}.\n")
    return texts


def write_corpus(folder: Path, count: int, *, seed: int = 7) -> None:
    for i, text in enumerate(synthetic_texts(count, seed=seed)):
        (folder / f"article_{i:05d}.txt").write_text(text, "utf-8")
