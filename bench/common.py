"""What every benchmark script does: build, start `tonearm serve` and wait for it, sign in,
wait for the start-up scan, run wrk (CPU from /proc), start nginx as the reference, print
the table. Imported by foundation.py, accounts.py, adaptive.py and library.py."""
import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release")
TONEARM = os.path.join(RELEASE, "tonearm")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs).stdout


def build_release(*cargo_args):
    print("building release binaries…", file=sys.stderr)
    run(["cargo", "build", "--release", *cargo_args], cwd=ROOT)


def require_tools(*tools):
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        sys.exit(f"{', '.join(missing)} required: apt-get install {' '.join(missing)}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return total / CLOCK_TICKS


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def get_json(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return json.load(response)


class Server:
    """A running `tonearm serve`; `token` and `password` once signed in."""

    def __init__(self, process, port, data_dir):
        self.process = process
        self.pid = process.pid
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        self.token = None
        self.password = None

    def get_json(self, path):
        return get_json(self.base + path, self.token)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def start_server(binary, library, data_dir, *flags):
    """Starts `binary serve` on a free port (quiet logs) and returns once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--library", library, "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}", *flags],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"},
    )
    server = Server(process, port, data_dir)
    for _ in range(300):
        try:
            get_json(f"{server.base}/healthz")
            return server
        except OSError:
            if process.poll() is not None:
                sys.exit(f"{binary} serve exited with status {process.returncode}")
            time.sleep(0.1)
    server.stop()
    sys.exit(f"{binary} serve did not answer /healthz within 30 s")


def sign_in(server, binary=TONEARM):
    """Creates a premium bench account (it streams lossless originals) and signs it in
    through the OAuth flow (PKCE); sets and returns the server's access token."""
    password = "bench password " + secrets.token_hex(8)
    subprocess.run([binary, "user", "add", "bench", "--email", "bench@bench.invalid", "--tier", "premium",
                    "--data-dir", server.data_dir], input=password + "\n", text=True, capture_output=True)
    verifier = secrets.token_urlsafe(48)
    form = authorize_form(server.base, "bench", password, verifier)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{server.base}/oauth/authorize", data=urllib.parse.urlencode(form).encode()))
        sys.exit("sign-in did not redirect")
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    token_form = {"grant_type": "authorization_code", "code": code, "redirect_uri": form["redirect_uri"],
                  "client_id": "tonearm-web", "code_verifier": verifier}
    request = urllib.request.Request(f"{server.base}/oauth/token", data=urllib.parse.urlencode(token_form).encode())
    with urllib.request.urlopen(request) as response:
        server.token = json.load(response)["access_token"]
    server.password = password
    return server.token


def authorize_form(base, username, password, verifier):
    """The web app's sign-in form for /oauth/authorize, with the PKCE challenge of `verifier`."""
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return {"response_type": "code", "client_id": "tonearm-web", "redirect_uri": f"{base}/app/callback",
            "code_challenge": challenge, "code_challenge_method": "S256", "state": "bench",
            "username": username, "password": password}


def wait_for_scan(server, timeout_seconds=60):
    """Returns once the server's start-up scan completed (needs an administrator's or the
    bench account's token: the bench account is created first, so it is the admin)."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        try:
            if server.get_json("/api/v1/admin/scan")["progress"]["scans_completed"] >= 1:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"the start-up scan did not finish within {timeout_seconds} s")


def wrk(url, connections, seconds, script=None, token=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd += ["-s", script]
    out = run(cmd + [url])
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    amount, unit = re.search(r"requests in [\d.]+\w+, ([\d.]+)(\w+) read", out).groups()
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}[unit]
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", out).groups()
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out).groups()
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw {non2xx.group(1)} error responses from {url}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return {"rps": requests, "bytes": float(amount) * scale, "p50": "".join(p50), "p99": "".join(p99),
            "socket_errors": errors}


def measured_wrk(url, pids, connections, seconds, script=None, token=None):
    """wrk, plus the CPU seconds `pids` spent and the wall time of the run."""
    before = cpu_seconds(pids)
    started = time.monotonic()
    result = wrk(url, connections, seconds, script, token)
    result["cpu"] = cpu_seconds(pids) - before
    result["elapsed"] = time.monotonic() - started
    return result


def write_script(directory, name, text):
    """A wrk Lua script in `directory`; returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w") as script:
        script.write(text)
    return path


RANGE_SCRIPT = 'wrk.headers["Range"] = "bytes=1048576-2097151"\n'


class Nginx:
    """nginx (sendfile, keep-alive) serving `root` on a free port, with its own temporary
    folder for its configuration, pid and log; `pids` are the master's and the workers'."""

    def __init__(self, root, work, types, location=""):
        self.dir = tempfile.mkdtemp(prefix="tonearm-bench-nginx-", dir=work)
        # nginx workers drop privileges: they must be able to reach what they serve.
        for folder in (work, self.dir):
            os.chmod(folder, 0o755)
        self.port = free_port()
        root = root or self.dir
        with open(os.path.join(self.dir, "nginx.conf"), "w") as conf:
            conf.write(f"""
worker_processes auto; daemon off; pid {self.dir}/nginx.pid; error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types {{ {types} }}
  server {{ listen 127.0.0.1:{self.port}; root {root}; {location} }}
}}
""")
        self.process = subprocess.Popen(["nginx", "-c", os.path.join(self.dir, "nginx.conf"), "-p", self.dir],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            time.sleep(0.1)
            workers = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
            if workers:
                break
        self.pids = [self.process.pid] + [int(pid) for pid in workers]
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


def print_table(rows, heading):
    print(f"\n{heading}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")
    print("| measure | Tonearm | reference (same run) | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
