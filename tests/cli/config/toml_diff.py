#!/usr/bin/env python3
"""toml_diff: differential test of taho's TOML reader against Python's tomllib (TOML 1.0).
Runs toml_dump on hand-written documents and on random mutations of them; every document
must be accepted or rejected by both, with the same values.
usage: toml_diff.py TOML_DUMP [MUTATIONS]"""
import datetime, json, math, random, subprocess, sys, tomllib

SEEDS = [
    'a = 1\nb = "two"\nc = 3.0\nd = true\n',
    '# comment\nkey = "value" # trailing\n"quoted key" = 1\n\'lit\' = 2\n"" = 3\n',
    'a.b.c = 1\na.b.d = 2\na . e = 3\n',
    '[t]\nx = 1\n[t.u]\ny = 2\n[v.w.x]\nz = 3\n[v]\nq = 1\n',
    '[[a]]\nx = 1\n[[a]]\nx = 2\n[a.b]\nc = 1\n[[a.d]]\ne = 1\n',
    's1 = "tab\\there \\"q\\" \\\\ \\u00e9 \\U0001F600"\ns2 = \'C:\\path\'\n',
    's = """\nline1\nline2 \\\n    cont\n"""\nt = \'\'\'\nraw \\n\n\'\'\'\n',
    'q = """a""b"""""\nr = \'\'\'x\'\'y\'\'\'\'\'\n',
    'i = [0x_1, 0xDEAD_beef, 0o755, 0b1101, 1_000, -17, +5, 0, -0, +0]\n'.replace('0x_1, ', ''),
    'f = [1.5, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, inf, -inf, +inf, nan, +nan, -0.0]\n',
    'd = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00-07:00, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00Z]\n',
    'l = [1979-05-27T07:32:00, 1979-05-27, 07:32:00, 00:32:00.999999, 2000-02-29]\n',
    'a = [\n  1,\n  2, # two\n  "x",\n  [3, [4]],\n  {a = 1},\n]\nb = []\nc = [ ]\n',
    'it = { x = 1, y.z = "2", w = { v = [1, 2] } }\nempty = {}\n',
    'big = 9223372036854775807\nsmall = -9223372036854775808\n',
    '[a.b]\n[a]\n[a.c]\n',
    '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n',
    '[ x . y ]\nk = 1\n[[ p ]]\n["q r".\'s\']\n',
    'a = 1\r\nb = """x\r\ny"""\r\n',
    'x = \'\'\'\n  keep  \n\'\'\'\n',
    'key = "value"\nbare_key = "v"\nbare-key = "v"\n1234 = "v"\n3.14159 = "pi"\n',
    '[[fruits]]\nname = "apple"\n[fruits.physical]\ncolor = "red"\n[[fruits.varieties]]\nname = "red delicious"\n[[fruits]]\nname = "banana"\n',
]

INVALID = [
    'a = 1\na = 2\n', '[t]\n[t]\n', 'a.b = 1\n[a]\n', 'a = {x = 1}\na.y = 2\n', '[a]\nb = {c = 1}\n[a.b]\n',
    'a = [1]\n[[a]]\n', '[[a]]\n[a]\n', 'a = 01\n', 'a = 1__0\n', 'a = _1\n', 'a = 1_\n', 'a = 1.\n',
    'a = .1\n', 'a = 1e\n', 'a = 0x\n', 'a = +0x1\n', 'a = 9223372036854775808\n', 'a = "x\n',
    'a = "\\q"\n', 'a = "\\uD800"\n', 'a = "\\U00110000"\n', 'a = {x = 1,}\n', 'a = {x = 1\n}\n',
    'a = 1 b = 2\n', 'a =\n', '= 1\n', 'a = tru\n', 'a = 1979-02-30\n', 'a = 1979-05-27T25:00:00\n',
    'a = 07:32\n', 'a = "a\x01b"\n', '# \x01\n', 'a = 1\r\n\r', '[a\n', '[[a]\n', 'a = [1 2]\n',
    'a = [,]\n', 'a."b".c = 1\na.b.c = 2\n', 'a = """x""""""\n', '"""k""" = 1\n', 'a = \'\'\'\x7f\'\'\'\n',
    'a = 1979-05-27T07:32:00+24:00\n', 'a = -nan1\n', 'a = NaN\n', 'a = Inf\n', 'a = \'x\n\'\n',
    '[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n', '[a]\nb.c = 1\n[a.b]\n', 'a = \\\n',
]

def canon(v):
    if isinstance(v, bool): return v
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": "nan" if math.isnan(v) else repr(float(v))}
    if isinstance(v, str): return v
    if isinstance(v, list): return [canon(x) for x in v]
    if isinstance(v, dict): return {k: canon(x) for k, x in v.items()}
    if isinstance(v, datetime.datetime):
        s = v.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d" % v.microsecond
        if v.tzinfo is not None: s += "%+d" % (v.utcoffset().total_seconds() // 60)
        return {"dt": s}
    if isinstance(v, datetime.date): return {"dt": v.strftime("%Y-%m-%d")}
    if isinstance(v, datetime.time): return {"dt": v.strftime("%H:%M:%S") + ".%06d" % v.microsecond}
    raise TypeError(type(v))

def norm_float(v):
    if isinstance(v, dict) and set(v) == {"float"}:
        f = float(v["float"])
        return {"float": "nan" if math.isnan(f) else repr(f)}
    if isinstance(v, dict): return {k: norm_float(x) for k, x in v.items()}
    if isinstance(v, list): return [norm_float(x) for x in v]
    return v

def ours(dump, doc):
    r = subprocess.run([dump], input=doc, capture_output=True)
    if r.returncode > 1 or b"runtime error" in r.stderr or b"AddressSanitizer" in r.stderr:
        return "CRASH", r.stderr.decode(errors="replace")
    if r.returncode == 1: return "reject", r.stderr.decode(errors="replace").strip()
    return "accept", norm_float(json.loads(r.stdout))

def theirs(doc):
    try: return "accept", canon(tomllib.loads(doc.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as e: return "reject", str(e)

def mutate(rng, doc):
    b = bytearray(doc)
    alphabet = b'=[]{}.,"\'#\n \t\\_-+:0123456789abexotfnirTZ\r'
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(3)
        i = rng.randrange(len(b) + 1)
        if op == 0 and len(b) > 0: del b[min(i, len(b) - 1)]
        elif op == 1: b.insert(i, rng.choice(alphabet))
        elif len(b) > 0: b[min(i, len(b) - 1)] = rng.choice(alphabet)
    return bytes(b)

def main():
    dump = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    fails = 0; count = 0
    def check(doc, expect=None):
        nonlocal fails, count
        count += 1
        a, b = ours(dump, doc), theirs(doc)
        bad = a[0] == "CRASH" or a[0] != b[0] or (a[0] == "accept" and a[1] != b[1])
        if expect and a[0] != expect: bad = True
        # tomllib refuses leap seconds (Python's datetime cannot hold them); TOML allows them.
        if bad and a[0] == "accept" and b[0] == "reject" and ":60" in doc.decode("utf-8", "replace"): bad = False
        # tomllib keeps integers past 64 bits; TOML says to reject what cannot be kept exactly.
        if bad and a[0] == "reject" and "does not fit in 64 bits" in a[1] and expect != "accept": bad = False
        if bad:
            fails += 1
            if fails <= 15: print("DIFF %r\n  ours:    %s\n  tomllib: %s" % (doc, a, b))
    for d in SEEDS: check(d.encode(), "accept")
    for d in INVALID: check(d.encode(), "reject")
    rng = random.Random(1)
    for _ in range(n): check(mutate(rng, rng.choice(SEEDS + INVALID).encode()))
    print("toml_diff: %d passed, %d failed" % (count - fails, fails))
    return 1 if fails else 0

sys.exit(main())
