# Python-Fu cases of run_gui_tests.py, run by GIMP 3 with its GUI under Xvfb
# (--batch-interpreter=python-fu-eval reads this file from standard input;
# the harness appends run_cases([...names...])). Each case opens an image in
# a display, writes the test script that the plug-in's dialog and live
# window follow (NST_UI_TEST_SCRIPT, ui/test_script.h), calls the filter in
# INTERACTIVE mode and checks what happened. A case raises to fail.
import os
import time
import traceback

import gi

gi.require_version("Gegl", "0.4")
gi.require_version("Gimp", "3.0")
from gi.repository import Gegl, Gimp, Gio  # noqa: E402

PROC = "plug-in-neural-style-transfer"
TITLE = "Neural Style Transfer"
WORK = os.environ["NST_TEST_WORK"]
WEIGHTS = os.environ["NST_TEST_WEIGHTS"]
STRIPES = os.environ["NST_TEST_STYLE"]
SHOTS = os.environ["NST_TEST_SHOTS"]
SCRIPT = os.environ["NST_UI_TEST_SCRIPT"]
SHARED_IMAGES = os.path.join(os.environ.get("NST_SHARED_DIR", ""), "images")
pdb = Gimp.get_pdb()
IMAGES = []


class Skip(Exception):
    pass


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def gfile(path):
    return Gio.File.new_for_path(path)


def path_in_work(name):
    return os.path.join(WORK, name)


def shared_image(name):
    path = os.path.join(SHARED_IMAGES, name)
    return path if os.path.isfile(path) else None


def style_file():
    """A painting when shared/ has one (nicer screenshots), else stripes."""
    return shared_image("starry_night.jpg") or STRIPES


def open_image(path, width):
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, gfile(path))
    IMAGES.append(image)
    height = max(1, round(image.get_height() * width / image.get_width()))
    image.scale(width, height)
    return image


def open_content():
    """The content image, shown in a display as a user would have it."""
    path = shared_image("shipwreck.jpg")
    if path:
        image = open_image(path, 480)
    else:
        image = Gimp.Image.new(240, 160, Gimp.ImageBaseType.RGB)
        IMAGES.append(image)
        layer = Gimp.Layer.new(image, "Background", 240, 160, Gimp.ImageType.RGB_IMAGE, 100.0,
                               Gimp.LayerMode.NORMAL)
        image.insert_layer(layer, None, 0)
        Gimp.context_set_foreground(Gimp.color_parse_css("#3070c0"))
        layer.edit_fill(Gimp.FillType.FOREGROUND)
    layer = image.get_layers()[0]
    layer.set_name("Background")
    Gimp.Display.new(image)
    Gimp.displays_flush()
    return image, layer


def write_script(*lines):
    with open(SCRIPT, "w") as f:
        f.write("\n".join(lines) + "\n")


def read_dump(path):
    check(os.path.isfile(path), f"the dialog wrote no {path}")
    values = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.rstrip("\n").partition("=")
            values[name] = value
    return values


def read_text(path):
    check(os.path.isfile(path), f"the window wrote no {path}")
    with open(path) as f:
        return f.read().strip()


def shot(name, window=TITLE):
    """A script command taking a screenshot of one window (by title) or the screen."""
    target = f"'{window}'" if window else "root"
    return f"shell import -window {target} '{os.path.join(SHOTS, name)}'"


def run_interactive(image, layers):
    procedure = pdb.lookup_procedure(PROC)
    config = procedure.create_config()
    config.set_property("run-mode", Gimp.RunMode.INTERACTIVE)
    config.set_property("image", image)
    config.set_core_object_array("drawables", layers)
    start = time.monotonic()
    result = procedure.run(config)
    seconds = time.monotonic() - start
    status = result.index(0)
    new = list(result.get_core_object_array(1)) if status == Gimp.PDBStatusType.SUCCESS else []
    return status, new, seconds


def expect(status, wanted):
    check(status == wanted, f"status {status.value_nick}, expected {wanted.value_nick}: "
                            f"{pdb.get_last_error()}")


# --- cases -------------------------------------------------------------------

def case_dialog_widgets_change_config():
    image, layer = open_content()
    before, after = path_in_work("before.txt"), path_in_work("after.txt")
    title, status_text = path_in_work("title.txt"), path_in_work("weights.txt")
    estimate, long_estimate = path_in_work("estimate.txt"), path_in_work("estimate-long.txt")
    write_script(
        "dialog wait 500",
        f"dialog dump {before}",
        f"dialog text estimate {estimate}",
        "dialog set iterations 20000",
        "dialog wait 100",
        f"dialog text estimate {long_estimate}",
        "dialog set quality draft",
        "dialog set strength 75",
        "dialog set preserve-colors luminance",
        "dialog set device cpu",
        f"dialog set style-file {STRIPES}",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set seed 7",
        "dialog set content-layers relu3_2:0.5, relu4_2",
        "dialog set style-loss mean-covariance",
        "dialog set scale-ratio sqrt2",
        "dialog set iterate-averaging 0.25",
        "dialog wait 300",
        f"dialog dump {after}",
        f"dialog text title {title}",
        f"dialog text weights-status {status_text}",
        "dialog click advanced",
        "dialog wait 800",
        "dialog " + shot("dialog-advanced.png"),
        "dialog click cancel")
    count = len(image.get_layers())
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(len(image.get_layers()) == count, "Cancel in the dialog added a layer")

    old, new = read_dump(before), read_dump(after)
    wanted = {"size": "384", "iterations": "15", "scales": "", "preserve-colors": "luminance",
              "device": "cpu", "device-index": "0", "style-file": STRIPES, "style-layer": "",
              "seed": "7", "content-layers": "relu3_2:0.5, relu4_2",
              "style-loss": "mean-covariance", "scale-ratio": "sqrt2"}
    wrong = {k: new.get(k) for k, v in wanted.items() if new.get(k) != v}
    check(not wrong, f"config after the widgets changed: {wrong}")
    check(abs(float(new["style-weight"]) - 1e6) < 1.0, f"strength 75: {new['style-weight']}")
    check(abs(float(new["iterate-averaging"]) - 0.25) < 1e-9,
          f"iterate-averaging {new['iterate-averaging']}")
    changed = [k for k in ("iterations", "preserve-colors", "style-weight", "seed")
               if old.get(k) == new.get(k)]
    check(not changed, f"these did not change from the defaults: {changed}")
    check(read_text(title) == TITLE, f"title {read_text(title)!r}")
    # The estimate names the layer's size and follows the settings.
    size = f"{layer.get_width()} x {layer.get_height()} layer: "
    check(read_text(estimate).startswith("Estimated time for this " + size),
          f"estimate {read_text(estimate)!r}")
    check(read_text(long_estimate).endswith("hours"), f"20000 steps: {read_text(long_estimate)!r}")
    check(read_text(status_text).startswith("Found at " + WEIGHTS),
          f"weights status {read_text(status_text)!r}")


def case_download_button():
    image, layer = open_content()
    first, second = path_in_work("status-1.txt"), path_in_work("status-2.txt")
    write_script(
        "dialog wait 300",
        "dialog set weights-file none",
        "dialog wait 300",
        f"dialog text weights-status {first}",
        "dialog click download",
        "dialog wait 6000",
        f"dialog text weights-status {second}",
        "dialog click cancel")
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(read_text(first).startswith("Not found:") and " MB) into " in read_text(first),
          f"before: {read_text(first)!r}")
    check(read_text(second).startswith("Found at "), f"after: {read_text(second)!r}")
    cache = os.path.join(os.environ["XDG_CACHE_HOME"], "neural-style-transfer")
    check(os.path.isdir(cache) and os.listdir(cache), f"nothing was downloaded into {cache}")


def case_ok_adds_layer_from_style_layer():
    image, layer = open_content()
    style_image = open_image(style_file(), 320)
    style_layer = style_image.get_layers()[0]
    style_layer.set_name("Starry Night")
    live_status = path_in_work("live-status.txt")
    write_script(
        "dialog wait 500",
        f"dialog set style-layer {style_layer.get_id()}",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set quality draft",
        "dialog set strength 60",
        "dialog set device cpu",
        "dialog wait 1000",
        f"dialog dump {path_in_work('style-layer.txt')}",
        "dialog " + shot("dialog.png"),
        "dialog " + shot("dialog-screen.png", None),
        "dialog click ok",
        "live 6 " + shot("live-window.png"),
        "live 6 " + shot("live-window-screen.png", None),
        f"live 6 text status {live_status}")
    count = len(image.get_layers())
    status, new, seconds = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.SUCCESS)
    check(len(new) == 1 and len(image.get_layers()) == count + 1, "not exactly one new layer")
    check(new[0].get_name() == "Background (Starry Night)", f"name {new[0].get_name()!r}")
    for name in ("dialog.png", "live-window.png"):
        path = os.path.join(SHOTS, name)
        check(os.path.isfile(path) and os.path.getsize(path) > 1000, f"no screenshot {path}")
    text = read_text(live_status)
    check("step" in text.lower() and "Losses: content" in text, f"live window said {text!r}")
    print(f"# the draft run took {seconds:.1f} s", flush=True)


def case_reshow_remembers_the_last_choices():
    # After the OK above, "Re-Show" (INTERACTIVE again) starts from its values.
    image, layer = open_content()
    shown = path_in_work("reshow.txt")
    write_script("dialog wait 300", f"dialog dump {shown}", "dialog click cancel")
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    values = read_dump(shown)
    wanted = {"size": "384", "iterations": "15", "device": "cpu", "weights-file": WEIGHTS}
    wrong = {k: values.get(k) for k, v in wanted.items() if values.get(k) != v}
    check(not wrong, f"not remembered: {wrong}")
    check(abs(float(values["style-weight"]) - 251188.643) < 1.0,
          f"strength 60 not remembered: {values['style-weight']}")


def style_name(path):
    """The plug-in's name for a style file (plugin/style_name.cpp)."""
    base = os.path.splitext(os.path.basename(path))[0].replace("_", " ").replace("-", " ")
    return " ".join(word[:1].upper() + word[1:] for word in base.split(" "))


def case_several_styles_in_the_dialog():
    # Three styles: the first (a file), a layer and a file added as rows,
    # each with its weight; then the dialog shows them again, and removing
    # the rows leaves one style.
    image, layer = open_content()
    brush_image = open_image(style_file(), 200)
    brush = brush_image.get_layers()[0]
    brush.set_name("Brush")
    # The first style is the file the later cases choose too: GIMP 3.0's
    # file chooser, set by the script to a file of another folder than the
    # one it shows, reports a critical warning of its own.
    first_file, second_file = style_file(), STRIPES
    first_dump, again, removed = (path_in_work("styles-1.txt"), path_in_work("styles-2.txt"),
                                  path_in_work("styles-3.txt"))
    write_script(
        "dialog wait 300",
        f"dialog set style-file {first_file}",
        f"dialog set add-style-layer {brush.get_id()}",
        f"dialog set add-style-file {second_file}",
        "dialog set style-weight-1 0.5",
        "dialog set style-weight-2 0.3",
        "dialog set style-weight-3 0.2",
        "dialog set style-stroke-3 2",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set quality draft",
        "dialog set device cpu",
        "dialog wait 500",
        f"dialog dump {first_dump}",
        "dialog " + shot("dialog-styles.png"),
        "dialog click ok")
    status, new, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.SUCCESS)
    values = read_dump(first_dump)
    check(values.get("style-blend-weights") == "0.5, 0.3, 0.2",
          f"weights {values.get('style-blend-weights')!r}")
    check(values.get("style-stroke-sizes") == "1, 1, 2",
          f"stroke sizes {values.get('style-stroke-sizes')!r}")
    names = []
    for name in (style_name(first_file), "Brush", style_name(second_file)):
        if name not in names:
            names.append(name)
    wanted = "Background (" + " + ".join(names) + ")"
    check(len(new) == 1 and new[0].get_name() == wanted,
          f"name {[n.get_name() for n in new]}, expected {wanted!r}")

    write_script(
        "dialog wait 300",
        f"dialog dump {again}",
        "dialog click remove-style-3",
        "dialog click remove-style-2",
        "dialog wait 300",
        f"dialog dump {removed}",
        "dialog click ok")
    status, new, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.SUCCESS)
    check(read_dump(again).get("style-blend-weights") == "0.5, 0.3, 0.2",
          f"the rows were not shown again: {read_dump(again).get('style-blend-weights')!r}")
    check(read_dump(again).get("style-stroke-sizes") == "1, 1, 2",
          f"stroke sizes not shown again: {read_dump(again).get('style-stroke-sizes')!r}")
    check(read_dump(removed).get("style-stroke-sizes") == "",
          f"stroke sizes after removing the rows: {read_dump(removed).get('style-stroke-sizes')!r}")
    check(read_dump(removed).get("style-blend-weights") == "",
          f"after removing the rows: {read_dump(removed).get('style-blend-weights')!r}")
    wanted = f"Background ({style_name(first_file)})"
    check(len(new) == 1 and new[0].get_name() == wanted,
          f"name {[n.get_name() for n in new]}, expected {wanted!r}")


def case_style_masks_in_the_dialog():
    # The first style in a channel (saved from a selection of the left
    # half), a second everywhere: the run paints with both; the dialog
    # shows the masks again, and one style alone can still take a mask.
    image, layer = open_content()
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 0, 0, image.get_width() // 2,
                           image.get_height())
    left = Gimp.Selection.save(image)
    left.set_name("Left half")
    Gimp.Selection.none(image)
    first_dump, again, alone = (path_in_work("masks-1.txt"), path_in_work("masks-2.txt"),
                                path_in_work("masks-3.txt"))
    write_script(
        "dialog wait 300",
        f"dialog set style-file {style_file()}",
        f"dialog set style-mask-1 {left.get_id()}",
        f"dialog set add-style-file {style_file()}",
        "dialog set style-mask-2 0",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set quality draft",
        "dialog set device cpu",
        "dialog wait 500",
        f"dialog dump {first_dump}",
        "dialog " + shot("dialog-masks.png"),
        "dialog click ok")
    status, new, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.SUCCESS)
    wanted = f"{left.get_id()}, none"
    check(read_dump(first_dump).get("style-masks") == wanted,
          f"masks {read_dump(first_dump).get('style-masks')!r}, expected {wanted!r}")
    check(len(new) == 1, f"{len(new)} layers added")

    write_script(
        "dialog wait 300",
        f"dialog dump {again}",
        "dialog click remove-style-2",
        "dialog wait 300",
        f"dialog dump {alone}",
        "dialog click cancel")
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(read_dump(again).get("style-masks") == wanted,
          f"the masks were not shown again: {read_dump(again).get('style-masks')!r}")
    check(read_dump(alone).get("style-masks") == str(left.get_id()),
          f"one style's mask: {read_dump(alone).get('style-masks')!r}")


def case_preview_in_the_dialog():
    # The preview paints the settings at the Draft size and leaves the image
    # alone; a settings change cancels the rendering under way, and after a
    # pause in editing a new one paints the changed settings to the end.
    image, layer = open_content()
    x, y, w, h = 0, 0, layer.get_width(), layer.get_height()
    before = bytes(layer.get_buffer().get(Gegl.Rectangle.new(x, y, w, h), 1.0, "R'G'B'A u8",
                                          Gegl.AbyssPolicy.NONE))
    painting, final = path_in_work("preview-1.txt"), path_in_work("preview-2.txt")
    dump = path_in_work("preview-dump.txt")
    write_script(
        "dialog wait 300",
        f"dialog set style-file {style_file()}",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set device cpu",
        "dialog set strength 60",
        "dialog click preview",
        "dialog until preview Painting the preview: Scale",
        f"dialog text preview {painting}",
        "dialog set strength 75",
        "dialog until preview cancelled 1",
        "dialog until preview shown 1",
        "dialog " + shot("dialog-preview.png"),
        f"dialog text preview {final}",
        f"dialog dump {dump}",
        "dialog click cancel")
    count = len(image.get_layers())
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(len(image.get_layers()) == count, "the preview added a layer")
    after = bytes(layer.get_buffer().get(Gegl.Rectangle.new(x, y, w, h), 1.0, "R'G'B'A u8",
                                         Gegl.AbyssPolicy.NONE))
    check(after == before, "the preview changed the layer's pixels")
    first = read_text(painting)
    check(first.startswith("state running, started 1, cancelled 0, shown 0"),
          f"while painting: {first!r}")
    last = read_text(final)
    check(last.startswith("state idle, started 2, cancelled 1, shown 1, picture "),
          f"after the change: {last!r}")
    # The finished picture: the result at the layer's size, reduced to the
    # previews' 480 px.
    picture = last.split("picture ")[1].split(":")[0]
    check(max(int(v) for v in picture.split("x")) == min(480, max(w, h)),
          f"the preview's picture {picture} for a {w} x {h} layer")
    check(abs(float(read_dump(dump)["style-weight"]) - 1e6) < 1.0,
          "the config lost the change made during the preview")


def case_stop_keeps_layer():
    image, layer = open_content()
    live_status = path_in_work("stop-status.txt")
    write_script(
        "dialog wait 300",
        f"dialog set style-file {style_file()}",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set size 256",
        "dialog set iterations 20000",
        "dialog click ok",
        f"live 3 text status {live_status}",
        "live 3 click stop")
    count = len(image.get_layers())
    status, new, seconds = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.SUCCESS)
    check(len(new) == 1 and len(image.get_layers()) == count + 1, "Stop did not keep one layer")
    check(seconds < 120, f"the run took {seconds:.0f} s: Stop did not end it early")
    check("of 20000" in read_text(live_status), f"live window said {read_text(live_status)!r}")


def case_cancel_adds_nothing():
    image, layer = open_content()
    write_script(
        "dialog wait 300",
        f"dialog set style-file {style_file()}",
        f"dialog set weights-file {WEIGHTS}",
        "dialog set size 256",
        "dialog set iterations 20000",
        "dialog click ok",
        "live 3 click cancel")
    count = len(image.get_layers())
    status, _, seconds = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(len(image.get_layers()) == count, "Cancel in the live window added a layer")
    check(seconds < 120, f"the run took {seconds:.0f} s: Cancel did not end it early")


def run_batch(image, layers, **arguments):
    """A NONINTERACTIVE call, as scripts make it: exactly these arguments."""
    procedure = pdb.lookup_procedure(PROC)
    config = procedure.create_config()
    config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    config.set_property("image", image)
    config.set_core_object_array("drawables", layers)
    settings = {"style-file": gfile(STRIPES), "weights-file": gfile(WEIGHTS), "iterations": 2,
                "size": 0}
    settings.update({name.replace("_", "-"): value for name, value in arguments.items()})
    for name, value in settings.items():
        config.set_property(name, value)
    result = procedure.run(config)
    status = result.index(0)
    if status == Gimp.PDBStatusType.SUCCESS:
        return status, ""
    message = result.index(1) if result.length() > 1 else pdb.get_last_error()
    return status, message or ""


def case_layer_lists_reach_the_engine():
    image, layer = open_content()
    status, message = run_batch(image, [layer], content_layers="relu3_2:0.5, relu4_2",
                                style_layers="relu1_1 relu2_1:2")
    check(status == Gimp.PDBStatusType.SUCCESS, f"valid lists failed: {message}")
    status, message = run_batch(image, [layer], style_layers="relu1_1:heavy")
    check(status == Gimp.PDBStatusType.EXECUTION_ERROR and "relu1_1:heavy" in message,
          f"a bad weight: {status.value_nick} {message!r}")
    status, message = run_batch(image, [layer], content_layers="relu9_9")
    check(status == Gimp.PDBStatusType.EXECUTION_ERROR and "relu9_9" in message,
          f"an unknown layer: {status.value_nick} {message!r}")


def case_german_menu_and_dialog():
    label = pdb.lookup_procedure(PROC).get_menu_label().replace("_", "")
    check(label == "Neuronaler Stiltransfer...", f"menu label {label!r}")
    image, layer = open_content()
    title = path_in_work("title-de.txt")
    write_script(
        "dialog wait 800",
        f"dialog text title {title}",
        "dialog " + shot("dialog-de.png", "Neuronaler Stiltransfer"),
        "dialog click cancel")
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(read_text(title) == "Neuronaler Stiltransfer", f"dialog title {read_text(title)!r}")


def case_french_dialog():
    label = pdb.lookup_procedure(PROC).get_menu_label().replace("_", "")
    check(label == "Transfert de style neuronal...", f"menu label {label!r}")
    image, layer = open_content()
    title = path_in_work("title-fr.txt")
    write_script(
        "dialog wait 800",
        f"dialog text title {title}",
        "dialog click cancel")
    status, _, _ = run_interactive(image, [layer])
    expect(status, Gimp.PDBStatusType.CANCEL)
    check(read_text(title) == "Transfert de style neuronal", f"dialog title {read_text(title)!r}")


# --- runner --------------------------------------------------------------------

def cleanup():
    for display in Gimp.get_displays():
        display.delete()
    for image in IMAGES:
        if image.is_valid():
            image.delete()
    IMAGES.clear()


def run_cases(names):
    for name in names:
        print(f"NSTTEST begin {name}", flush=True)
        try:
            globals()["case_" + name]()
            print(f"NSTTEST ok {name}", flush=True)
        except Skip as reason:
            print(f"NSTTEST skip {name} # {reason}", flush=True)
        except Exception as error:  # report and go on: one GIMP session runs all cases
            detail = " | ".join(traceback.format_exception_only(type(error), error)).strip()
            print(f"NSTTEST not ok {name} # {detail}".replace("\n", " | "), flush=True)
        finally:
            try:
                cleanup()
            except Exception:
                pass
