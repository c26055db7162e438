# coreography's CPython driver: runs one experiment on this interpreter with the
# standard library only (CPython 3.8 to 3.14, free-threaded builds included) and
# streams what every task did to the app, one line per record, on stdout.
#
#   driver.py probe      prints the interpreter's version, build and a calibration
#   driver.py run        reads one JSON config line on stdin, runs it, streams records
#
# Records (times are time.monotonic_ns(), the app's CLOCK_MONOTONIC):
#   R t                              ready: the first task is about to be submitted
#   B task pid tid t cpu kind        a task starts, with its first step (c, i or h)
#   K task pid tid t cpu kind        the task moves on to its next step
#   E task pid tid t cpu submit      the task ended; submit is when it was submitted
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
HTTP_URL = ""
PID = os.getpid()


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


def fetch(d_ns):
    import urllib.request
    with urllib.request.urlopen("%s/wait?d=%dns" % (HTTP_URL, d_ns), timeout=120) as r:
        r.read()


KIND = {"cpu": "c", "io": "i", "http": "h"}


def run_task(i, steps, payload, out, submit, work):
    """Runs one task on the calling thread and reports it. Module level, so a process
    pool can pickle it by name."""
    tid = native_id()
    tiny = work < TINY_NS
    buf = []
    for n, (kind, d) in enumerate(steps):
        line = "%s %d %d %d %d %d %s\n" % ("K" if n else "B", i, PID, tid, now(), cpu_now(), KIND[kind])
        if tiny:
            buf.append(line)
        else:
            emit(line.encode())
        if kind == "cpu":
            spin(int(d * ITERS_PER_NS))
        elif kind == "io":
            time.sleep(d / 1e9)
        else:
            fetch(d)
    buf.append("E %d %d %d %d %d %d\n" % (i, PID, tid, now(), cpu_now(), submit))
    emit("".join(buf).encode())
    return bytes(out)


def worker_init(iters, url, driver):
    """Runs first in every pool worker process: the settings, and death with its parent
    (the driver, or the forkserver, which dies with the driver)."""
    global ITERS_PER_NS, HTTP_URL, PID
    ITERS_PER_NS, HTTP_URL, PID = iters, url, os.getpid()
    die_with_parent(driver)


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
    tasks = []
    for g in groups:
        steps = tuple((s[0], int(s[1])) for s in g["steps"])
        work = sum(d for _, d in steps)
        payload = bytes(int(g.get("in", 0)))
        out = int(g.get("out", 0))
        tasks.extend([(steps, payload, out, work)] * int(g["count"]))
    return tasks


def name_threads():
    lines = "".join("N %d %d %s\n" % (PID, t.native_id, t.name.replace(" ", "_"))
                    for t in threading.enumerate() if t.native_id)
    emit(lines.encode())


class Submitted:
    """The task arguments in submission order, stamping each with when the pool took it."""

    def __init__(self, tasks):
        self.tasks = tasks

    def __iter__(self):
        for i, (steps, payload, out, work) in enumerate(self.tasks):
            yield i, steps, payload, out, now(), work


def star(args):
    return run_task(*args)


def run_threads(cfg, tasks):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=cfg["workers"]) as ex:
        emit(b"R %d\n" % now())
        for _ in ex.map(star, Submitted(tasks)):
            pass
        name_threads()
        done()


def pool_context(cfg):
    import multiprocessing
    return multiprocessing.get_context(cfg.get("start") or None)


def run_processes(cfg, tasks):
    from concurrent.futures import ProcessPoolExecutor
    ex = ProcessPoolExecutor(max_workers=cfg["workers"], mp_context=pool_context(cfg),
                             initializer=worker_init, initargs=(ITERS_PER_NS, HTTP_URL, PID))
    with ex:
        emit(b"R %d\n" % now())
        results = ex.map(star, Submitted(tasks), chunksize=cfg["chunk"])
        name_threads()
        for _ in results:
            pass
        name_threads()  # the queue's feeder thread starts after the first submit
        done()


def run_pool(cfg, tasks):
    # Pool.map with its own chunking: imap with the chunk size map would choose
    # (len/(4*workers), rounded up) does the same work and reports results as they come.
    ctx = pool_context(cfg)
    with ctx.Pool(cfg["workers"], initializer=worker_init, initargs=(ITERS_PER_NS, HTTP_URL, PID)) as pool:
        emit(b"R %d\n" % now())
        results = pool.imap(star, Submitted(tasks), chunksize=cfg["chunk"])
        name_threads()
        for _ in results:
            pass
        done()


def run_serial(cfg, tasks):
    emit(b"R %d\n" % now())
    for args in Submitted(tasks):
        star(args)
    done()


async def fetch_async(d_ns):
    import asyncio
    from urllib.parse import urlsplit
    u = urlsplit(HTTP_URL)
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    writer.write(b"GET /wait?d=%dns HTTP/1.0\r\nHost: %s\r\n\r\n" % (d_ns, u.netloc.encode()))
    await writer.drain()
    await reader.read()
    writer.close()


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


async def run_coroutine(batch, i, steps, payload, out, submit, work):
    import asyncio
    tid = native_id()
    for n, (kind, d) in enumerate(steps):
        batch.add("%s %d %d %d %d %d %s\n" % ("K" if n else "B", i, PID, tid, now(), cpu_now(), KIND[kind]))
        if kind == "cpu":
            spin(int(d * ITERS_PER_NS))
        elif kind == "io":
            await asyncio.sleep(d / 1e9)
        else:
            await fetch_async(d)
    batch.add("E %d %d %d %d %d %d\n" % (i, PID, tid, now(), cpu_now(), submit))
    return bytes(out)


def run_asyncio(cfg, tasks):
    import asyncio
    batch = Batch()

    async def flusher():
        while True:
            await asyncio.sleep(0.005)
            batch.flush()

    async def main():
        emit(b"R %d\n" % now())
        ticking = asyncio.ensure_future(flusher())
        await asyncio.gather(*[run_coroutine(batch, *args) for args in Submitted(tasks)])
        ticking.cancel()
        batch.flush()
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
        "start_methods": __import__("multiprocessing").get_all_start_methods(),
    }))


RUNNERS = {"py-serial": run_serial, "py-threads": run_threads, "py-processes": run_processes,
           "py-pool": run_pool, "py-asyncio": run_asyncio}


def main():
    global ITERS_PER_NS, HTTP_URL
    if sys.argv[1:] == ["probe"]:
        probe()
        return
    cfg = json.loads(sys.stdin.readline())
    ITERS_PER_NS, HTTP_URL = float(cfg["iters_per_ns"]), cfg.get("http", "")
    if cfg.get("switch_interval"):
        sys.setswitchinterval(cfg["switch_interval"])
    start_reaper()
    threading.Thread(target=watchdog, name="watchdog", daemon=True).start()
    try:
        RUNNERS[cfg["model"]](cfg, expand(cfg["groups"]))
    except BaseException as e:  # report any failure as one line, then die with the tree
        emit(("X %s: %s\n" % (type(e).__name__, str(e).replace("\n", " "))).encode())
        sys.stdout.flush()
        kill_tree()


if __name__ == "__main__":
    main()
