#!/usr/bin/env python3
"""The desk's footprint (issue 15): page weight and the desk process's memory.

Sets up a server data directory and one enrolled terminal with the built programs, starts
`onecard-terminal desk --no-browser` on it, signs in through the launch link as a browser would,
registers N children through the API and opens each child's page, then reports:
  - page weight: the bytes of the page as first loaded (index.html and every stylesheet, script
    and module it pulls in, as served), uncompressed;
  - the desk process's resident memory (VmRSS) after sign-in, after the registrations and reads,
    and its peak (VmHWM).
No sync server runs (the desk's sync is not exercised here); no card reader is needed.

  bench/desk_footprint.py --build build [--children 500]
"""
import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

PASSPHRASE = "footprint bench passphrase 7"


def run(argv, env):
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv[:3])}: {done.stderr.strip()}")
    return done.stdout


def rss_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def page_weight(opener, base):
    """Bytes of index.html and everything it and its modules import, fetched once each."""
    seen, queue, total = set(), ["/"], 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        body = opener.open(base + path).read()
        total += len(body)
        text = body.decode("utf-8", "replace")
        refs = re.findall(r'(?:href|src)="(/[^"]+)"', text)
        refs += [os.path.normpath(os.path.join(os.path.dirname(path), m))
                 for m in re.findall(r"""from\s+['"](\.[^'"]+)['"]""", text)]
        queue.extend(r for r in refs if r.endswith((".js", ".css", ".svg", ".html")))
    return total, len(seen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--children", type=int, default=500)
    args = ap.parse_args()
    server = os.path.join(args.build, "sync-server", "onecard-server")
    terminal = os.path.join(args.build, "terminal", "onecard-terminal")
    work = tempfile.mkdtemp(prefix="desk-footprint-")
    env = dict(os.environ, ONECARD_LANG="en", ONECARD_USER="chen", ONECARD_PASSPHRASE=PASSPHRASE)
    sdir, tdir = os.path.join(work, "server"), os.path.join(work, "terminal")
    run([server, "init", "--data", sdir], env)
    run([server, "site", "add", "--site", "GD-BAOAN", "--name", "宝安区登记点", "--area", "440306",
         "--role", "receiving", "--data", sdir], env)
    bundle = os.path.join(work, "t1.bundle")
    run([server, "enroll", "--site", "GD-BAOAN", "--terminal", "GD-T1", "--out", bundle,
         "--server", "127.0.0.1:9", "--data", sdir], env)
    run([terminal, "init", "--data", tdir, "--bundle", bundle, "--user", "chen"], env)

    desk = subprocess.Popen([terminal, "desk", "--data", tdir, "--no-browser"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = ""
        while "open?secret=" not in url:
            url = desk.stdout.readline()
            if not url:
                sys.exit("the desk did not start")
        url = url.strip()
        base = url.split("/open")[0]
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.open(url)
        token = json.loads(opener.open(base + "/api/session").read())["csrf_token"]

        def call(method, path, body=None):
            req = urllib.request.Request(
                base + path, method=method,
                data=None if body is None else json.dumps(body).encode(),
                headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
            return json.loads(opener.open(req).read())

        weight, files = page_weight(opener, base)
        started_kib = rss_kib(desk.pid, "VmRSS")
        call("POST", "/api/sign-in", {"user": "chen", "passphrase": PASSPHRASE})
        signed_in_kib = rss_kib(desk.pid, "VmRSS")
        t0 = time.monotonic()
        ids = []
        for i in range(args.children):
            digits = "零一二三四五六七八九"
            name = "王" + "".join(digits[int(d)] for d in str(i))  # a name has no digits
            record = {"name": name, "sex": "F",
                      "birth_date": "2019-05-04", "hukou_area": "321324",
                      "residence_area": "440306", "category": "migrant",
                      "guardians": [{"name": "王强", "relation": "father",
                                     "phone": "13812345678"}],
                      "consent": {"by": "王强", "relation": "father", "date": "2026-12-01"}}
            ids.append(call("POST", "/api/children", record)["child_id"])
        for child_id in ids:
            call("GET", "/api/children/" + child_id)
        worklist = call("GET", "/api/worklists/overdue")
        elapsed = time.monotonic() - t0
        print(json.dumps({
            "page_weight_bytes": weight, "page_files": files,
            "rss_started_kib": started_kib, "rss_signed_in_kib": signed_in_kib,
            "rss_after_kib": rss_kib(desk.pid, "VmRSS"), "peak_kib": rss_kib(desk.pid, "VmHWM"),
            "children": args.children, "overdue_listed": len(worklist),
            "register_and_read_seconds": round(elapsed, 2)}, indent=1))
    finally:
        desk.terminate()
        desk.wait(10)


if __name__ == "__main__":
    main()
