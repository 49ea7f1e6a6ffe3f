"""corpus_pkg._pool.in_order: results in item order, without a slow item holding back the others."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, ThreadPoolExecutor

import pytest

from corpus_pkg import _pool
from corpus_pkg._dask import _first_done as dask_first_done
from corpus_pkg._pool import AHEAD, LocalPool, Work, in_order


def test_a_slow_first_item_does_not_stop_the_next_ones_from_running() -> None:
    """Item 0 finishes only once every other item has run: with results taken strictly in turn (the
    old window of 2 submitted and not consumed) the others would never start and this would hang."""
    n, window = 12, 2
    finished = []  # the items other than 0 that have run
    all_others = threading.Event()

    def job(i: int) -> int:
        if i == 0:
            assert all_others.wait(timeout=20), "item 0 waited in vain: the others were never submitted"
        else:
            finished.append(i)
            if len(finished) == n - 1:
                all_others.set()
        return i * i

    with ThreadPoolExecutor(max_workers=window) as pool:
        pairs = list(in_order(lambda i: pool.submit(job, i), range(n), window))
    assert [result for _, result in pairs] == [i * i for i in range(n)]


def test_at_most_window_items_run_and_at_most_ahead_times_window_wait() -> None:
    window = 2
    running = 0
    most_running = 0
    submitted = consumed = 0
    most_waiting = 0
    lock = threading.Lock()
    release_first = threading.Event()

    def job(i: int) -> int:
        nonlocal running, most_running
        with lock:
            running += 1
            most_running = max(most_running, running)
        if i == 0:
            release_first.wait(timeout=20)
        with lock:
            running -= 1
        return i

    def submit(i: int):
        nonlocal submitted, most_waiting
        submitted += 1
        most_waiting = max(most_waiting, submitted - consumed)
        if submitted == AHEAD * window:  # as far ahead as it may go: let the first one finish
            release_first.set()
        return pool.submit(job, i)

    with ThreadPoolExecutor(max_workers=4) as pool:
        out = []
        for _future, result in in_order(submit, range(50), window):
            out.append(result)
            consumed += 1
    assert out == list(range(50))
    assert most_running <= window
    # it ran ahead of the slow item up to the bound (+1: the future just handed back, not yet counted here)
    assert AHEAD * window <= most_waiting <= AHEAD * window + 1


def test_the_process_pool_gives_results_in_item_order() -> None:
    pool = LocalPool(workers=2)
    work = Work(_square_after, 0)
    assert list(pool.map_in_order(work, [5, 0, 3, 0, 1, 0, 0, 2], n_docs=1000)) == [25, 0, 9, 0, 1, 0, 0, 4]
    assert _pool.worker_count(2, 10) == 2


def _square_after(_settings: int, item: int) -> int:
    import time

    time.sleep(item / 20)  # later items finish first
    return item * item


def test_a_result_is_seen_as_soon_as_it_is_in_before_later_items_are_prepared() -> None:
    """A build stops converting shards once one reports an error; the error must count from when its
    shard finishes, not from when the slower shards before it are handed back."""
    failed = False
    flags: dict[int, bool] = {}
    first_may_finish = threading.Event()

    def job(i: int) -> str:
        if i == 0:
            first_may_finish.wait(timeout=20)  # the head of the queue stays unfinished meanwhile
        return "bad" if i == 1 else "ok"

    def seen(result: str) -> None:
        nonlocal failed
        failed = failed or result == "bad"

    def submit(i: int):
        flags[i] = failed  # what a caller's prepare() would see for item i
        if i == 9:
            first_may_finish.set()
        return pool.submit(job, i)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [result for _, result in in_order(submit, range(10), 2, seen=seen)]
    assert results == ["ok", "bad"] + ["ok"] * 8
    assert flags == {0: False, 1: False, **{i: True for i in range(2, 10)}}


class _Future:
    """A future driven by the test, with Dask's quirk: a finished one can be lost (its worker died)
    and finish again when recomputed."""

    def __init__(self, value: int) -> None:
        self.value = value
        self.event = threading.Event()
        self.callbacks: list = []
        self.was_cancelled = False
        self.results_fetched = 0

    def done(self) -> bool:
        return self.event.is_set()

    def cancelled(self) -> bool:
        return self.was_cancelled

    def exception(self) -> BaseException | None:
        return None

    def result(self) -> int:
        self.event.wait()
        if self.was_cancelled:
            raise CancelledError
        self.results_fetched += 1
        return self.value

    def add_done_callback(self, callback) -> None:
        if self.done():
            callback(self)
        else:
            self.callbacks.append(callback)

    def finish(self, cancelled: bool = False) -> None:
        self.was_cancelled = cancelled
        self.event.set()
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback(self)

    def lose(self) -> None:
        self.event.clear()


def _drive(seen=None) -> tuple[dict[int, _Future], list, threading.Thread, list]:
    futures: dict[int, _Future] = {}
    out: list = []
    noticed: list = []  # the items in_order was told were done

    def submit(i: int) -> _Future:
        futures[i] = _Future(i)
        return futures[i]

    def wait_any(running: set) -> set:
        # with nothing to wait for, Dask's wait would return at once (a busy loop) or never
        assert running, "waited on no future while an item was unfinished"
        done = dask_first_done(running)
        noticed.extend(future.value for future in done)
        return done

    def consume() -> None:
        try:
            for _future, result in in_order(submit, range(2), 4, wait_any, seen):
                out.append(result)
        except CancelledError:
            out.append("cancelled")

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    _until(lambda: len(futures) == 2)
    return futures, out, thread, noticed


def _until(condition) -> None:
    for _ in range(2000):
        if condition():
            return
        threading.Event().wait(0.005)
    raise AssertionError("timed out")


@pytest.mark.parametrize("with_seen", [False, True])
def test_a_result_lost_after_it_finished_is_waited_for_again(with_seen: bool) -> None:
    """Item 1 finishes and is noticed, then its worker dies and it is recomputed while item 0 runs:
    the pairs still come, in order (waiting on the unfinished items only would hang)."""
    seen: list = []
    futures, out, thread, noticed = _drive(seen.append if with_seen else None)
    futures[1].finish()
    _until(lambda: 1 in noticed and (not with_seen or seen == [1]))
    futures[1].lose()
    futures[0].finish()
    _until(lambda: out[:1] == [0])  # with seen, item 1's result (already fetched) follows at once
    futures[1].finish()  # recomputed
    thread.join(5)
    assert not thread.is_alive() and out == [0, 1]
    if with_seen:
        assert seen == [0, 1] or seen == [1, 0]
        assert futures[1].results_fetched == 1  # the result seen is the one handed back


def test_a_cancelled_item_raises_in_its_turn() -> None:
    futures, out, thread, _noticed = _drive(seen=lambda result: None)
    futures[1].finish(cancelled=True)
    futures[0].finish()
    thread.join(5)
    assert out == [0, "cancelled"]


def test_a_window_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="window must be at least 1"):
        list(in_order(lambda i: i, range(3), 0))
