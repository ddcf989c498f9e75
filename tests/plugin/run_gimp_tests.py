#!/usr/bin/env python3
"""Tests plug-in-neural-style-transfer inside a real GIMP 3, in batch mode.

    python3 run_gimp_tests.py --plugin BUILD/plugin/neural-style-transfer
        [--gimp gimp-console-3.0] [--only NAME,...] [--timeout S] [--keep]

Makes a throw-away GIMP profile (GIMP3_DIRECTORY, HOME and XDG_* inside a
temporary folder), installs the freshly built plug-in into it as
plug-ins/neural-style-transfer/neural-style-transfer, provides a narrow VGG19
weights file (shared/fixtures when present, otherwise written with PyTorch),
then feeds gimp_cases.py to gimp-console-3.0's Python-Fu and
script_fu_cases.scm to its Script-Fu, both through standard input.

Each case prints "NSTTEST begin NAME" and "NSTTEST ok|not ok|skip NAME # why".
A case that does not finish within --timeout seconds is failed, GIMP is
stopped and a new session goes on with the cases after it. The result is
TAP, which Meson counts case by case (protocol: 'tap').
"""
import argparse
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN_NAME = "neural-style-transfer"
MARK = "NSTTEST "
NOTE = "NSTNOTE "
STARTUP_SECONDS = 120


# Cases that do many runs get this many times --timeout: the soak's thirty
# runs took 140 s of the 120 on 2026-12-06 while a benchmark shared the cores.
TIMEOUT_FACTORS = {"thirty_runs_keep_memory_flat": 4}

# Cases that need GIMP started with another environment run in a session of
# their own: name -> changes, given the work folder.
SESSION_ENVIRONMENTS = {
    # The engine's search order, with the variable naming a missing file.
    "error_weights_variable_names_missing_file":
        lambda work: {"NST_VGG19_WEIGHTS": os.path.join(work, "no-such-vgg19.pth")},
    # The cache folder's published file, converted there (empty means unset).
    "killed_while_converting_the_cache_the_next_run_converts_it":
        lambda work: {"NST_VGG19_WEIGHTS": ""},
}


def log(*parts):
    # TAP diagnostics: Meson shows them with the test's output.
    for line in " ".join(str(p) for p in parts).splitlines():
        print("# " + line, flush=True)


def make_weights(work, env):
    """A narrow VGG19 (channel widths 8,16,32,64,64) with torchvision's keys."""
    shared = os.environ.get("NST_SHARED_DIR", "")
    fixture = os.path.join(shared, "fixtures", "weights", "vgg19-narrow-zip.pth")
    path = os.path.join(work, "vgg19-narrow.pth")
    if shared and os.path.isfile(fixture):
        shutil.copy(fixture, path)
        return path, "shared fixture " + fixture
    python = os.environ.get("NST_PYTHON") or sys.executable
    script = r"""
import sys, torch
torch.manual_seed(0)
widths = [8, 8, 'M', 16, 16, 'M', 32, 32, 32, 32, 'M', 64, 64, 64, 64, 'M', 64, 64, 64, 64]
state, index, channels = {}, 0, 3
for w in widths:
    if w == 'M':
        index += 1
        continue
    fan_in = channels * 9
    state[f'features.{index}.weight'] = torch.randn(w, channels, 3, 3) * (2.0 / fan_in) ** 0.5
    state[f'features.{index}.bias'] = torch.zeros(w)
    channels = w
    index += 2
torch.save(state, sys.argv[1])
"""
    done = subprocess.run([python, "-c", script, path], env=env, capture_output=True, text=True)
    if done.returncode != 0 or not os.path.isfile(path):
        return None, "PyTorch could not write weights: " + done.stderr.strip()[-500:]
    return path, "written with PyTorch"


def write_png(path, width, height, pixel):
    """A small RGB PNG, written without any imaging library."""
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width))
                    for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_style(work):
    """Diagonal orange and blue stripes: a style with an obvious texture."""
    path = os.path.join(work, "style_stripes.png")
    write_png(path, 40, 40,
              lambda x, y: (255, 200, 0) if (x + y) // 5 % 2 else (20, 40, 160))
    return path


def make_profile(tmp, plugin):
    env = dict(os.environ)
    home = os.path.join(tmp, "home")
    profile = os.path.join(tmp, "profile")
    work = os.path.join(tmp, "work")
    for d in (home, profile, work):
        os.makedirs(d)
    env.update(
        HOME=home,
        GIMP3_DIRECTORY=profile,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
        XDG_STATE_HOME=os.path.join(home, ".local", "state"),
        TORCH_HOME=os.path.join(home, ".cache", "torch"),
        NST_TEST_WORK=work,
        LANG="C.UTF-8",
        LANGUAGE="C",
    )
    env.pop("NST_VGG19_WEIGHTS", None)
    env.pop("DISPLAY", None)
    target_dir = os.path.join(profile, "plug-ins", PLUGIN_NAME)
    os.makedirs(target_dir)
    target = os.path.join(target_dir, PLUGIN_NAME)
    shutil.copy(plugin, target)
    os.chmod(target, 0o755)
    return env, work


class Session:
    """One gimp-console-3.0 run reading a batch script from standard input."""

    def __init__(self, gimp, interpreter, script, env, transcript):
        self.transcript = transcript
        self.lines = queue.Queue()
        self.process = subprocess.Popen(
            [gimp, "-i", "--batch-interpreter=" + interpreter, "-b", "-", "--quit"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, text=True, errors="replace", start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.process.stdin.write(script)
        self.process.stdin.close()

    def _read(self):
        for line in self.process.stdout:
            self.transcript.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, timeout):
        try:
            return self.lines.get(timeout=max(timeout, 0.01))
        except queue.Empty:
            return ""  # timed out

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)  # its own process group: GIMP and its plug-ins
        self.process.wait()


def run_cases(gimp, interpreter, script_for, names, env, timeout, results, seconds):
    """Runs the cases `names`, restarting GIMP after a case that hangs; `seconds`
    gets each case's time and, under "GIMP's start", each session's start."""
    pending = list(names)
    while pending:
        transcript = []
        launched = time.monotonic()
        session = Session(gimp, interpreter, script_for(pending), env, transcript)
        # GIMP's own start (and its first scan of plug-ins) gets time of its own.
        current, started = None, time.monotonic() + STARTUP_SECONDS
        allowed = timeout
        finished = set()
        while True:
            line = session.next_line(started + allowed - time.monotonic())
            if line is None:
                break  # GIMP ended
            if line == "" and time.monotonic() >= started + allowed:
                results.append((current or pending[0], "not ok",
                                f"no result within {allowed} s; GIMP was stopped"))
                finished.add(current or pending[0])
                break
            if NOTE in line:
                log(line[line.find(NOTE):])  # a measurement a case reports (the soak's memory)
            at = line.find(MARK)
            if at < 0:
                continue
            line = line[at:]
            word, _, rest = line[len(MARK):].partition(" ")
            if word == "begin":
                if current is None and not finished:
                    seconds["GIMP's start"] = (seconds.get("GIMP's start", 0) +
                                               time.monotonic() - launched)
                current, started = rest.strip(), time.monotonic()
                allowed = timeout * TIMEOUT_FACTORS.get(current, 1)
                continue
            outcome, name, detail = parse_result(line[len(MARK):])
            if outcome:
                seconds[name] = time.monotonic() - started
                results.append((name, outcome, detail))
                finished.add(name)
                current, started = None, time.monotonic()
        session.stop()
        if current and current not in finished:
            results.append((current, "not ok", "GIMP ended in the middle of this case"))
            finished.add(current)
        done_index = max((pending.index(n) for n in finished if n in pending), default=-1)
        missing = [n for n in pending[:done_index + 1] if n not in finished]
        for name in missing:
            results.append((name, "not ok", "the case reported nothing"))
        if done_index < 0:
            for name in pending:
                results.append((name, "not ok", "GIMP ran none of the cases"))
            log("GIMP's output:\n" + "\n".join(transcript[-60:]))
            return
        if any(o == "not ok" for n, o, _ in results if n in finished):
            log(f"GIMP's output ({interpreter}):\n" + "\n".join(transcript[-80:]))
        pending = pending[done_index + 1:]


def log_slowest(seconds):
    """Where a suite's minutes go (CI's time is bounded)."""
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:10]
    log("slowest: " + ", ".join(f"{name} {s:.0f} s" for name, s in slowest))


def parse_result(text):
    for outcome in ("not ok", "ok", "skip"):
        if text.startswith(outcome + " "):
            rest = text[len(outcome) + 1:]
            name, _, detail = rest.partition(" # ")
            return outcome, name.strip(), detail.strip()
    return None, None, None


def scheme_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def case_names(path, prefix):
    names = []
    with open(path) as f:
        for line in f:
            if line.startswith(prefix):
                names.append(line[len(prefix):].split("(")[0].split()[0].strip().rstrip(")"))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plugin", required=True, help="the built plug-in binary")
    parser.add_argument("--gimp", default=os.environ.get("NST_GIMP_CONSOLE", "gimp-console-3.0"))
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    if not shutil.which(args.gimp):
        print("1..0 # SKIP gimp-console-3.0 not found")
        return 0
    if not os.path.isfile(args.plugin):
        print(f"Bail out! no plug-in binary at {args.plugin}")
        return 1

    tmp = tempfile.mkdtemp(prefix="nst-gimp-test-")
    try:
        env, work = make_profile(tmp, args.plugin)
        weights, origin = make_weights(work, env)
        if not weights:
            print("1..0 # SKIP " + origin)
            return 0
        log(f"profile {tmp}; weights: {origin}")
        env["NST_TEST_WEIGHTS"] = weights
        env["NST_TEST_STYLE"] = make_style(work)
        # For the case that leaves weights-file empty; never a download.
        env["NST_VGG19_WEIGHTS"] = weights

        python_cases = os.path.join(HERE, "gimp_cases.py")
        scheme_cases = os.path.join(HERE, "script_fu_cases.scm")
        only = [n for n in args.only.split(",") if n]
        py_names = [n for n in case_names(python_cases, "def case_") if not only or n in only]
        scm_names = [n for n in case_names(scheme_cases, "(define (case-")
                     if not only or n in only]

        with open(python_cases) as f:
            python_source = f.read()
        with open(scheme_cases) as f:
            scheme_source = f.read()

        def python_script(names):
            return python_source + "\nrun_cases(%r)\n" % (names,)

        def scheme_script(names):
            paths = "".join(f"(define nst-{key} {scheme_string(env[var])})\n" for key, var in
                            (("weights", "NST_TEST_WEIGHTS"), ("style", "NST_TEST_STYLE"),
                             ("work", "NST_TEST_WORK")))
            calls = "".join(f"(run-case \"{n}\" case-{n})\n" for n in names)
            return paths + scheme_source + "\n" + calls

        results, seconds = [], {}
        start = time.monotonic()
        plain = [n for n in py_names if n not in SESSION_ENVIRONMENTS]
        if plain:
            run_cases(args.gimp, "python-fu-eval", python_script, plain, env, args.timeout,
                      results, seconds)
        for name in (n for n in py_names if n in SESSION_ENVIRONMENTS):
            special = dict(env, **SESSION_ENVIRONMENTS[name](work))
            run_cases(args.gimp, "python-fu-eval", python_script, [name], special, args.timeout,
                      results, seconds)
        if scm_names:
            run_cases(args.gimp, "plug-in-script-fu-eval", scheme_script, scm_names, env,
                      args.timeout, results, seconds)

        failed = 0
        for number, (name, outcome, detail) in enumerate(results, 1):
            if outcome == "skip":
                print(f"ok {number} {name} # SKIP {detail}")
            else:
                failed += outcome != "ok"
                print(f"{outcome} {number} {name}")
                if detail:
                    log(detail)
        print(f"1..{len(results)}")
        log(f"{len(results)} cases in {time.monotonic() - start:.0f} s, {failed} failed")
        log_slowest(seconds)
        return 1 if failed else 0
    finally:
        if args.keep:
            log("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
