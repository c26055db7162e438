# coreography's CPython driver: runs one experiment on this interpreter with the
# standard library only (CPython 3.8 to 3.14, free-threaded builds included) and
# streams what every task did to the app, one line per record, on stdout.
#
#   driver.py probe      prints the interpreter's version, build and a calibration
#   driver.py run        reads one JSON config line on stdin, runs it, streams records
#
# Records (times are time.monotonic_ns(), the app's CLOCK_MONOTONIC):
#   R t                              ready: the first task is about to be submitted
#   B task pid tid t cpu kind        a task starts, with its first step (c cpu or add,
#                                    x C code that releases the GIL, i io, h http)
#   K task pid tid t cpu kind        the task moves on to its next step
#   E task pid tid t cpu submit [f]  the task ended (f: it raised); submit is when it was submitted
#   C task t                         the task was cancelled before it started
#   V final                          what the shared counter read once every task was over
#   N pid tid name                   a thread's Python name
#   D t                              every result is back
#   X message                        the run failed
# cpu is time.thread_time_ns(): the thread's CPU clock.
#
# The app owns this process and starts it as the leader of a process group. Three
# things end the group, pool workers included: the app killing it, a watchdog thread
# seeing stdin close (the app is gone), and on Linux a reaper process told by the
# kernel when the driver dies (the app's Pdeathsig), with each worker's own Pdeathsig.
import json
import os
import sys
import threading
import time

now = time.monotonic_ns
cpu_now = time.thread_time_ns
native_id = threading.get_native_id

# Tasks whose steps add up to less than this write their records once, at the end:
# one write per task instead of one per step keeps the probe's cost on tiny tasks to a
# system call (about 1 µs) while longer tasks are reported as they start.
TINY_NS = 50000

ITERS_PER_NS = 0.0  # set from the config: pure-Python loop iterations per ns of CPU
HASH_BYTES_PER_NS = 0.0  # and bytes sha256 hashes per ns of CPU, for hash(d)
HTTP_URL = ""
PID = os.getpid()

# The shared counter of add(N) steps. COUNTER is a module global, so each pool worker
# process has its own copy, as any Python global does; VALUE is a multiprocessing.Value
# in shared memory, made by the driver when a task adds through it; GATE holds the
# first racing tasks back until all of them are ready, so their increments overlap.
COUNTER = 0
LOCK = threading.Lock()
VALUE = None
GATE = None
GATED = frozenset()  # the indices of the tasks that wait at GATE
VALUE_CALL = False  # add(N, call) is VALUE.value += 1 without get_lock() (processes)


class TaskFailed(Exception):
    """What a fail step raises: it surfaces at the future's result()."""


def emit(data):
    # Whole lines in one write of at most PIPE_BUF bytes are never interleaved with
    # another process's, so every worker can share the app's pipe.
    view = memoryview(data)
    while view:
        cut = len(view)
        if cut > 4096:
            cut = bytes(view[:4096]).rfind(b"\n") + 1 or 4096
        n = os.write(1, view[:cut])
        view = view[n:]


def spin(iterations):
    # The pure-Python work behind cpu(d): a loop the interpreter evaluates, so it holds
    # the GIL and honours its drop requests like any Python code.
    for _ in range(iterations):
        pass


# The app's loopback server closes a connection it has not heard a request on for a
# while when another user floods it; such a fetch got no answer at all and is made
# again, as the app's own client does.
FETCH_TRIES = 5


def fetch(d_ns):
    import urllib.request
    for tries_left in range(FETCH_TRIES - 1, -1, -1):
        try:
            with urllib.request.urlopen("%s/wait?d=%dns" % (HTTP_URL, d_ns), timeout=120) as r:
                r.read()
            return
        except ConnectionResetError:  # http.client.RemoteDisconnected too
            if not tries_left:
                raise


BUFFER = b""


def hash_for(d_ns):
    """hash(d): sha256 over a zero buffer, in 1 MB updates. hashlib lets the GIL go
    while it hashes a buffer this large, so other threads run Python meanwhile."""
    global BUFFER
    if not BUFFER:
        BUFFER = bytes(1 << 20)
    import hashlib
    h = hashlib.sha256()
    left = int(d_ns * HASH_BYTES_PER_NS)
    whole = memoryview(BUFFER)
    while left > 0:
        part = whole if left >= len(whole) else whole[:left]
        h.update(part)
        left -= len(part)
    return h.digest()


def plus_one(v):
    return v + 1


def add_with_call(n):
    """counter = plus_one(counter), n times: CPython may hand the GIL over inside the
    call, between the read and the write. Unrolled, so most of the places where a
    hand-off can land are inside a call rather than at the loop's backward jump."""
    global COUNTER
    for _ in range(n >> 2):
        v = COUNTER
        COUNTER = plus_one(v)
        v = COUNTER
        COUNTER = plus_one(v)
        v = COUNTER
        COUNTER = plus_one(v)
        v = COUNTER
        COUNTER = plus_one(v)
    for _ in range(n & 3):
        v = COUNTER
        COUNTER = plus_one(v)


def add(n, sync):
    """add(N) as Python code spells it: counter += 1 is a load and a store, which the
    GIL of CPython 3.10+ hands over only at calls and backward jumps."""
    global COUNTER
    if sync == "lock":
        for _ in range(n):
            with LOCK:
                COUNTER += 1
    elif sync == "shared":
        lock = VALUE.get_lock()
        for _ in range(n):
            with lock:
                VALUE.value += 1
    elif sync == "call" and VALUE_CALL:
        # Value's getter and setter each take its lock, but nothing holds it across both.
        for _ in range(n):
            VALUE.value += 1
    elif sync == "call":
        add_with_call(n)
    else:
        for _ in range(n):
            COUNTER += 1


def compute(kind, d, sync):
    """Does a step that keeps the thread busy (cpu, add, hash) and says so; False
    for any other, which the caller waits for or fails on in its own way."""
    if kind == "cpu":
        spin(int(d * ITERS_PER_NS))
    elif kind == "add":
        add(d, sync)
    elif kind == "hash":
        hash_for(d)
    else:
        return False
    return True


def start_gate(i):
    if GATE is not None and i in GATED:
        try:
            GATE.wait()
        except threading.BrokenBarrierError:
            pass  # a racer never came (a worker busy elsewhere): go on alone


KIND = {"cpu": "c", "add": "c", "hash": "x", "io": "i", "http": "h", "fail": "c"}


def run_task(i, steps, payload, out, submit, work):
    """Runs one task on the calling thread and reports it. Module level, so a process
    pool can pickle it by name. A fail step raises TaskFailed after reporting the end."""
    tid = native_id()
    tiny = work < TINY_NS
    buf = []
    failed, gated = False, False
    for n, (kind, d, sync) in enumerate(steps):
        if kind == "add" and not gated:
            gated = True
            start_gate(i)
        line = "%s %d %d %d %d %d %s\n" % ("K" if n else "B", i, PID, tid, now(), cpu_now(), KIND[kind])
        if tiny:
            buf.append(line)
        else:
            emit(line.encode())
        if compute(kind, d, sync):
            pass
        elif kind == "io":
            time.sleep(d / 1e9)
        elif kind == "http":
            fetch(d)
        else:
            failed = True
            break
    buf.append("E %d %d %d %d %d %d%s\n" % (i, PID, tid, now(), cpu_now(), submit, " f" if failed else ""))
    emit("".join(buf).encode())
    if failed:
        raise TaskFailed("task %d raised (a fail step)" % i)
    return bytes(out)


def worker_init(values, driver):
    """Runs first in every pool worker process: the settings, and death with its parent
    (the driver, or the forkserver, which dies with the driver)."""
    global PID
    PID = os.getpid()
    apply(values)
    die_with_parent(driver)


def settings():
    """What a pool worker process needs of the driver's globals, for its initializer."""
    return (ITERS_PER_NS, HASH_BYTES_PER_NS, HTTP_URL, VALUE, GATE, GATED, VALUE_CALL)


def apply(values):
    global ITERS_PER_NS, HASH_BYTES_PER_NS, HTTP_URL, VALUE, GATE, GATED, VALUE_CALL
    ITERS_PER_NS, HASH_BYTES_PER_NS, HTTP_URL, VALUE, GATE, GATED, VALUE_CALL = values


def die_with_parent(driver):
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        return
    # The driver (or the parent) may have died between the fork and prctl: follow it now.
    try:
        os.kill(driver, 0)
    except OSError:
        os._exit(1)
    if os.getppid() != parent or parent == 1:
        os._exit(1)


def start_reaper():
    """Forks, before any thread exists, a small process that kills the whole group when
    the driver dies however it dies (SIGKILL from the app's Pdeathsig included): pool
    helpers that outlive their parent, such as the forkserver, go with it."""
    if not sys.platform.startswith("linux") or os.getpgid(0) != os.getpid():
        return
    driver = os.getpid()
    if os.fork():
        return
    # Let go of the app's pipes, so their ends close when the driver's and workers' do.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    import ctypes
    import signal
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(driver, signal.SIGKILL))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except Exception:
        os._exit(1)
    if os.getppid() != driver:
        os.killpg(driver, signal.SIGKILL)
    while True:
        signal.pause()


FINISHED = threading.Event()


def done():
    """Every result is back: from now on stdin closing means "shut down as you would",
    so the pool's workers exit and are reaped (and their CPU is counted as the run's)."""
    FINISHED.set()
    emit(b"D %d\n" % now())


def watchdog():
    # stdin stays open while the app lives; end of file means it is gone.
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    if not FINISHED.is_set():
        kill_tree()


def kill_tree():
    try:
        if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
            import signal
            os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(3)


def expand(groups):
    """The tasks in submission order, each (steps, payload, out, work, phase)."""
    tasks = []
    for g in groups:
        steps = tuple((s[0], int(s[1]), s[2] if len(s) > 2 else "") for s in g["steps"])
        # A rough cost, only to tell tiny tasks from others: an increment is tens of ns.
        work = sum(d * 30 if kind == "add" else d for kind, d, _ in steps)
        payload = bytes(int(g.get("in", 0)))
        out = int(g.get("out", 0))
        tasks.extend([(steps, payload, out, work, int(g.get("phase", 0)))] * int(g["count"]))
    return tasks


def phases(tasks):
    """The task indices of each "then" phase, in order."""
    out = []
    for i, t in enumerate(tasks):
        if not out or t[4] != tasks[out[-1][0]][4]:
            out.append([])
        out[-1].append(i)
    return out


def prepare(cfg, tasks, ctx, barrier):
    """Makes what add steps share: the Value in shared memory, and the start gate that
    holds the first racing tasks (one per worker) until all of them are ready, as a
    threading.Barrier would, so their increments always overlap."""
    global VALUE, GATE, GATED, VALUE_CALL
    processes = cfg["model"] in ("py-processes", "py-pool")
    syncs = set(s[2] for t in tasks for s in t[0] if s[0] == "add")
    VALUE_CALL = processes and "call" in syncs
    if "shared" in syncs or VALUE_CALL:
        VALUE = ctx.Value("q", 0)
    adders = []
    for ids in phases(tasks):
        adders = [i for i in ids if any(s[0] == "add" for s in tasks[i][0])]
        if adders:
            break
    parties = min(cfg["workers"], len(adders))
    if parties > 1 and (not processes or cfg["chunk"] == 1):
        GATED = frozenset(adders[:parties])
        GATE = barrier(parties, timeout=2.0)


def tree_pss():
    """The proportional set size of this process and its children (the reaper), in
    bytes, from /proc: what the run's tree holds before its pool exists."""
    total, todo, seen = 0, [PID], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) << 10
            for task in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, StopIteration, ValueError):
            if pid == PID:
                return 0
    return total


def mark_memory(cfg):
    """M: what the tree holds before the pool starts, when the app measures memory."""
    if cfg.get("memory"):
        emit(b"M %d\n" % tree_pss())


def counted():
    """V: what the counter reads: the driver's own global, plus the shared Value."""
    emit(b"V %d\n" % (COUNTER + (VALUE.value if VALUE is not None else 0)))


def name_threads():
    lines = "".join("N %d %d %s\n" % (PID, t.native_id, t.name.replace(" ", "_"))
                    for t in threading.enumerate() if t.native_id)
    emit(lines.encode())


def args_of(tasks, i):
    """Task i's arguments for run_task, stamped with when it was submitted."""
    steps, payload, out, work, _ = tasks[i]
    return i, steps, payload, out, now(), work


def star(args):
    return run_task(*args)


def star_caught(args):
    try:
        return run_task(*args)
    except TaskFailed:
        return None  # reported by its E record; multiprocessing.Pool would end map here


def run_chunk(chunk):
    """One work item of a process pool. A lone task's exception travels back to its
    future's result(), as ProcessPoolExecutor's; in a longer chunk the others go on."""
    if len(chunk) == 1:
        return [run_task(*chunk[0])]
    out = []
    for args in chunk:
        try:
            out.append(run_task(*args))
        except TaskFailed as e:
            out.append(e)
    return out


CANCEL_AT = 0  # monotonic ns at which tasks still queued are cancelled; 0: never


def cancelled(ids):
    if ids:
        t = now()
        emit("".join("C %d %d\n" % (i, t) for i in ids).encode())


def past_cancel():
    return CANCEL_AT and now() >= CANCEL_AT


def cancel_pending(futures, owners):
    """Future.cancel() on every future, as shutdown(cancel_futures=True) does: those
    not yet running (for a process pool, not yet moved to its call queue) are cancelled."""
    cancelled([i for f, ids in zip(futures, owners) if f.cancel() for i in ids])


def settle(futures, owners):
    """Waits for a phase's futures; at cancel-after, cancels those still queued. Every
    exception surfaces here, at result(), as the caller of a pool sees it."""
    from concurrent.futures import CancelledError, wait
    if CANCEL_AT:
        left = CANCEL_AT - now()
        if left > 0:
            wait(futures, timeout=left / 1e9)
        if not all(f.done() for f in futures):
            cancel_pending(futures, owners)
    for f in futures:
        try:
            f.result()
        except (TaskFailed, CancelledError):
            pass


def run_executor(ex, cfg, tasks, chunk):
    """Submits each phase's tasks (chunk at a time) to ex and settles them in order."""
    for ids in phases(tasks):
        if past_cancel():
            cancelled(ids)
            continue
        if chunk == 0:
            owners = [[i] for i in ids]
            futures = [ex.submit(run_task, *args_of(tasks, i)) for i in ids]
        else:
            owners = [ids[k:k + chunk] for k in range(0, len(ids), chunk)]
            futures = [ex.submit(run_chunk, [args_of(tasks, i) for i in o]) for o in owners]
        name_threads()
        settle(futures, owners)


def run_threads(cfg, tasks):
    from concurrent.futures import ThreadPoolExecutor
    import multiprocessing
    # Threads share the driver's memory: threading's Barrier is the one they wait at.
    prepare(cfg, tasks, multiprocessing, threading.Barrier)
    mark_memory(cfg)
    with ThreadPoolExecutor(max_workers=cfg["workers"]) as ex:
        start(cfg)
        run_executor(ex, cfg, tasks, 0)
        name_threads()
        counted()
        done()


def pool_context(cfg):
    import multiprocessing
    return multiprocessing.get_context(cfg.get("start") or None)


def run_processes(cfg, tasks):
    from concurrent.futures import ProcessPoolExecutor
    ctx = pool_context(cfg)
    prepare(cfg, tasks, ctx, ctx.Barrier)
    mark_memory(cfg)
    ex = ProcessPoolExecutor(max_workers=cfg["workers"], mp_context=ctx,
                             initializer=worker_init, initargs=(settings(), PID))
    with ex:
        start(cfg)
        run_executor(ex, cfg, tasks, cfg["chunk"])
        name_threads()  # the queue's feeder thread starts after the first submit
        counted()
        done()


def run_pool(cfg, tasks):
    # Pool.map with its own chunking: imap with the chunk size map would choose
    # (len/(4*workers), rounded up) does the same work and reports results as they come.
    ctx = pool_context(cfg)
    prepare(cfg, tasks, ctx, ctx.Barrier)
    mark_memory(cfg)
    with ctx.Pool(cfg["workers"], initializer=worker_init, initargs=(settings(), PID)) as pool:
        start(cfg)
        for ids in phases(tasks):
            results = pool.imap(star_caught, [args_of(tasks, i) for i in ids], chunksize=cfg["chunk"])
            name_threads()
            for _ in results:
                pass
        counted()
        done()


def run_serial(cfg, tasks):
    import multiprocessing
    prepare(cfg, tasks, multiprocessing, threading.Barrier)
    mark_memory(cfg)
    start(cfg)
    for i in range(len(tasks)):
        if past_cancel():
            cancelled(list(range(i, len(tasks))))
            break
        try:
            run_task(*args_of(tasks, i))
        except TaskFailed:
            pass
    counted()
    done()


def start(cfg):
    """R: the clock starts, and with it cancel-after's."""
    global CANCEL_AT
    t = now()
    if cfg.get("cancel_after"):
        CANCEL_AT = t + int(cfg["cancel_after"])
    emit(b"R %d\n" % t)


async def fetch_async(d_ns):
    import asyncio
    from urllib.parse import urlsplit
    u = urlsplit(HTTP_URL)
    for tries_left in range(FETCH_TRIES - 1, -1, -1):
        try:
            reader, writer = await asyncio.open_connection(u.hostname, u.port)
            writer.write(b"GET %s/wait?d=%dns HTTP/1.0\r\nHost: %s\r\n\r\n" % (u.path.encode(), d_ns, u.netloc.encode()))
            await writer.drain()
            answer = await reader.read()
            writer.close()
        except ConnectionResetError:
            answer = b""
        if answer or not tries_left:
            return


class Batch:
    """Records of the event loop's thread, written every few milliseconds rather than
    one system call each: 10,000 coroutines would otherwise pay the app's probe
    more than they pay asyncio."""

    def __init__(self):
        self.lines = []

    def add(self, line):
        self.lines.append(line)
        if len(self.lines) >= 256:
            self.flush()

    def flush(self):
        if self.lines:
            emit("".join(self.lines).encode())
            self.lines = []


STARTED = set()  # coroutines that have begun: Task.cancel() stops only the others


async def run_coroutine(batch, i, steps, payload, out, submit, work):
    import asyncio
    STARTED.add(i)
    tid = native_id()
    failed = False
    for n, (kind, d, sync) in enumerate(steps):
        batch.add("%s %d %d %d %d %d %s\n" % ("K" if n else "B", i, PID, tid, now(), cpu_now(), KIND[kind]))
        if compute(kind, d, sync):
            pass
        elif kind == "io":
            await asyncio.sleep(d / 1e9)
        elif kind == "http":
            await fetch_async(d)
        else:
            failed = True
            break
    batch.add("E %d %d %d %d %d %d%s\n" % (i, PID, tid, now(), cpu_now(), submit, " f" if failed else ""))
    if failed:
        raise TaskFailed("task %d raised (a fail step)" % i)
    return bytes(out)


def run_asyncio(cfg, tasks):
    import asyncio
    import multiprocessing
    prepare(cfg, tasks, multiprocessing, threading.Barrier)
    batch = Batch()

    async def flusher():
        while True:
            await asyncio.sleep(0.005)
            batch.flush()

    async def main():
        mark_memory(cfg)
        start(cfg)
        ticking = asyncio.ensure_future(flusher())
        loop = asyncio.get_running_loop()
        for ids in phases(tasks):
            if past_cancel():
                cancelled(ids)
                continue
            running = [(i, asyncio.ensure_future(run_coroutine(batch, *args_of(tasks, i)))) for i in ids]

            def cancel_unstarted():
                gone = [i for i, t in running if i not in STARTED and t.cancel()]
                batch.flush()
                cancelled(gone)

            timer = loop.call_at(loop.time() + max(0, CANCEL_AT - now()) / 1e9, cancel_unstarted) if CANCEL_AT else None
            outcomes = await asyncio.gather(*[t for _, t in running], return_exceptions=True)
            if timer:
                timer.cancel()
            for o in outcomes:
                if isinstance(o, BaseException) and not isinstance(o, (TaskFailed, asyncio.CancelledError)):
                    raise o
        ticking.cancel()
        batch.flush()
        counted()
        done()

    asyncio.run(main())


def calibrate():
    """Loop iterations per ns of this thread's CPU: the best of several tries, so a
    loaded machine makes the figure no worse (CPU time, not wall time, is measured)."""
    n, best = 200000, 0.0
    for _ in range(7):
        t0 = cpu_now()
        spin(n)
        dt = cpu_now() - t0
        if dt > 0:
            best = max(best, n / dt)
    return best


def calibrate_hash():
    """Bytes sha256 hashes per ns of this thread's CPU, best of several tries."""
    global HASH_BYTES_PER_NS
    HASH_BYTES_PER_NS, best = 1.0, 0.0
    for _ in range(5):
        t0 = cpu_now()
        hash_for(8 << 20)
        dt = cpu_now() - t0
        if dt > 0:
            best = max(best, (8 << 20) / dt)
    return best


def probe():
    gil = True
    if hasattr(sys, "_is_gil_enabled"):
        gil = sys._is_gil_enabled()
    print(json.dumps({
        "version": "%d.%d.%d" % sys.version_info[:3],
        "full_version": sys.version,
        "implementation": sys.implementation.name,
        "executable": sys.executable,
        "gil": gil,
        "iters_per_ns": calibrate(),
        "hash_bytes_per_ns": calibrate_hash(),
        "start_methods": __import__("multiprocessing").get_all_start_methods(),
    }))


RUNNERS = {"py-serial": run_serial, "py-threads": run_threads, "py-processes": run_processes,
           "py-pool": run_pool, "py-asyncio": run_asyncio}


def main():
    global ITERS_PER_NS, HASH_BYTES_PER_NS, HTTP_URL
    if sys.argv[1:] == ["probe"]:
        probe()
        return
    cfg = json.loads(sys.stdin.readline())
    ITERS_PER_NS, HTTP_URL = float(cfg["iters_per_ns"]), cfg.get("http", "")
    HASH_BYTES_PER_NS = float(cfg.get("hash_bytes_per_ns") or 1.0)
    if cfg.get("switch_interval"):
        sys.setswitchinterval(cfg["switch_interval"])
    start_reaper()
    threading.Thread(target=watchdog, name="watchdog", daemon=True).start()
    try:
        runner = RUNNERS.get(cfg["model"])
        if runner is None:
            raise ValueError("no such model %r" % cfg["model"])
        runner(cfg, expand(cfg["groups"]))
    except BaseException as e:  # report any failure as one line, then die with the tree
        emit(("X %s: %s\n" % (type(e).__name__, str(e).replace("\n", " "))).encode())
        sys.stdout.flush()
        kill_tree()


if __name__ == "__main__":
    main()
