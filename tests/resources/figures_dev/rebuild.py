"""Rebuild sentences.json: real sentences with numbers from Wikinews (CC BY 2.5) and US government statements
(public domain), at most two per article, in five domains, split into tune and held-back halves.

Usage: python rebuild.py WIKINEWS_GIT STATE_DEPARTMENT_GIT WHITE_HOUSE_GIT > sentences.json, where the arguments
are git clones of vanatteveldt/wikinews, markschaver/State-Department-PR and markschaver/White-House-PR. The gold
annotations (gold.json) are tied to the sentence ids: rebuilding with other clones changes which sentences come.
"""

import csv
import html
import io
import json
import random
import re
import subprocess
import sys

csv.field_size_limit(10**9)
DOMAINS = {
    "war": r"\b(troops|military|missile|shelling|war|attack|attacks|army|killed|soldiers|drone|airstrike|militants"
           r"|weapons|invasion|forces)\b",
    "diplomacy": r"\b(minister|summit|talks|agreement|sanctions|embassy|diplomat|diplomatic|treaty|foreign|bilateral"
                 r"|delegation|ambassador|secretary|UN|NATO)\b",
    "economy": r"\b(economy|economic|GDP|inflation|market|shares|stock|budget|billion|trade|tax|unemployment"
               r"|revenue|bank|prices|growth|investment)\b",
    "energy": r"\b(oil|gas|energy|electricity|power plant|barrel|barrels|nuclear|solar|wind|fuel|coal|pipeline"
              r"|megawatts|OPEC|LNG)\b",
    "disasters": r"\b(earthquake|flood|flooding|hurricane|storm|wildfire|fire|cyclone|typhoon|collapse|magnitude"
                 r"|tsunami|landslide|volcano|evacuated|rescuers|dead|injured)\b",
}
NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
                    r"|hundred|thousand|million|billion|dozens|half|quarter|third|several)\b", re.IGNORECASE)


def git_show(repo: str, what: str) -> str:
    return subprocess.run(["git", "-C", repo, "show", what], capture_output=True, text=True, check=True).stdout


def sentences(text: str):
    """Sentences of 40 to 400 characters with a digit or a number word."""
    text = re.sub(r"\s+", " ", text)
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text):
        sentence = sentence.strip()
        if 40 <= len(sentence) <= 400 and NUMBER.search(sentence):
            yield sentence


def wikinews(repo: str):
    for year in ("2019", "2020"):
        for row in csv.DictReader(io.StringIO(git_show(repo, f"HEAD:data/wikinews_{year}.csv"))):
            body = row["text"].split("\n", 1)[1] if "\n" in row["text"] else row["text"]
            yield {"source": "wikinews", "url": row["url"], "date": row["date"], "title": row["title"],
                   "text": body.split("Sources")[0]}


def government(name: str, repo: str, every: int = 60):
    """Items of the RSS file's history, every `every`-th commit, each item once."""
    commits = subprocess.run(["git", "-C", repo, "log", "--format=%H"], capture_output=True, text=True,
                             check=True).stdout.split()
    seen = set()
    for commit in commits[::every]:
        for item in re.findall(r"<item>(.*?)</item>", git_show(repo, f"{commit}:data.rss"), re.S):
            link = re.search(r"<link>(.*?)</link>", item)
            content = re.search(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", item, re.S)
            if not link or not content or link.group(1) in seen:
                continue
            seen.add(link.group(1))
            title = html.unescape(re.sub(r"<.*?>", "", re.search(r"<title>(.*?)</title>", item, re.S).group(1)))
            date = re.search(r"<pubDate>(.*?)</pubDate>", item)
            body = html.unescape(re.sub(r"<[^>]+>", " ", content.group(1)))
            yield {"source": name, "url": link.group(1), "date": date.group(1) if date else "", "title": title,
                   "text": body}


def pick(articles: list[dict], seed: int = 20) -> list[dict]:
    """Two sentences at most per article, 72 per domain, half from each kind of source where both have enough."""
    random.seed(seed)
    pool: dict[str, list[dict]] = {domain: [] for domain in DOMAINS}
    for article in articles:
        counts = {d: len(re.findall(p, article["title"] + " " + article["text"], re.I)) for d, p in DOMAINS.items()}
        domain = max(counts, key=counts.get)
        if counts[domain] < 3:
            continue
        found = [s for s in sentences(article["text"]) if not re.search(r"https?://|@|\b(Tel|Phone|Fax)\b", s)]
        random.shuffle(found)
        for sentence in found[:2]:
            pool[domain].append({**{k: article[k] for k in ("source", "url", "date", "title")}, "domain": domain,
                                 "sentence": sentence})
    chosen = []
    for items in pool.values():
        random.shuffle(items)
        news = [i for i in items if i["source"] == "wikinews"]
        official = [i for i in items if i["source"] != "wikinews"]
        chosen += news[:36] + official[:36] if len(news) >= 36 and len(official) >= 36 else (news + official)[:72]
    random.shuffle(chosen)
    for i, item in enumerate(chosen):
        item["id"], item["split"] = f"s{i:03d}", "tune" if i % 2 == 0 else "held_back"
    return chosen


if __name__ == "__main__":
    wn, state, wh = sys.argv[1:4]
    found = list(wikinews(wn)) + list(government("state", state)) + list(government("wh", wh))
    keys = ("id", "split", "domain", "source", "url", "date", "title", "sentence")
    json.dump([{k: x[k] for k in keys} for x in pick(found)], sys.stdout, indent=1, ensure_ascii=False)
