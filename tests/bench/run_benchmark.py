#!/usr/bin/env python3
"""The performance benchmark of issue 4: the engine (through the neural-style
program) side by side with plain PyTorch, in one run, on the same full-size
VGG19 shape (random weights written here) and the same images.

    python3 tests/bench/run_benchmark.py --cli BUILD/engine/cli/neural-style
        [--content C] [--style S] [--steps 6] [--skip-large] [--skip-default]

Prints a Markdown table:
  - seconds per optimisation step at 512 px: plain PyTorch, engine fp32 and
    engine bf16, each with the OpenMP build of OpenBLAS (what the project
    installs) and, where installed, the pthreads build (Debian's default
    when both are there, and the setup of the issue's 2.9 s figure); the
    ratios are to plain PyTorch with the pthreads build and to plain
    PyTorch with the same build;
  - time to a finished image with the dialog's Draft preset, and to a
    finished 1024 px image with default settings, and peak memory;
  - peak memory of a 4000x3000 image run in blocks under the default limit, and of a
    2000x1500 one under a 1 GiB limit;
  - the cost of a step evaluated in blocks (forced to 512 and 1024 px) against the same
    step on the whole image, at 2000x1500 where both fit (--only-blocks runs
    just these rows);
  - a step with the mean-and-covariance style loss against one with Gram
    matrices, at 512 and 1024 px (--only-style-loss runs just these rows);
  - with --only-options: sqrt(2) scale steps and iterate averaging against
    the defaults, a finished 1024 px image's time and its result's loss; with
    --only-adam-averaging the same for Adam with and without averaging.
A step is one loss-and-gradient evaluation (L-BFGS takes one per step in
both). The first step of each run is a warm-up and is left out of the mean.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def default_image(name, fallback):
    shared = os.environ.get("NST_SHARED_DIR") or os.path.join(SOURCE, "..", "shared")
    path = os.path.join(shared, "images", name)
    return path if os.path.isfile(path) else os.path.join(SOURCE, "data", "samples", fallback)


def run(cmd, **kwargs):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kwargs)


# Where each OpenBLAS build keeps its libblas.so.3; a process started with
# one of them on LD_LIBRARY_PATH loads that build whatever the system's choice.
BLAS_FOLDERS = {"openmp": "/usr/lib/x86_64-linux-gnu/openblas-openmp",
                "pthreads": "/usr/lib/x86_64-linux-gnu/openblas-pthread"}


def blas_env(blas):
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = BLAS_FOLDERS[blas]
    return env


def plain_seconds_per_step(args, weights, blas):
    out = run([sys.executable, os.path.join(HERE, "plain_gatys.py"), "time", "--weights", weights,
               "--content", args.content, "--style", args.style, "--size", "512",
               "--steps", str(args.steps), "--threads", str(args.threads)],
              stdout=subprocess.PIPE, text=True, env=blas_env(blas)).stdout
    return json.loads(out.strip().splitlines()[-1])["seconds_per_step"]


def engine_run(args, weights, work, name, extra, content=None, blas="openmp", first_run=False):
    """`first_run`: in a cache folder of its own, so that its time estimate
    is the one a first run gets (no rate remembered from another run)."""
    stats = os.path.join(work, name + ".json")
    output = os.path.join(work, name + ".png")
    env = blas_env(blas)
    if first_run:
        env["XDG_CACHE_HOME"] = os.path.join(work, "cache-" + name)
    started = time.monotonic()
    run([args.cli, "--content", content or args.content, "--style", args.style, "--output", output,
         "--weights", weights, "--threads", str(args.threads), "--stats", stats, "--quiet"]
        + extra, env=env)
    wall = time.monotonic() - started
    with open(stats) as f:
        report = json.load(f)
    report["wall_seconds"] = wall
    return report


def finished_row(run_name, measure, report):
    """A table row for a run to its finished image: wall time and peak memory."""
    return (run_name, measure, f"{report['total_seconds']:.0f} s",
            f"peak {report['peak_memory_bytes'] / 2**20:.0f} MiB")


def mean_step_seconds(report):
    steps = [s["seconds"] for s in report["steps"]][1:]  # the first is a warm-up
    return sum(steps) / len(steps)


def large_content(work, content, width, height):
    """A photo-like image of width x height: the content image scaled up."""
    from PIL import Image
    path = os.path.join(work, f"large-{width}x{height}.png")
    Image.open(content).convert("RGB").resize((width, height), Image.BICUBIC).save(path)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True, help="the built neural-style program")
    parser.add_argument("--content", default=default_image("shipwreck.jpg", "content-landscape.png"))
    parser.add_argument("--style", default=default_image("starry_night.jpg", "style-swirls.png"))
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--skip-default", action="store_true", help="no 1024 px default run")
    parser.add_argument("--skip-large", action="store_true", help="no 4000x3000 and 2000x1500 runs")
    parser.add_argument("--only-blocks", action="store_true", help="only the block-cost rows")
    parser.add_argument("--only-schedule", action="store_true",
                        help="only the schedule rows: the default steps against 4x at full size")
    parser.add_argument("--only-style-loss", action="store_true",
                        help="only the style-loss rows: a step with Gram matrices against one "
                             "with means and covariances")
    parser.add_argument("--only-options", action="store_true",
                        help="only the rows of sqrt(2) scale steps and iterate averaging against "
                             "the defaults: time and the result's loss")
    parser.add_argument("--only-adam-averaging", action="store_true",
                        help="only Adam with and without iterate averaging: time and the "
                             "result's loss")
    parser.add_argument("--only-full-size", nargs="*", metavar="WxH:PRECISION",
                        help="only default runs at full size, e.g. 4000x3000:bf16 6000x4000:bf16")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="nst-bench-") as work:
        weights = os.path.join(work, "vgg19-random.safetensors")
        run([sys.executable, os.path.join(HERE, "plain_gatys.py"), "write-weights", weights])

        if args.only_full_size:
            for run_spec in args.only_full_size:
                size, precision = run_spec.split(":")
                width, height = map(int, size.split("x"))
                rows.append(full_size_row(args, weights, work, width, height, precision))
            print_table(rows)
            return
        if args.only_options or args.only_adam_averaging:
            rows += option_rows(args, weights, work) if args.only_options else []
            rows += adam_averaging_rows(args, weights, work) if args.only_adam_averaging else []
            print_table(rows)
            return
        if args.only_blocks or args.only_schedule or args.only_style_loss:
            rows += block_cost_rows(args, weights, work) if args.only_blocks else []
            rows += schedule_rows(args, weights, work) if args.only_schedule else []
            rows += style_loss_rows(args, weights, work) if args.only_style_loss else []
            print_table(rows)
            return
        builds = [b for b in ("openmp", "pthreads") if os.path.isdir(BLAS_FOLDERS[b])]
        plain = {b: plain_seconds_per_step(args, weights, b) for b in builds}
        reference = plain.get("pthreads", plain[builds[0]])
        fixed = ["--scales", "512", "--iterations", str(args.steps), "--init", "content"]
        for blas in builds:
            rows.append((f"plain PyTorch, fp32, NCHW, OpenBLAS {blas}", "512 px step",
                         f"{plain[blas]:.3f} s", f"{plain[blas] / reference:.2f}x / 1.00x"))
            for precision in ("fp32", "bf16"):
                report = engine_run(args, weights, work, f"step-{precision}-{blas}",
                                    fixed + ["--precision", precision], blas=blas)
                s = mean_step_seconds(report)
                rows.append((f"engine, {precision}, OpenBLAS {blas}", "512 px step", f"{s:.3f} s",
                             f"{s / reference:.2f}x / {s / plain[blas]:.2f}x"))

        if not args.skip_default:
            # The dialog's Draft preset (ui/quality_presets.cpp): painted at
            # 384 px with 15 steps, the result scaled to the layer's size.
            report = engine_run(args, weights, work, "draft",
                                ["--size", "384", "--iterations", "15"])
            rows.append(finished_row("engine, Draft preset, fp32",
                                     "finished image (384 px painted)", report))
            for precision in ("fp32", "bf16"):
                report = engine_run(args, weights, work, "default-" + precision,
                                    ["--size", "1024", "--precision", precision])
                rows.append(finished_row(f"engine, defaults, {precision}",
                                         "1024 px finished image", report))

        if not args.skip_large:
            # The default limit (4 GiB) on 4000x3000, and a 1 GiB one on a
            # smaller image, which tiles it more finely.
            for (width, height), limit_args in (((4000, 3000), []),
                                                ((2000, 1500), ["--memory-limit", "1024"])):
                big = large_content(work, args.content, width, height)
                report = engine_run(args, weights, work, f"large-{width}",
                                    ["--size", "0", "--iterations", "1", "--precision", "bf16"]
                                    + limit_args, content=big)
                name = " ".join(["engine, bf16, 1 step at full size"] + limit_args)
                run_name, measure, seconds, peak = finished_row(
                    name, f"{width}x{height} image", report)
                # The limit bounds the run's share, above LibTorch and the
                # decoded image the process held before the run.
                own = report["run_peak_memory_bytes"] / 2**20
                limit = report["options"]["memory-limit"]  # MiB
                rows.append((run_name, measure, seconds,
                             f"{peak}, the run's own {own:.0f} MiB of the {limit:.0f} MiB limit"))
            rows += block_cost_rows(args, weights, work)
        rows += style_loss_rows(args, weights, work)
    print_table(rows)


def block_cost_rows(args, weights, work):
    """A 2000x1500 step on the whole image, in one block, and in 1024 and 512
    px blocks, fp32 (their margins read 1.2x and 1.5x the image's pixels).
    The whole image's step is measured before and after each block row and
    each row is divided by their mean: the machine's speed drifts by several
    per cent within a benchmark."""
    big = large_content(work, args.content, 2000, 1500)
    fixed = ["--scales", "2000", "--iterations", str(args.steps), "--init", "content",
             "--memory-limit", "16384"]

    def whole_step(run):
        return mean_step_seconds(engine_run(args, weights, work, f"whole-2000-{run}", fixed,
                                            content=big))

    wholes = [whole_step(0)]
    rows = []
    # A tile size just under the image's side: one block, no margin, so its
    # row is what the two passes (statistics, then back-propagation) cost.
    for side, name in ((1999, "one block: the two passes alone"), (1024, "1024 px blocks"),
                       (512, "512 px blocks")):
        blocks = mean_step_seconds(engine_run(args, weights, work, f"blocks-{side}-2000",
                                              fixed + ["--tile-size", str(side)], content=big))
        wholes.append(whole_step(len(wholes)))
        around = (wholes[-2] + wholes[-1]) / 2
        rows.append((f"engine, fp32, {name} (forced)", "2000x1500 step", f"{blocks:.2f} s",
                     f"{blocks / around:.2f}x of the whole image's step around it "
                     f"({wholes[-2]:.2f} s, {wholes[-1]:.2f} s)"))
    whole = sum(wholes) / len(wholes)
    return [("engine, fp32, whole image", "2000x1500 step", f"{whole:.2f} s",
             f"1.00x (mean of {len(wholes)}: " + ", ".join(f"{w:.2f}" for w in wholes) + ")")
            ] + rows


def style_loss_rows(args, weights, work, sides=(512, 1024)):
    """A step with the Gram loss against one with the mean-and-covariance
    loss (its eigendecompositions and float64 statistics), fp32."""
    rows = []
    for side in sides:
        fixed = ["--scales", str(side), "--iterations", str(args.steps), "--init", "content"]
        seconds = {}
        for loss in ("gram", "mean-covariance"):
            seconds[loss] = mean_step_seconds(engine_run(
                args, weights, work, f"loss-{loss}-{side}", fixed + ["--style-loss", loss]))
        rows.append(("engine, fp32, Gram loss", f"{side} px step", f"{seconds['gram']:.3f} s",
                     "1.00x"))
        rows.append(("engine, fp32, mean-and-covariance loss", f"{side} px step",
                     f"{seconds['mean-covariance']:.3f} s",
                     f"{seconds['mean-covariance'] / seconds['gram']:.2f}x of the Gram step"))
    return rows


def option_rows(args, weights, work, size=1024):
    """Sqrt(2) scale steps and iterate averaging against the defaults, each
    run to a finished 1024 px image in bf16: its time and its result's loss
    at the finest scale (--measure-result); and the defaults with as many
    more steps as sqrt(2) steps' time buys, for the same time."""
    fixed = ["--size", str(size), "--precision", "bf16", "--measure-result"]

    def finished(name, extra):
        report = engine_run(args, weights, work, name, fixed + extra)
        return report["total_seconds"], report["result_loss"]

    base_seconds, base_loss = finished("options-default", [])
    runs = [("engine, defaults, bf16", base_seconds, base_loss)]
    sqrt2_seconds, sqrt2_loss = finished("options-sqrt2", ["--scale-ratio", "sqrt2"])
    runs.append(("engine, sqrt(2) scale steps", sqrt2_seconds, sqrt2_loss))
    iterations = round(25 * sqrt2_seconds / base_seconds)
    seconds, loss = finished("options-longer", ["--iterations", str(iterations)])
    runs.append((f"engine, defaults with {iterations} iterations (sqrt(2)'s time)", seconds, loss))
    for decay in (0.5, 0.9):
        seconds, loss = finished(f"options-average-{decay}", ["--iterate-averaging", str(decay)])
        runs.append((f"engine, iterate averaging {decay}", seconds, loss))
    return [(name, f"{size} px finished image", f"{seconds:.0f} s",
             f"result loss {loss:.5g} ({loss / base_loss:.3f}x the defaults')")
            for name, seconds, loss in runs]


def adam_averaging_rows(args, weights, work, size=1024):
    """Adam (rate 5) with and without iterate averaging, a finished 1024 px
    image in bf16: time and the result's loss."""
    fixed = ["--size", str(size), "--precision", "bf16", "--measure-result", "--optimizer",
             "adam", "--learning-rate", "5"]
    runs = []
    for decay in (0, 0.9):
        report = engine_run(args, weights, work, f"adam-average-{decay}",
                            fixed + ["--iterate-averaging", str(decay)])
        runs.append((f"engine, Adam, iterate averaging {decay}" if decay else "engine, Adam",
                     report["total_seconds"], report["result_loss"]))
    base = runs[0][2]
    return [(name, f"{size} px finished image", f"{seconds:.0f} s",
             f"result loss {loss:.5g} ({loss / base:.3f}x Adam's without averaging)")
            for name, seconds, loss in runs]


def schedule_rows(args, weights, work, width=2000, height=1500, sides=(250, 500, 1000, 2000)):
    """The default schedule at full size (its automatic scales are `sides`)
    against the same with 4x the steps at the finest scale: the final
    losses, bf16."""
    big = large_content(work, args.content, width, height)
    fixed = ["--size", "0", "--precision", "bf16"]
    default = engine_run(args, weights, work, f"schedule-{width}", fixed, content=big)
    per_scale = {}
    for step in default["steps"]:
        per_scale[step["scale"]] = step["step"]
    steps = [per_scale[i] for i in sorted(per_scale)]
    assert len(steps) == len(sides), (steps, sides)
    longer = [steps[-1] * 4]
    more = engine_run(args, weights, work, f"schedule-{width}-4x",
                      fixed + ["--scales", ",".join(map(str, sides)),
                               "--scale-iterations", ",".join(map(str, steps[:-1] + longer))],
                      content=big)
    final = default["steps"][-1]["total_loss"]
    reference = more["steps"][-1]["total_loss"]
    plan = ", ".join(map(str, steps))
    return [(f"engine, defaults, bf16 ({plan} steps)", f"{width}x{height} image",
             f"{default['total_seconds']:.0f} s", f"final loss {final:.4g}"),
            (f"engine, 4x the steps at full size ({longer[0]})", f"{width}x{height} image",
             f"{more['total_seconds']:.0f} s",
             f"final loss {reference:.4g}; the default's is {final / reference:.3f}x")]


def full_size_row(args, weights, work, width, height, precision):
    """A run with default settings (every pixel) of a width x height photo:
    its time, peak memory and what the memory plan changed."""
    big = large_content(work, args.content, width, height)
    report = engine_run(args, weights, work, f"full-{width}-{precision}",
                        ["--precision", precision], content=big, first_run=True)
    own = report["run_peak_memory_bytes"] / 2**20
    limit = report["options"]["memory-limit"]
    notes = "; ".join(report.get("notes", [])) or "no change"
    # Each scale's steps, in seconds: where the time goes (the rest of the
    # total is the scales' targets, resizing and writing the result).
    scales = {}
    for step in report["steps"]:
        scales[step["scale"]] = scales.get(step["scale"], 0.0) + step["seconds"]
    per_scale = " / ".join(f"{seconds:.1f}" for _, seconds in sorted(scales.items()))
    return (f"engine, defaults, {precision}", f"{width}x{height} image, every pixel",
            f"{report['total_seconds'] / 60:.1f} min ({report['total_seconds']:.0f} s; "
            f"steps per scale {per_scale} s; the dialog's estimate before a first run "
            f"{report['estimated_seconds'] / 60:.1f} min)",
            f"peak {report['peak_memory_bytes'] / 2**20:.0f} MiB, the run's own {own:.0f} MiB "
            f"of the {limit:.0f} MiB limit; {notes}")


def print_table(rows):
    print()
    print("Ratios: to plain PyTorch with OpenBLAS pthreads / to plain PyTorch with the same BLAS.")
    print(f"| run | measure | time | ratio / memory |")
    print(f"|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
