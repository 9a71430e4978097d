"""Many concurrent dashboard sessions against one local server: filter, export, measure.

Usage: python bench/load.py [--sessions 20] [--rounds 3] [--think 5.0] [--corpus seeds/] [--url URL]
                            [--time-limit 900] [--option runner.postScriptGC=true ...]

Starts `streamlit run dashboard/app.py -- CORPUS` on a free loopback port (or uses --url, a loopback
address only) and opens --sessions sessions on it, spread over the Figures, Sources, Entities and Positions
views. Once all are open at the same time, every session runs --rounds rounds of: search the sentences
(sidebar "Sentences containing", f.q), download the view's first table as CSV, pick an outlet (f.outlets),
drop it again, clear the search. Before each step a session waits a random 0.5x-1.5x --think seconds, as a
reader would.

Each session is a websocket client speaking Streamlit's own protocol (its protobufs, `streamlit.proto`) the
way the browser does: a widget change is a `rerun_script` message with the widget states this client has set
(the browser sends every widget's; the server keeps the others' values), a download click is a
`backend_operation_request` for the button's deferred file followed by the click's rerun (none when the
button says on_click="ignore"), and the file is fetched over HTTP as soon as its URL arrives. No browser
runs, so on a small machine the figures are the server's, not a browser's drawing competing with it for the
same cores (20 Chromium pages on 2 cores time out on their own). Every rerun is checked: it must end without
an exception element and its filter line must name the filter just set (so a run that ignored the change
counts as an error).

Printed: sessions held open at once, rerun p50/p95/max (filter changes: from sending the change to the run's
`script_finished`), CSV exports (from the click to the whole file received), reruns per second, errors, and
the server's memory (RSS) before the sessions and at its peak.

Bounded: at most 50 sessions, 20 rounds, 1,800 s; loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS, MAX_ROUNDS, MAX_SECONDS = 50, 20, 1800
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
VIEWS = ["figures", "sources", "entities", "positions"]
SEARCHES = ["Ukraine", "guarantees", "Russia", "force"]  # each leaves a table to export in every view
STEP_TIMEOUT = 120  # seconds for one step of one session


class BenchError(Exception):
    pass


@dataclass
class Results:
    reruns: list[float] = field(default_factory=list)  # ms, filter changes
    warm_reruns: list[float] = field(default_factory=list)  # the same, after each session's first round
    click_reruns: list[float] = field(default_factory=list)  # ms, the rerun a download click starts
    exports: list[float] = field(default_factory=list)  # ms, click to file
    errors: list[str] = field(default_factory=list)
    opened: int = 0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else float("nan")


def rss_mb(pid: int | None) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, TypeError):
        pass
    return None


class Session:
    """One browser tab's worth of Streamlit session, driven over its websocket."""

    def __init__(self, base: str, view: str):
        self.base, self.view = base, view
        self.session_id = self.page_hash = self.query = ""
        self.states: dict[str, WidgetState] = {}  # what this "browser" holds for each widget it has touched
        self.widgets: dict[str, object] = {}  # user key -> the widget's element proto (last run)
        self.csv: object | None = None  # the first CSV download button of the last run
        self.captions: list[str] = []
        self.exceptions: list[str] = []
        self.finished = asyncio.Queue()
        self.responses: dict[str, asyncio.Future] = {}
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def open(self) -> None:
        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        self.reader = asyncio.create_task(self._read())
        await self._run(page_name=self.view)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        async for frame in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "navigation":  # st.navigation names the page this run shows
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)
            elif kind == "script_finished":
                self.finished.put_nowait(msg.script_finished)
            elif kind == "backend_operation_response":
                future = self.responses.pop(msg.backend_operation_response.request_id, None)
                if future and not future.done():
                    future.set_result(msg.backend_operation_response)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "markdown" and "articles" in element.markdown.body:
            self.captions.append(element.markdown.body)
        elif kind == "download_button" and element.download_button.label == "CSV" and self.csv is None:
            self.csv = element.download_button
        elif kind in ("text_input", "multiselect"):
            widget = getattr(element, kind)
            self.widgets[widget.id.rsplit("-", 1)[-1]] = widget

    async def _run(self, *, page_name: str = "", trigger: str | None = None) -> float:
        """Send one rerun (all widget states held, plus a trigger if given); ms until it finished."""
        self.captions, self.exceptions, self.csv = [], [], None
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = page_name
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.widget_states.widgets.extend(self.states.values())
        if trigger:
            msg.rerun_script.widget_states.widgets.add(id=trigger, trigger_value=True)
        begin = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            status = await asyncio.wait_for(self.finished.get(), STEP_TIMEOUT)
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                break
        elapsed = (time.perf_counter() - begin) * 1000
        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
            raise BenchError(f"run ended with status {status}")
        if self.exceptions:
            raise BenchError(f"exception on the page: {self.exceptions[0]}")
        return elapsed

    async def change(self, key: str, **value) -> float:
        """Set a sidebar widget (by its key) as a browser would and time the rerun."""
        widget = self.widgets.get(key)
        if widget is None:
            raise BenchError(f"no widget {key} on the page")
        state = WidgetState(id=widget.id)
        if "text" in value:
            state.string_value = value["text"]
        else:
            state.string_array_value.data.extend(value["items"])
        self.states[widget.id] = state
        return await self._run()

    async def export(self) -> tuple[float, float | None]:
        """Click the first CSV button: ask for its deferred file, rerun, fetch the file.
        Returns (ms from click to file, ms of the click's rerun)."""
        button = self.csv
        if button is None or not button.deferred_file_id:
            raise BenchError("no CSV download button on the page")
        request_id = str(uuid.uuid4())
        response = asyncio.get_running_loop().create_future()
        self.responses[request_id] = response
        msg = BackMsg()
        msg.backend_operation_request.request_id = request_id
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = button.deferred_file_id
        begin = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        # The click's own rerun (unless the button says on_click="ignore"), sent right after as the browser
        # does; the file is fetched as soon as its URL arrives, while that rerun may still be going.
        rerun = None if button.ignore_rerun else asyncio.create_task(self._run(trigger=button.id))
        try:
            answer = await asyncio.wait_for(response, STEP_TIMEOUT)
            if answer.error_msg or not answer.deferred_file.url:
                raise BenchError(f"download refused: {answer.error_msg or 'no url'}")
            url = urllib.parse.urljoin(self.base + "/", answer.deferred_file.url)
            data = await asyncio.to_thread(self._fetch, url)
            elapsed = (time.perf_counter() - begin) * 1000
        finally:
            rerun_ms = await rerun if rerun else None
        if not (data.startswith(b"\xef\xbb\xbf") and b"," in data.split(b"\n", 1)[0]):
            raise BenchError("the download is not a CSV table")
        return elapsed, rerun_ms

    @staticmethod
    def _fetch(url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=STEP_TIMEOUT) as response:
            return response.read()

    def expect_caption(self, wanted: str) -> None:
        if not any(wanted in caption for caption in self.captions):
            raise BenchError(f"the filter line does not say {wanted!r}: {self.captions[:1]}")


async def pause(seconds: float) -> None:
    await asyncio.sleep(random.uniform(0.5, 1.5) * seconds)


async def run_session(index: int, base: str, args, results: Results, start: asyncio.Event) -> None:
    view = VIEWS[index % len(VIEWS)]
    session = Session(base, view)

    async def step(name: str, work, round_: int) -> None:
        """One step (work: a coroutine, started after the pause); a refused or failed step is counted and
        the session goes on. A lost connection or a timeout ends the session."""
        await pause(args.think)
        try:
            await work
        except (BenchError, urllib.error.URLError) as exc:
            results.errors.append(f"session {index} ({view}), round {round_}, {name}: {type(exc).__name__}: "
                                  f"{str(exc)[:160]}")

    async def rerun(round_: int, key: str, expected: str, **value) -> None:
        ms = await session.change(key, **value)
        results.reruns.append(ms)
        if round_:
            results.warm_reruns.append(ms)
        session.expect_caption(expected)

    async def export() -> None:
        ms, click_rerun = await session.export()
        results.exports.append(ms)
        if click_rerun is not None:
            results.click_reruns.append(click_rerun)

    try:
        await asyncio.wait_for(session.open(), STEP_TIMEOUT * 2)
        outlets = list(session.widgets["f.outlets"].options)
        results.opened += 1
        await start.wait()  # every session is open before any starts working
        for round_ in range(args.rounds):
            term = SEARCHES[(index + round_) % len(SEARCHES)]
            outlet = outlets[(index + round_) % len(outlets)]
            searching = f"sentences containing “{term}”"
            await step(f"search {term!r}", rerun(round_, "f.q", searching, text=term), round_)
            await step("CSV export", export(), round_)
            await step(f"pick {outlet!r}", rerun(round_, "f.outlets", outlet, items=[outlet]), round_)
            await step("drop the outlet", rerun(round_, "f.outlets", searching, items=[]), round_)
            await step("clear the search", rerun(round_, "f.q", "All ", text=""), round_)
    except Exception as exc:  # a timeout or a lost connection ends this session, not the bench
        results.errors.append(f"session {index} ({view}) stopped: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await session.close()


async def drive(base: str, args, server_pid: int | None) -> tuple[Results, int, float, float | None]:
    results, start, peak = Results(), asyncio.Event(), rss_mb(server_pid)
    tasks = [asyncio.create_task(run_session(i, base, args, results, start)) for i in range(args.sessions)]
    deadline = time.monotonic() + STEP_TIMEOUT * 2 + 10
    while results.opened + sum(t.done() for t in tasks) < args.sessions and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        peak = max((m for m in (peak, rss_mb(server_pid)) if m is not None), default=None)
    held = results.opened
    print(f"{held} of {args.sessions} sessions open at once; working…", flush=True)
    began = time.perf_counter()
    start.set()
    pending = set(tasks)
    while pending:
        _done, pending = await asyncio.wait(pending, timeout=0.5)
        peak = max((m for m in (peak, rss_mb(server_pid)) if m is not None), default=None)
    return results, held, time.perf_counter() - began, peak


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_server(corpus: str, log, options: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    flags = [part for option in options for part in ("--" + option.split("=", 1)[0], option.split("=", 1)[1])]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *flags, "--", corpus],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    return server, f"http://127.0.0.1:{port}"


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none"
    return (f"{name}: {len(values)}, p50 {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds before each step of a session")
    parser.add_argument("--corpus", default=str(ROOT / "seeds"))
    parser.add_argument("--url", help="an already running local server (loopback only)")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--option", action="append", default=[], metavar="SECTION.NAME=VALUE",
                        help="a streamlit option for the server started here (runner.postScriptGC=true)")
    args = parser.parse_args()
    if any("=" not in option for option in args.option):
        raise SystemExit("--option takes SECTION.NAME=VALUE")
    if not (1 <= args.sessions <= MAX_SESSIONS and 1 <= args.rounds <= MAX_ROUNDS and 0 <= args.think <= 30
            and 0 < args.time_limit <= MAX_SECONDS):
        raise SystemExit(f"bounds: 1-{MAX_SESSIONS} sessions, 1-{MAX_ROUNDS} rounds, think 0-30 s, "
                         f"time limit up to {MAX_SECONDS} s")

    server, log, base = None, None, args.url
    if base:
        if urllib.parse.urlsplit(base).hostname not in LOOPBACK:
            raise SystemExit("--url must be a loopback address (127.0.0.1, localhost, ::1)")
        base = base.rstrip("/")
    else:
        log = tempfile.TemporaryFile()
        server, base = start_server(args.corpus, log, args.option)
    try:
        deadline = time.monotonic() + 180
        while not healthy(base):
            if (server and server.poll() is not None) or time.monotonic() > deadline:
                raise SystemExit(f"no healthy server at {base}")
            time.sleep(0.3)
        pid = server.pid if server else None
        before = rss_mb(pid)
        print(f"server {base}; {args.sessions} sessions x {args.rounds} rounds, think {args.think} s"
              + (f"; server RSS before the first session: {before:.0f} MB" if before else ""), flush=True)
        results, held, elapsed, peak = asyncio.run(asyncio.wait_for(drive(base, args, pid), args.time_limit))
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    if log is not None:
        log.seek(0)
        output = log.read().decode(errors="replace")
        if tracebacks := output.count("Traceback (most recent call last)"):
            results.errors.append(f"server log: {tracebacks} traceback(s)")
            print(output[-3000:], file=sys.stderr)

    print(f"sessions held open at once: {held} of {args.sessions}")
    print(summary("reruns after a filter change", results.reruns))
    print(summary("  of which after each session's first round", results.warm_reruns))
    print(summary("reruns started by a download click", results.click_reruns))
    print(summary("CSV exports (click to whole file)", results.exports))
    print(f"throughput: {(len(results.reruns) + len(results.click_reruns)) / elapsed:.1f} reruns/s and "
          f"{len(results.exports) / elapsed:.1f} exports/s over {elapsed:.0f} s")
    if peak is not None:
        print(f"server RSS peak: {peak:.0f} MB")
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:20]:
        print(f"  {error}")
    sys.exit(1 if results.errors or held < args.sessions else 0)


if __name__ == "__main__":
    main()
