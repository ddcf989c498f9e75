#!/usr/bin/env python3
"""Tests the plug-in's dialog, live window and translations inside GIMP 3.

    python3 run_gui_tests.py --plugin BUILD/plugin/neural-style-transfer
        --catalogs BUILD/po --screenshots BUILD/screenshots
        [--gimp gimp-3.0] [--only NAME,...] [--timeout S] [--keep]

Runs GIMP 3 with its full GUI under Xvfb (xvfb-run), in a throw-away
profile made by tests/plugin/run_gimp_tests.py's helpers, with the freshly
built plug-in and its compiled catalogs installed as GIMP 3 expects
(plug-ins/neural-style-transfer/{neural-style-transfer,locale/}). GIMP
reads gui_cases.py from standard input (Python-Fu); each case opens an
image in a display and calls the filter in INTERACTIVE mode. The dialog and
the live window then follow a test script (the plug-in's TEST-ONLY hook
NST_UI_TEST_SCRIPT, ui/test_script.h) that the case writes: set widgets,
dump the config, take screenshots with ImageMagick's import, press OK, Stop
or Cancel. A second session runs with LANGUAGE=de. The Download button's
case downloads a narrow VGG19 from a local HTTP server. Prints TAP.
"""
import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "plugin"))
import run_gimp_tests as base  # noqa: E402  (profile, weights and TAP helpers)

DOMAIN = "gimp30-neural-style-transfer"
SCREEN = "-screen 0 1280x1024x24"
# Sessions: name -> (environment changes, cases). The German one needs a
# German locale: glibc ignores LANGUAGE under C and C.UTF-8.
GERMAN = {"LANGUAGE": "de", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}
FRENCH = {"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8"}
SESSIONS = {
    "english": ({}, None),  # every case not named below
    "german": (GERMAN, ["german_menu_and_dialog"]),
    "french": (FRENCH, ["french_dialog"]),
}


OUTPUT = []  # every line GIMP and its plug-ins printed, all sessions


class GuiSession(base.Session):
    """base.Session with GIMP's GUI on a virtual X server instead of the console."""

    def _read(self):
        for line in self.process.stdout:
            OUTPUT.append(line.rstrip("\n"))
            self.transcript.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def __init__(self, gimp, interpreter, script, env, transcript):
        self.transcript = transcript
        self.lines = base.queue.Queue()
        command = [env["NST_XVFB_RUN"], "-a", "-s", SCREEN, gimp, "--new-instance",
                   "--no-splash", "--batch-interpreter=" + interpreter, "-b", "-", "--quit"]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, text=True, errors="replace", start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.process.stdin.write(script)
        self.process.stdin.close()


def install_catalogs(catalogs, profile):
    """Copies BUILD/po/<lang>/LC_MESSAGES/DOMAIN.mo next to the installed plug-in."""
    installed = []
    for language in sorted(os.listdir(catalogs)) if os.path.isdir(catalogs) else []:
        source = os.path.join(catalogs, language, "LC_MESSAGES", DOMAIN + ".mo")
        if os.path.isfile(source):
            target = os.path.join(profile, "plug-ins", base.PLUGIN_NAME, "locale", language,
                                  "LC_MESSAGES")
            os.makedirs(target, exist_ok=True)
            shutil.copy(source, target)
            installed.append(language)
    return installed


def make_locale(tmp, name="de_DE"):
    """Compiles NAME.UTF-8 into a folder of its own (LOCPATH), so that the
    tests need no system locale; None when the sources (package locales)
    or localedef are missing."""
    folder = os.path.join(tmp, "locales-" + name)
    os.makedirs(folder, exist_ok=True)
    if not shutil.which("localedef"):
        return None
    done = subprocess.run(["localedef", "-i", name, "-f", "UTF-8",
                           os.path.join(folder, name + ".UTF-8")],
                          capture_output=True, text=True)
    return folder if done.returncode in (0, 1) and os.listdir(folder) else None


def serve(folder):
    """A local HTTP server for the Download button's case; returns (server, url)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plugin", required=True, help="the built plug-in binary")
    parser.add_argument("--catalogs", required=True, help="BUILD/po with <lang>/LC_MESSAGES")
    parser.add_argument("--screenshots", required=True, help="where screenshots are written")
    parser.add_argument("--gimp", default=os.environ.get("NST_GIMP", "gimp-3.0"))
    parser.add_argument("--xvfb-run", default=os.environ.get("NST_XVFB_RUN", "xvfb-run"))
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    for program in (args.gimp, args.xvfb_run, "import"):
        if not shutil.which(program):
            print(f"1..0 # SKIP {program} not found")
            return 0
    if not os.path.isfile(args.plugin):
        print(f"Bail out! no plug-in binary at {args.plugin}")
        return 1

    tmp = tempfile.mkdtemp(prefix="nst-gui-test-")
    server = None
    try:
        env, work = base.make_profile(tmp, args.plugin)
        weights, origin = base.make_weights(work, env)
        if not weights:
            print("1..0 # SKIP " + origin)
            return 0
        languages = install_catalogs(args.catalogs, env["GIMP3_DIRECTORY"])
        base.log(f"profile {tmp}; weights: {origin}; catalogs: {', '.join(languages) or 'none'}")
        os.makedirs(args.screenshots, exist_ok=True)
        server, url = serve(work)
        env.update(
            NST_XVFB_RUN=shutil.which(args.xvfb_run),
            NST_TEST_WEIGHTS=weights,
            NST_TEST_STYLE=base.make_style(work),
            NST_TEST_SHOTS=os.path.abspath(args.screenshots),
            NST_UI_TEST_SCRIPT=os.path.join(work, "current.script"),
            # The Download button fetches the narrow network from here, unchecked.
            NST_VGG19_URL=url + "/" + os.path.basename(weights),
            NST_VGG19_SHA256="",
        )
        env.pop("NST_VGG19_WEIGHTS", None)  # the weights are found only where a case says

        with open(os.path.join(HERE, "gui_cases.py")) as f:
            source = f.read()
        names = base.case_names(os.path.join(HERE, "gui_cases.py"), "def case_")
        only = [n for n in args.only.split(",") if n]

        def script(chosen):
            return source + "\nrun_cases(%r)\n" % (chosen,)

        base.Session = GuiSession  # run_cases starts GIMP through base.Session
        base.STARTUP_SECONDS = 300  # the GUI's first start scans every plug-in
        results, seconds = [], {}
        claimed = {n for _, cases in SESSIONS.values() if cases for n in cases}
        for session, locale in (("german", "de_DE"), ("french", "fr_FR")):
            changes, cases = SESSIONS[session]
            locales = make_locale(tmp, locale)
            if locales:
                changes["LOCPATH"] = locales
            else:
                for name in cases:
                    results.append((name, "skip", f"no {locale} locale: localedef or the "
                                                  "Debian package locales is missing"))
                SESSIONS[session] = (changes, [])
        for session, (changes, cases) in SESSIONS.items():
            chosen = [n for n in names if (n in cases if cases is not None else n not in claimed)]
            chosen = [n for n in chosen if not only or n in only]
            if chosen:
                base.run_cases(args.gimp, "python-fu-eval", script, chosen, dict(env, **changes),
                               args.timeout, results, seconds)

        # GLib/GTK warnings of the plug-in's own process ("(neural-style-transfer:PID)"),
        # mnemonic problems and the test driver's failed commands fail a case of
        # their own. Two are GIMP's: libgimp 3.0 cannot store a layer argument in
        # the last values (the style file is remembered), and a plug-in still
        # exiting when --quit ends GIMP finds its pipe closed.
        excused = ("couldn't serialize property", "gimp_flush(): error: Broken pipe")
        noisy = [line for line in OUTPUT
                 if (base.PLUGIN_NAME + ":" in line and ("CRITICAL" in line or "WARNING" in line)
                     and not any(text in line for text in excused))
                 or "NST_UI_TEST" in line and "FAILED" in line or " mnemonic " in line]
        if not only:
            results.append(("no_warnings_from_the_plug_in", "not ok" if noisy else "ok",
                            "\n".join(noisy[:20])))
        else:  # not judged on a part of the cases, but shown
            for line in noisy[:20]:
                print("# plug-in warning: " + line)

        failed = 0
        for number, (name, outcome, detail) in enumerate(results, 1):
            if outcome == "skip":
                print(f"ok {number} {name} # SKIP {detail}")
            else:
                failed += outcome != "ok"
                print(f"{outcome} {number} {name}")
                if detail:
                    base.log(detail)
        print(f"1..{len(results)}")
        base.log_slowest(seconds)
        shots = sorted(os.listdir(args.screenshots))
        base.log(f"screenshots in {args.screenshots}: {', '.join(shots) or 'none'}")
        return 1 if failed else 0
    finally:
        if server:
            server.shutdown()
        if args.keep:
            base.log("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
