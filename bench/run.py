#!/usr/bin/env python3
"""run.py: times every benchmark (a WASI command) natively, under node (V8) and under
taho's interpreter and JIT in one run and prints a table of seconds and ratios.
bench/run.sh builds first and calls this. Timing is whole-process wall time, best of N; the native checksum is the
reference that node's and taho's must equal (exit status 1 if one differs)."""
import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, 'out')

# name: (default scale, --quick scale). Defaults take roughly 0.2-0.3 s natively on
# the project's machine; quick scales take a few milliseconds.
SCALES = {
    'matmul':      (800, 60),
    'sha256':      (60, 2),
    'nbody':       (2500000, 20000),
    'fannkuch':    (10, 7),
    'quicksort':   (3000000, 20000),
    'binarytrees': (16, 10),
    'mandelbrot':  (2000, 100),
    'hashmap':     (1200000, 10000),
    'parser':      (300000, 2000),
    'lz':          (7000, 64),
    'vm':          (150000, 2000),
    'wasmval':     (40, 1),
}


def parse_args():
    ap = argparse.ArgumentParser(prog='bench/run.sh',
                                 description='taho benchmark table (native vs node vs taho)')
    ap.add_argument('--quick', action='store_true', help='tiny scales, for CI smoke runs')
    ap.add_argument('--reps', type=int, default=3, help='runs per engine; the best counts (default 3)')
    ap.add_argument('--only', default='', help='comma-separated program names')
    ap.add_argument('--taho', default=os.environ.get('TAHO', os.path.join(ROOT, 'build', 'taho')),
                    help='taho binary (default build/taho, or $TAHO)')
    ap.add_argument('--taho-arg', action='append', default=[], metavar='ARG',
                    help='extra option for `taho run` (repeatable), e.g. to pick a tier')
    ap.add_argument('--node', default=os.environ.get('NODE', 'node'), help='node binary')
    ap.add_argument('--timeout', type=float, default=120.0,
                    help='seconds before one run counts as failed (default 120)')
    ap.add_argument('--long', type=float, default=15.0,
                    help='an engine whose run took longer than this many seconds is not '
                         'repeated (default 15): noise matters little at that length')
    ap.add_argument('--cpu', action='store_true',
                    help='time user+system CPU seconds instead of wall time: steadier on a '
                         'busy machine, but counts the work of all threads (node compiles '
                         'and collects garbage on helper threads)')
    ap.add_argument('--json', metavar='FILE', help='also write the results as JSON')
    return ap.parse_args()


def last_int(text):
    """The checksum: the last non-empty line must be one integer, optionally typed
    ("-5", "i32:-5", "-5:i32"); returned as an unsigned 32-bit value so signed and
    unsigned printings compare equal. Anything else (a usage or version line) is None."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    m = re.fullmatch(r'(?:i32\s*[:=]?\s*)?(-?\d+)(?:\s*:\s*i32)?', lines[-1]) if lines else None
    return int(m.group(1)) & 0xffffffff if m else None


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_once(cmd, timeout, cpu=False):
    """Returns (seconds, checksum, error text or None) for one whole-process run: wall
    time, or with cpu=True the user+system time of the process (all its threads)."""
    start, start_cpu = time.perf_counter(), cpu_seconds()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, 'timeout'
    except OSError as e:
        return None, None, str(e)
    secs = cpu_seconds() - start_cpu if cpu else time.perf_counter() - start
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or [''])[-1]
        for word in cmd:   # "taho: /long/path/x.wasm: msg" reads better as "msg"
            msg = msg.replace(word + ': ', '').replace(os.path.basename(word) + ': ', '')
        return None, None, ('exit %d: %s' % (p.returncode, msg[:70])).rstrip(': ')
    value = last_int(p.stdout)
    if value is None:
        return None, None, 'no checksum in output'
    return secs, value, None


def engines(args):
    """Each engine: name -> function(program, scale) -> command line, or None if absent."""
    node = shutil.which(args.node)
    taho = args.taho if os.access(args.taho, os.X_OK) else None
    wasm = lambda n: os.path.join(OUT, n + '.wasm')
    # Every program is a WASI command: `PROG SCALE` prints the checksum, natively and in
    # each engine alike.
    return {
        'native': lambda n, s: [os.path.join(OUT, 'native', n), str(s)],
        'node': (lambda n, s: [node, '--no-liftoff', '--no-warnings',
                               os.path.join(HERE, 'node-run.js'), wasm(n), str(s)])
                if node else None,
        'taho': (lambda n, s: [taho, 'run'] + args.taho_arg + [wasm(n), str(s)])
                if taho else None,
        # the LLVM tier, compiling at load (whole-process time includes compilation;
        # --no-cache: the on-disk cache would make every run after the first an aot run)
        'jit': (lambda n, s: [taho, 'run', '--no-cache', '--engine', 'jit'] + args.taho_arg +
                [wasm(n), str(s)]) if taho else None,
        # the same code compiled ahead of time (`taho compile`, before the timing)
        'aot': (lambda n, s: [taho, 'run'] + args.taho_arg + [artifact(n), str(s)])
               if taho else None,
    }


def artifact(n):
    return os.path.join(OUT, n + '.taho')


def compile_all(names, engs, args):
    """`taho compile` each program once (not timed here: bench/compile.sh reports compile
    speed); a program that fails to compile gets no aot column."""
    if engs['aot'] is None:
        return
    for n in names:
        cmd = [args.taho, 'compile', os.path.join(OUT, n + '.wasm'), '-o', artifact(n)]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            print('note: taho compile %s failed: %s' % (n, r.stderr.strip()), file=sys.stderr)
            try:
                os.unlink(artifact(n))
            except OSError:
                pass


def measure(name, scale, engs, args):
    """Best-of-N per engine, the engines interleaved within each repetition so a busy
    moment on the machine hits all of them alike."""
    res = {e: {'best': None, 'sum': None, 'error': None if engs[e] else 'missing'} for e in engs}
    for _ in range(args.reps):
        for e, cmd in engs.items():
            r = res[e]
            if cmd is None or r['error'] or r.get('done'):
                continue
            secs, value, err = time_once(cmd(name, scale), args.timeout, args.cpu)
            if err:
                r['error'] = err
                continue
            if r['sum'] is not None and r['sum'] != value:
                r['error'] = 'checksum changed between runs'
                continue
            r['sum'] = value
            r['best'] = secs if r['best'] is None else min(r['best'], secs)
            if secs > args.long:
                r['done'] = True
    return res


def ratio(a, b):
    return a / b if a is not None and b else None


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt(x, digits=3):
    return 'n/a' if x is None else '%.*f' % (digits, x)


def verdict(res):
    """'ok', or what is wrong; second value says whether it is a checksum mismatch."""
    ref = res['native']['sum']
    if ref is None:
        return 'native failed: ' + str(res['native']['error']), True
    bad, notes = [], []
    for e in TIERS:
        if res[e]['sum'] is not None and res[e]['sum'] != ref:
            bad.append(e)
        elif res[e]['error'] and res[e]['error'] != 'missing':
            notes.append('%s %s' % (e, res[e]['error']))
    if bad:
        return 'MISMATCH (' + ', '.join(bad) + ')', True
    return ('ok; ' + '; '.join(notes)) if notes else 'ok', False


TIERS = ('node', 'taho', 'jit', 'aot')   # each gets a seconds and a /native column
COLS = ['program', 'scale', 'native s', 'node s', 'taho s', 'jit s', 'aot s',
        'node/native', 'taho/native', 'jit/native', 'aot/native', 'taho/node', 'checksum']
WIDTHS = [12, 8, 9, 9, 9, 9, 9, 11, 11, 10, 10, 9, 0]
RATIOS = [(e, 'native') for e in TIERS] + [('taho', 'node')]


def row(cells):
    return '  '.join(str(c).rjust(w) if i and w else str(c).ljust(w)
                     for i, (c, w) in enumerate(zip(cells, WIDTHS))).rstrip()


def time_cells(t):
    return ([fmt(t.get(e)) for e in ('native',) + TIERS] +
            [fmt(ratio(t.get(a), t.get(b)), 2) for a, b in RATIOS])


def mean_row(results):
    """Geometric means of each column; a ratio's mean is taken over the programs where
    both engines ran (the mean of the ratios), so it stays meaningful when taho fails on
    some programs."""
    ts = [r['seconds'] for r in results.values()]
    means = {e: geomean([t.get(e) for t in ts]) for e in ('native',) + TIERS}
    cells = time_cells(means)
    for i, (a, b) in enumerate(RATIOS):
        cells[1 + len(TIERS) + i] = fmt(geomean([ratio(t.get(a), t.get(b)) for t in ts]), 2)
    return row(['geomean', ''] + cells + [''])


def startup_row(engs, args):
    """What each engine costs before any work: the vm program at a trivial scale. It is
    part of every time in the table (whole-process time) and left out of the means."""
    res = measure('vm', 10, engs, args)
    t = {e: res[e]['best'] for e in res}
    cells = (time_cells(t)[:1 + len(TIERS)] + [''] * len(RATIOS) +
             ['vm at scale 10; included in every time above'])
    return row(['(startup)', 10] + cells), t


def summary_line(results):
    """One closing line in the form test runners read: each (program, engine) checksum
    compared with native's is a test; an engine that could not run is skipped."""
    counts = {'passed': 0, 'failed': 0, 'skipped': 0}
    for r in results.values():
        for e in TIERS:
            got = r['sums'][e]
            key = 'skipped' if got is None else 'passed' if got == r['checksum'] else 'failed'
            counts[key] += 1
    return 'bench: %(passed)d passed, %(failed)d failed, %(skipped)d skipped' % counts


def main():
    args = parse_args()
    wanted = set(filter(None, args.only.split(',')))
    if wanted - set(SCALES):
        sys.exit('unknown program(s): ' + ', '.join(sorted(wanted - set(SCALES))))
    names = [n for n in SCALES if not wanted or n in wanted]
    engs = engines(args)
    for e in ('node', 'taho'):
        if engs[e] is None:
            print('note: %s not found; its column shows n/a' % e, file=sys.stderr)

    print('%s seconds, best of %d; %s scales; node --no-liftoff; taho=%s' %
          ('cpu' if args.cpu else 'wall', args.reps, 'quick' if args.quick else 'default',
           args.taho if engs['taho'] else 'missing'))
    compile_all(names, engs, args)
    print(row(COLS))
    print(row(['-' * max(w, 8) for w in WIDTHS]))
    results, failed = {}, False
    for n in names:
        scale = SCALES[n][1 if args.quick else 0]
        res = measure(n, scale, engs, args)
        t = {e: res[e]['best'] for e in res}
        text, bad = verdict(res)
        failed |= bad
        results[n] = {'scale': scale, 'seconds': t, 'checksum': res['native']['sum'],
                      'sums': {e: res[e]['sum'] for e in res}, 'verdict': text}
        print(row([n, scale] + time_cells(t) + [text]), flush=True)
    print(mean_row(results))
    line, startup = startup_row(engs, args)
    print(line)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'reps': args.reps, 'quick': args.quick, 'cpu': args.cpu, 'startup_seconds': startup,
                       'programs': results}, f, indent=1)
    print(summary_line(results))
    if failed:
        print('checksum mismatch: see the rows above', file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
