#!/usr/bin/env python3
"""Same-run A/B of gateway builds against one running `./dragon up`.

Starts one extra gateway per jar (ports 8190, 8290, ...; management +1000, admin +1001) with the platform
gateway's own settings, waits until they are ready, then sends the same streamed response-cache hit
(a near hit at the router) in interleaved rounds: router directly, then each gateway, order reversed every
other request, one keep-alive connection per target. Per round it prints the p50 of each gateway minus the
router's direct p50, and the gateway's own Server-Timing entries (gateway;dur = arrival to forwarding,
proxy;dur = forwarding to the router's headers). Every answer is checked to be a near hit.

    ./dragon up                          # in another terminal
    cp gateway-service/target/gateway-service-*.jar /tmp/gw-a.jar   # build A, then build B
    python3 dragon-bench/scripts/gateway-ab.py /tmp/gw-a.jar /tmp/gw-b.jar [--requests 1500] [--rounds 6]
"""
import argparse, http.client, json, os, re, signal, subprocess, sys, time, urllib.request


def platform_gateway_args():
    """The running platform gateway's command line (from /proc), minus its ports."""
    for pid in os.listdir("/proc"):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        args = [a.decode() for a in cmd if a]
        if any("gateway-service" in a and a.endswith(".jar") for a in args) and "--server.port=8080" in args:
            java = args[0]
            keep = [a for a in args[args.index("-jar") + 2:]
                    if not a.startswith(("--server.port=", "--management.server.port=", "--dragon.gateway.admin.port="))]
            key = next(a.split("=", 1)[1] for a in keep if a.startswith("--dragon.gateway.bootstrap.dev-key="))
            return java, keep, key
    sys.exit("no platform gateway on port 8080: run ./dragon up first")


def start(java, jar, port, args, log):
    cmd = [java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar", jar, f"--server.port={port}",
           f"--management.server.port={port + 1000}", f"--dragon.gateway.admin.port={port + 1001}"] + args
    return subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def ready(port, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port + 1000}/actuator/health/readiness", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"gateway on {port} not ready within {timeout} s")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("jars", nargs="+")
    p.add_argument("--requests", type=int, default=1500)
    p.add_argument("--rounds", type=int, default=6)
    o = p.parse_args()
    java, args, key = platform_gateway_args()
    names = [os.path.basename(j) for j in o.jars]
    ports = [8190 + 100 * i for i in range(len(o.jars))]
    procs = [start(java, j, port, args, f"/tmp/gateway-ab-{port}.log") for j, port in zip(o.jars, ports)]
    try:
        for port in ports:
            ready(port)
        body = json.dumps({"model": "dragon-moe-mini", "messages": [{"role": "user", "content": "What is 12 + 30?"}],
                           "max_tokens": 64, "temperature": 0, "seed": 7, "stream": True})
        headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
        targets = {"direct": 8081, **dict(zip(names, ports))}
        conns = {k: http.client.HTTPConnection("127.0.0.1", v) for k, v in targets.items()}

        def one(name, check=True):
            c = conns[name]
            t = time.perf_counter()
            c.request("POST", "/v1/chat/completions", body, headers)
            r = c.getresponse()
            r.read()
            ms = (time.perf_counter() - t) * 1000
            tier = r.getheader("x-dragon-cache-tier")
            if check and (r.status != 200 or tier != "near"):
                raise SystemExit(f"{name}: status {r.status}, cache tier {tier}: not a near hit")
            return ms, dict((k, float(v)) for k, v in re.findall(r"(\w+);dur=([0-9.]+)", r.getheader("server-timing") or ""))

        for name in targets:   # the first answers fill the near cache (direct and through a gateway differ by tenant)
            for _ in range(3):
                one(name, check=False)
        p50 = lambda xs: sorted(xs)[len(xs) // 2]
        print(f"A/B of {', '.join(f'{n} on :{p}' for n, p in zip(names, ports))}; {o.requests} requests per "
              f"target per round, interleaved with the router directly")
        for rnd in range(o.rounds):
            lat = {k: [] for k in targets}
            timing = {}
            for i in range(o.requests):
                for name in (list(targets) if i % 2 == 0 else list(reversed(list(targets)))):
                    ms, st = one(name)
                    lat[name].append(ms)
                    for k, v in st.items():
                        timing.setdefault((name, k), []).append(v)
            d = p50(lat["direct"])
            entry = lambda n, k: p50(timing[(n, k)]) if (n, k) in timing else float("nan")   # absent: nan
            cols = [f"{n} +{p50(lat[n]) - d:.3f} (gateway {entry(n, 'gateway'):.3f}, proxy "
                    f"{entry(n, 'proxy'):.3f})" for n in names]
            print(f"round {rnd}: direct p50 {d:.3f} ms | " + " | ".join(cols), flush=True)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
