# Python-Fu cases of run_gimp_tests.py. gimp-console-3.0 reads this file from
# standard input (--batch-interpreter=python-fu-eval); the harness appends
# run_cases([...names...]). Each case_NAME function is one test; it raises
# to fail and Skip to skip. Images are tiny and runs take a few steps.
import array
import json
import os
import subprocess
import traceback

import gi

gi.require_version("Gimp", "3.0")
gi.require_version("Gegl", "0.4")
from gi.repository import Gegl, Gimp, Gio  # noqa: E402

PROC = "plug-in-neural-style-transfer"
WORK = os.environ["NST_TEST_WORK"]
WEIGHTS = os.environ["NST_TEST_WEIGHTS"]
STYLE = os.environ["NST_TEST_STYLE"]
STYLE_NAME = "Style Stripes"  # from the file name style_stripes.png
pdb = Gimp.get_pdb()

# The argument names scripts rely on.
CONTRACT = ["style-layer", "style-file", "iterations", "size", "style-weight", "content-weight",
            "tv-weight", "preserve-colors", "seed", "device", "weights-file", "style-scale",
            "optimizer", "learning-rate", "init", "precision", "scales", "memory-limit",
            "pooling", "preprocessing", "threads", "content-layers", "style-layers", "tile-size",
            "scale-iterations", "style-layer-ids", "style-file-list", "style-blend-weights",
            "match-style-colors", "style-stroke-sizes", "style-masks", "mask-erosion",
            "style-loss", "scale-ratio", "iterate-averaging"]

# Few steps at the image's own (tiny) size keep every run short.
QUICK = {"iterations": 3, "size": 0, "seed": 1}


class Skip(Exception):
    pass


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def gfile(path):
    return Gio.File.new_for_path(path)


# --- images ---------------------------------------------------------------

IMAGES = []

LAYER_TYPES = {
    (Gimp.ImageBaseType.RGB, False): Gimp.ImageType.RGB_IMAGE,
    (Gimp.ImageBaseType.RGB, True): Gimp.ImageType.RGBA_IMAGE,
    (Gimp.ImageBaseType.GRAY, False): Gimp.ImageType.GRAY_IMAGE,
    (Gimp.ImageBaseType.GRAY, True): Gimp.ImageType.GRAYA_IMAGE,
}


def pattern(width, height, alpha=None):
    """R'G'B'A u8 pixels with structure in every channel."""
    out = bytearray()
    for y in range(height):
        for x in range(width):
            out += bytes(((x * 37 + y * 11) % 256, (y * 53 + 7) % 256, ((x ^ y) * 29) % 256,
                          alpha(x, y) if alpha else 255))
    return bytes(out)


def rect(x, y, width, height):
    return Gegl.Rectangle.new(x, y, width, height)


def pixels(drawable, fmt="R'G'B'A u8", area=None):
    x, y, w, h = area or (0, 0, drawable.get_width(), drawable.get_height())
    return drawable.get_buffer().get(rect(x, y, w, h), 1.0, fmt, Gegl.AbyssPolicy.NONE)


def fill(drawable, data, fmt="R'G'B'A u8"):
    w, h = drawable.get_width(), drawable.get_height()
    buffer = drawable.get_buffer()
    buffer.set(rect(0, 0, w, h), fmt, data)
    buffer.flush()
    drawable.update(0, 0, w, h)


def add_layer(image, name, width, height, alpha=False, offsets=(0, 0), alpha_fn=None,
              parent=None, position=0):
    layer_type = LAYER_TYPES[(image.get_base_type(), alpha)]
    layer = Gimp.Layer.new(image, name, width, height, layer_type, 100.0, Gimp.LayerMode.NORMAL)
    image.insert_layer(layer, parent, position)
    layer.set_offsets(*offsets)
    fill(layer, pattern(width, height, alpha_fn))
    return layer


def new_image(width=48, height=32, base=Gimp.ImageBaseType.RGB, precision=None, name="Background",
              **layer_args):
    if precision is None:
        image = Gimp.Image.new(width, height, base)
    else:
        image = Gimp.Image.new_with_precision(width, height, base, precision)
    IMAGES.append(image)
    layer_width, layer_height = layer_args.pop("layer_size", (width, height))
    return image, add_layer(image, name, layer_width, layer_height, **layer_args)


def offsets(layer):
    _, x, y = layer.get_offsets()
    return (x, y)


def size(layer):
    return (layer.get_width(), layer.get_height())


def ids(items):
    return [item.get_id() for item in items]


# --- calling the filter ---------------------------------------------------

def run_filter(image, drawables, run_mode=Gimp.RunMode.NONINTERACTIVE, style=True, weights=True,
               **arguments):
    procedure = pdb.lookup_procedure(PROC)
    config = procedure.create_config()
    config.set_property("run-mode", run_mode)
    config.set_property("image", image)
    config.set_core_object_array("drawables", drawables)
    settings = dict(QUICK)
    if style:
        settings["style-file"] = gfile(STYLE)
    if weights:
        settings["weights-file"] = gfile(WEIGHTS)
    settings.update({name.replace("_", "-"): value for name, value in arguments.items()})
    for name, value in settings.items():
        if name.endswith("-file") and isinstance(value, str):
            value = gfile(value)
        config.set_property(name, value)
    result = procedure.run(config)
    status = result.index(0)
    if status == Gimp.PDBStatusType.SUCCESS:
        return status, list(result.get_core_object_array(1)), ""
    message = result.index(1) if result.length() > 1 else pdb.get_last_error()
    return status, [], message or ""


def expect_success(image, drawables, **arguments):
    status, layers, message = run_filter(image, drawables, **arguments)
    check(status == Gimp.PDBStatusType.SUCCESS, f"status {status.value_nick}: {message}")
    check(len(layers) == len(drawables),
          f"{len(layers)} layers returned for {len(drawables)} drawables")
    return layers


def expect_error(needle, image, drawables, **arguments):
    count = len(image.get_layers())
    status, _, message = run_filter(image, drawables, **arguments)
    check(status == Gimp.PDBStatusType.EXECUTION_ERROR,
          f"expected an execution error, got {status.value_nick}: {message}")
    check(needle.lower() in message.lower(), f"the message {message!r} lacks {needle!r}")
    check(len(image.get_layers()) == count, "a failed call added layers")
    return message


# --- cases: registration --------------------------------------------------

def case_registered():
    procedure = pdb.lookup_procedure(PROC)
    check(procedure is not None, f"{PROC} is not in the PDB")
    check(procedure.get_menu_label().replace("_", "") == "Neural Style Transfer...",
          f"menu label {procedure.get_menu_label()!r}")
    check("<Image>/Filters/Artistic" in procedure.get_menu_paths(),
          f"menu paths {procedure.get_menu_paths()}")
    check(procedure.get_image_types() == "RGB*, GRAY*", procedure.get_image_types())
    mask = procedure.get_sensitivity_mask()
    check(mask & Gimp.ProcedureSensitivityMask.DRAWABLE and
          mask & Gimp.ProcedureSensitivityMask.DRAWABLES, f"sensitivity {mask}")
    check(procedure.get_blurb() and procedure.get_help() and procedure.get_authors(),
          "documentation or attribution missing")
    names = [spec.name for spec in procedure.get_arguments()]
    missing = [name for name in CONTRACT if name not in names]
    check(not missing, f"arguments missing: {missing}")
    check([spec.name for spec in procedure.get_return_values()] == ["layers"],
          "the return value is not 'layers'")


def case_arguments_follow_the_parameter_table():
    # Every engine parameter is an argument with the table's range, default
    # and choices (nst/parameters.h, printed by the parameter_table tool).
    tool = os.environ.get("NST_PARAMETER_TABLE", "")
    check(tool and os.path.exists(tool), f"the parameter_table tool is missing: {tool!r}")
    rows = [json.loads(line) for line in
            subprocess.run([tool], check=True, capture_output=True, text=True).stdout.splitlines()]
    check(len(rows) > 20, f"only {len(rows)} parameters")
    procedure = pdb.lookup_procedure(PROC)
    specs = {spec.name: spec for spec in procedure.get_arguments()}
    for row in rows:
        key = row["key"]
        check(key in specs, f"no argument {key}")
        spec = specs[key]
        if row["kind"] in ("integer", "number"):
            low = 0 if row["zero_allowed"] else row["minimum"]
            check(abs(spec.minimum - low) <= 1e-9 * max(1, abs(low)) and
                  abs(spec.maximum - row["maximum"]) <= 1e-9 * max(1, abs(row["maximum"])),
                  f"{key}: range {spec.minimum} .. {spec.maximum}, table {low} .. {row['maximum']}")
            check(abs(spec.default_value - row["default"]) <= 1e-9 * max(1, abs(row["default"])),
                  f"{key}: default {spec.default_value}, table {row['default']}")
        elif row["kind"] == "choice":
            nicks = Gimp.param_spec_choice_get_choice(spec).list_nicks()
            check(list(nicks) == row["choices"], f"{key}: choices {nicks}, table {row['choices']}")
            check(Gimp.param_spec_choice_get_default(spec) == row["default"],
                  f"{key}: default {Gimp.param_spec_choice_get_default(spec)}")
        elif row["kind"] == "text":
            check((spec.default_value or "") == row["default"],
                  f"{key}: default {spec.default_value!r}, table {row['default']!r}")


# --- cases: results -------------------------------------------------------

def case_rgb_layer():
    image, layer = new_image()
    before = pixels(layer)
    image.clean_all()
    new = expect_success(image, [layer])[0]

    check(ids(image.get_layers()) == [new.get_id(), layer.get_id()],
          "the image should hold the new layer right above the source")
    check(new.get_name() == f"Background ({STYLE_NAME})", f"name {new.get_name()!r}")
    check(size(new) == size(layer) and offsets(new) == offsets(layer), "size or offsets differ")
    check(new.type() == Gimp.ImageType.RGB_IMAGE, f"type {new.type()}")
    check(pixels(layer) == before, "the source layer was modified")
    check(pixels(new) != before, "the new layer is a copy of the source")
    check(image.is_dirty(), "the change was not recorded for undo (image still clean)")


def case_style_layer_of_another_image():
    style_image, style_layer = new_image(40, 40, name="Brush Strokes")
    style_before = pixels(style_layer)
    image, layer = new_image()
    new = expect_success(image, [layer], style=False, style_layer=style_layer)[0]
    check(new.get_name() == "Background (Brush Strokes)", f"name {new.get_name()!r}")
    check(len(style_image.get_layers()) == 1 and pixels(style_layer) == style_before,
          "the style image was changed")
    check(len(Gimp.get_images()) == len(IMAGES), "a temporary image was left behind")


def case_style_file_leaves_no_image():
    image, layer = new_image()
    expect_success(image, [layer])
    check(len(Gimp.get_images()) == len(IMAGES), "the loaded style image was not deleted")


def case_weights_from_search_order():
    # weights-file left empty: found through $NST_VGG19_WEIGHTS (set by the harness).
    image, layer = new_image()
    expect_success(image, [layer], weights=False)


def case_rectangular_selection():
    image, layer = new_image()
    before = pixels(layer)
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 10, 8, 20, 12)
    new = expect_success(image, [layer])[0]
    check(size(new) == (20, 12) and offsets(new) == (10, 8),
          f"the new layer should cover the selection: {size(new)} at {offsets(new)}")
    check(new.has_alpha(), "no alpha: outside the selection would not be transparent")
    data = pixels(new)
    check(all(a == 255 for a in data[3::4]), "the inside of a sharp selection is not opaque")
    check(data != pixels(layer, area=(10, 8, 20, 12)), "the selection was not stylised")
    check(pixels(layer) == before, "the source layer was modified")


def case_feathered_selection():
    image, layer = new_image()
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 6, 4, 36, 24)
    Gimp.Selection.feather(image, 8.0)
    _, _, x1, y1, x2, y2 = Gimp.Selection.bounds(image)
    new = expect_success(image, [layer])[0]
    check(offsets(new) == (x1, y1) and size(new) == (x2 - x1, y2 - y1),
          f"{size(new)} at {offsets(new)}, selection bounds {(x1, y1, x2, y2)}")
    mask = image.get_selection().get_buffer().get(rect(x1, y1, x2 - x1, y2 - y1), 1.0, "Y u8",
                                                  Gegl.AbyssPolicy.NONE)
    alpha = pixels(new)[3::4]
    worst = max(abs(a - m) for a, m in zip(alpha, mask))
    check(worst <= 1, f"alpha differs from the selection by up to {worst}")
    check(any(0 < a < 255 for a in alpha), "no soft edge")
    check(max(alpha) == 255 and min(alpha) < 40, f"alpha range {min(alpha)}..{max(alpha)}")


def case_grayscale_image():
    image, layer = new_image(base=Gimp.ImageBaseType.GRAY)
    before = pixels(layer, "Y' u8")
    # A flat gray start is badly conditioned for L-BFGS without line search:
    # its third step overshoots (the loss jumps a millionfold) and the next
    # ones recover, so three steps leave the pixels within 8-bit rounding.
    new = expect_success(image, [layer], iterations=10)[0]
    check(new.type() == Gimp.ImageType.GRAY_IMAGE, f"type {new.type()}, expected gray")
    check(pixels(new, "Y' u8") != before, "not stylised")
    check(pixels(layer, "Y' u8") == before, "the source layer was modified")


def case_layer_with_alpha():
    image, layer = new_image(alpha=True,
                             alpha_fn=lambda x, y: 0 if x < 8 else (128 if x < 16 else 255))
    before = pixels(layer)
    new = expect_success(image, [layer])[0]
    check(new.type() == Gimp.ImageType.RGBA_IMAGE, f"type {new.type()}")
    check(pixels(new)[3::4] == before[3::4], "alpha was not kept")
    check(pixels(new)[0::4] != before[0::4], "not stylised")


def case_sixteen_bit_image():
    image, layer = new_image(precision=Gimp.Precision.U16_NON_LINEAR)
    # Values between 8-bit steps, so that a detour through 8 bits would show.
    values = array.array("H", ((i * 977 + 3) % 65536 for i in range(48 * 32 * 4)))
    for i in range(3, len(values), 4):
        values[i] = 65535
    fill(layer, values.tobytes(), "R'G'B'A u16")
    new = expect_success(image, [layer])[0]
    check(new.get_bpp() == layer.get_bpp() == 6, f"bytes per pixel {new.get_bpp()}")
    result = array.array("H", pixels(new, "R'G'B' u16"))
    off_grid = sum(1 for v in result if v % 257)
    check(off_grid > len(result) // 2,
          f"only {off_grid} of {len(result)} values lie between 8-bit steps")


def case_one_pixel_image():
    image, layer = new_image(1, 1)
    new = expect_success(image, [layer])[0]
    check(size(new) == (1, 1), f"size {size(new)}")


def case_layer_with_offsets():
    image, layer = new_image(48, 32, layer_size=(30, 20), offsets=(7, 5))
    new = expect_success(image, [layer])[0]
    check(size(new) == (30, 20) and offsets(new) == (7, 5), f"{size(new)} at {offsets(new)}")


def case_offsets_and_selection():
    # The selection is in image coordinates, the layer starts at (7, 5).
    image, layer = new_image(48, 32, layer_size=(30, 20), offsets=(7, 5))
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 0, 0, 20, 15)
    new = expect_success(image, [layer])[0]
    check(size(new) == (13, 10) and offsets(new) == (7, 5), f"{size(new)} at {offsets(new)}")
    check(all(a == 255 for a in pixels(new)[3::4]), "inside the selection is not opaque")


def case_several_layers():
    image, bottom = new_image(name="Bottom")
    top = add_layer(image, "Top", 40, 24, offsets=(4, 4))
    new = expect_success(image, [top, bottom])
    names = [layer.get_name() for layer in image.get_layers()]
    expected = [f"Top ({STYLE_NAME})", "Top", f"Bottom ({STYLE_NAME})", "Bottom"]
    check(names == expected, f"layers {names}")
    check([layer.get_name() for layer in new] == [expected[0], expected[2]],
          "the returned layers are not the new ones, in order")
    check(size(new[0]) == (40, 24) and offsets(new[0]) == (4, 4), "the top result's geometry")


def case_layer_in_group():
    image, layer = new_image(name="Base")
    group = Gimp.GroupLayer.new(image, "Group")
    image.insert_layer(group, None, 0)
    inner = add_layer(image, "Inner", 48, 32, parent=group)
    new = expect_success(image, [inner])[0]
    check(new.get_parent() is not None and new.get_parent().get_id() == group.get_id(),
          "the new layer is not in the source's group")
    check(ids(group.get_children()) == [new.get_id(), inner.get_id()], "order in the group")


def case_last_values():
    # "Repeat" (WITH_LAST_VALS) takes the values GIMP saved after the last
    # interactive run: libgimp keeps them in plug-in-settings/<config type>.last.
    folder = os.path.join(Gimp.directory(), "plug-in-settings")
    os.makedirs(folder, exist_ok=True)
    saved = os.path.join(folder, f"GimpProcedureConfigRun-{PROC}.last")
    with open(saved, "w") as f:
        f.write("# settings\n"
                f"(style-file \"{gfile(STYLE).get_uri()}\")\n"
                f"(weights-file \"{gfile(WEIGHTS).get_uri()}\")\n"
                "(iterations 2)\n(size 0)\n"
                "# end of settings\n")
    try:
        image, layer = new_image()
        # Nothing but the image and layer given: the rest comes from the saved values.
        new = expect_success(image, [layer], run_mode=Gimp.RunMode.WITH_LAST_VALS, style=False,
                             weights=False)[0]
        check(new.get_name() == f"Background ({STYLE_NAME})", f"name {new.get_name()!r}")
    finally:
        os.remove(saved)


# --- cases: several styles ------------------------------------------------

def expect_same_pixels(a, b, what):
    worst = max(abs(x - y) for x, y in zip(pixels(a), pixels(b)))
    check(worst <= 2, f"{what}: pixels differ by up to {worst}")


def case_two_styles_blended_by_weight():
    # A style layer and a style file: weights 1,0 and 0,1 paint as each style
    # alone does, 0.5,0.5 paints neither.
    _, strokes = new_image(40, 40, name="Brush Strokes")
    fill(strokes, bytes([200, 30, 30, 255]) * (40 * 40))
    image, layer = new_image()
    alone_strokes = expect_success(image, [layer], style=False, style_layer=strokes)[0]
    alone_stripes = expect_success(image, [layer])[0]
    both = dict(style=False, style_layer=strokes, style_file_list=[STYLE])
    first = expect_success(image, [layer], style_blend_weights="1, 0", **both)[0]
    second = expect_success(image, [layer], style_blend_weights="0 1", **both)[0]
    mixed = expect_success(image, [layer], style_blend_weights="0.5, 0.5", **both)[0]
    expect_same_pixels(first, alone_strokes, "weights 1, 0 against the first style alone")
    expect_same_pixels(second, alone_stripes, "weights 0, 1 against the second style alone")
    check(pixels(mixed) != pixels(alone_strokes) and pixels(mixed) != pixels(alone_stripes),
          "the blend paints like one of its styles")
    # The first blend's layer has the name; GIMP numbers the later ones.
    check(first.get_name() == f"Background (Brush Strokes + {STYLE_NAME})",
          f"name {first.get_name()!r}")


def layer_ids(*layers):
    return ", ".join(str(layer.get_id()) for layer in layers)


def case_style_layer_ids_blend_layers_of_other_images():
    _, strokes = new_image(40, 40, name="Brush Strokes")
    _, dots = new_image(30, 30, name="Dots")
    image, layer = new_image()
    new = expect_success(image, [layer], style=False, style_layer_ids=layer_ids(strokes, dots))[0]
    check(new.get_name() == "Background (Brush Strokes + Dots)", f"name {new.get_name()!r}")
    check(len(Gimp.get_images()) == len(IMAGES), "a temporary image was left behind")


def case_style_file_list_takes_paths_and_uris():
    image, layer = new_image()
    uri = gfile(STYLE).get_uri()
    new = expect_success(image, [layer], style=False, style_file_list=[STYLE, uri],
                         style_blend_weights="2, 1")[0]
    check(new.get_name() == f"Background ({STYLE_NAME})", f"name {new.get_name()!r}")
    check(len(Gimp.get_images()) == len(IMAGES), "a loaded style image was not deleted")


def case_error_blend_weights_do_not_match_the_styles():
    _, strokes = new_image(40, 40, name="Brush Strokes")
    image, layer = new_image()
    expect_error("3 weights for 2 styles", image, [layer], style_layer_ids=layer_ids(strokes),
                 style_blend_weights="1, 2, 3")
    expect_error("style-blend-weights", image, [layer], style_blend_weights="1, heavy")
    expect_error("no open image has a layer with the ID 999999", image, [layer],
                 style_layer_ids="999999")
    expect_error("style-layer-ids", image, [layer], style_layer_ids="12, twelve")
    expect_error("add up to 0", image, [layer], style_layer_ids=layer_ids(strokes),
                 style_blend_weights="0, 0")


def case_style_stroke_sizes_scale_each_style():
    # One style of stroke size 2 paints as style-scale 2; in a blend, a
    # stroke size changes the painting.
    image, layer = new_image()
    by_option = expect_success(image, [layer], style_scale=2.0)[0]
    by_stroke = expect_success(image, [layer], style_stroke_sizes="2")[0]
    expect_same_pixels(by_stroke, by_option, "stroke size 2 against style-scale 2")
    both = dict(style_file_list=[STYLE])
    even = expect_success(image, [layer], **both)[0]
    coarse = expect_success(image, [layer], style_stroke_sizes="1, 3", **both)[0]
    check(pixels(even) != pixels(coarse), "a stroke size of 3 changed nothing")
    expect_error("2 stroke sizes for 1 styles", image, [layer], style_stroke_sizes="1, 2")
    expect_error("style-stroke-sizes", image, [layer], style_stroke_sizes="big")
    message = expect_error("stroke size 20", image, [layer], style_stroke_sizes="20")
    check("0.05 .. 8" in message, f"the message {message!r} does not give the range")


def add_mask_channel(image, name, value):
    """A channel of `image` whose pixel (x, y) is value(x, y), 0..255."""
    w, h = image.get_width(), image.get_height()
    channel = Gimp.Channel.new(image, name, w, h, 100.0, Gegl.Color.new("black"))
    image.insert_channel(channel, None, 0)
    fill(channel, bytes(value(x, y) for y in range(h) for x in range(w)), "Y u8")
    return channel


def red_over_blue(layer, x0, x1):
    """Mean red minus blue (0..255) of the columns [x0, x1)."""
    data = pixels(layer, area=(x0, 0, x1 - x0, layer.get_height()))
    return sum(data[i] - data[i + 2] for i in range(0, len(data), 4)) / (len(data) / 4)


def solid_style(name, rgb):
    _, layer = new_image(40, 40, name=name)
    fill(layer, bytes([*rgb, 255]) * (40 * 40))
    return layer


def case_style_per_region_from_channels():
    # A red style left and a blue one right, then the other way round: each
    # half takes the colour of the style whose channel covers it.
    red = solid_style("Red", (200, 30, 30))
    blue = solid_style("Blue", (30, 30, 200))
    image, layer = new_image()
    left = add_mask_channel(image, "left", lambda x, y: 255 if x < 24 else 0)
    right = add_mask_channel(image, "right", lambda x, y: 0 if x < 24 else 255)
    styles = dict(style=False, style_layer_ids=layer_ids(red, blue), iterations=10)
    a = expect_success(image, [layer], style_masks=f"{left.get_id()}, {right.get_id()}",
                       **styles)[0]
    b = expect_success(image, [layer], style_masks=f"{right.get_id()} {left.get_id()}",
                       **styles)[0]
    check(red_over_blue(a, 0, 20) > red_over_blue(b, 0, 20) + 20,
          f"left half: {red_over_blue(a, 0, 20):.1f} with the red style there, "
          f"{red_over_blue(b, 0, 20):.1f} with the blue one")
    check(red_over_blue(b, 28, 48) > red_over_blue(a, 28, 48) + 20,
          f"right half: {red_over_blue(b, 28, 48):.1f} with the red style there, "
          f"{red_over_blue(a, 28, 48):.1f} with the blue one")
    check(a.get_name() == "Background (Red + Blue)", f"name {a.get_name()!r}")


def case_style_per_region_from_the_selection_and_a_layer_mask():
    # "selection" reads the selection: the same as a channel saved from it.
    red = solid_style("Red", (200, 30, 30))
    image, layer = new_image()
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 0, 0, 32, 32)
    saved = Gimp.Selection.save(image)
    right = add_mask_channel(image, "right", lambda x, y: 0 if x < 16 else 255)
    styles = dict(style_layer_ids=layer_ids(red))
    by_selection = expect_success(image, [layer], style_masks=f"selection, {right.get_id()}",
                                  **styles)[0]
    by_channel = expect_success(image, [layer],
                                style_masks=f"{saved.get_id()}, {right.get_id()}", **styles)[0]
    expect_same_pixels(by_selection, by_channel, "the selection against a channel saved from it")
    check(size(by_selection) == (32, 32), f"size {size(by_selection)}: not the selection's")
    Gimp.Selection.none(image)
    # A white layer mask (of another layer of the image) is everywhere.
    other = add_layer(image, "Other", 48, 32)
    mask = other.create_mask(Gimp.AddMaskType.WHITE)
    other.add_mask(mask)
    with_mask = expect_success(image, [layer], style_masks=f"{mask.get_id()}, none",
                               **styles)[0]
    without = expect_success(image, [layer], style_masks="none, none", **styles)[0]
    expect_same_pixels(with_mask, without, "a white layer mask against no mask")


def case_error_style_masks_that_cannot_be_used():
    red = solid_style("Red", (200, 30, 30))
    other_image, _ = new_image(30, 20)
    elsewhere = add_mask_channel(other_image, "elsewhere", lambda x, y: 255)
    image, layer = new_image()
    empty = add_mask_channel(image, "empty", lambda x, y: 0)
    styles = dict(style_layer_ids=layer_ids(red))
    expect_error("belongs to another image", image, [layer],
                 style_masks=f"none, {elsewhere.get_id()}", **styles)
    expect_error("no channel or layer mask has the ID 999999", image, [layer],
                 style_masks="999999, none", **styles)
    expect_error(f"no channel or layer mask has the ID {layer.get_id()}", image, [layer],
                 style_masks=f"{layer.get_id()}, none", **styles)
    expect_error("3 masks for 2 styles", image, [layer], style_masks="none, none, none",
                 **styles)
    expect_error("style-masks", image, [layer], style_masks="sky, none", **styles)
    expect_error("image has no selection", image, [layer], style_masks="selection, none",
                 **styles)
    expect_error("selects no pixel", image, [layer], style_masks=f"none, {empty.get_id()}",
                 **styles)


def case_error_style_file_list_unreadable():
    path = os.path.join(WORK, "list-not-an-image.png")
    with open(path, "w") as f:
        f.write("this is text, not a PNG\n")
    image, layer = new_image()
    message = expect_error("style image could not be read", image, [layer],
                           style_file_list=[STYLE, path])
    check("list-not-an-image.png" in message, f"the message {message!r} does not name the file")
    expect_error("empty file name", image, [layer], style_file_list=[""])


# --- cases: errors (each must leave GIMP running) --------------------------

def case_error_no_style():
    image, layer = new_image()
    expect_error("No style", image, [layer], style=False)


def case_error_two_styles():
    _, style_layer = new_image(20, 20, name="Other")
    image, layer = new_image()
    expect_error("only one", image, [layer], style_layer=style_layer)


def case_error_style_file_unreadable():
    path = os.path.join(WORK, "not-an-image.png")
    with open(path, "w") as f:
        f.write("this is text, not a PNG\n")
    image, layer = new_image()
    expect_error("style image could not be read", image, [layer], style_file=path)


def expect_calling_error(argument, image, drawables, **arguments):
    # File arguments are "open" choosers: GIMP itself rejects a file that
    # does not exist, before the plug-in runs, naming the argument.
    count = len(image.get_layers())
    status, _, message = run_filter(image, drawables, **arguments)
    check(status == Gimp.PDBStatusType.CALLING_ERROR,
          f"expected GIMP to refuse the call, got {status.value_nick}: {message}")
    check(argument in message, f"the message {message!r} does not name {argument!r}")
    check(len(image.get_layers()) == count, "a refused call added layers")


def case_error_style_file_missing():
    image, layer = new_image()
    expect_calling_error("style-file", image, [layer],
                         style_file=os.path.join(WORK, "no-such-style.png"))


def case_error_weights_file_missing():
    image, layer = new_image()
    expect_calling_error("weights-file", image, [layer],
                         weights_file=os.path.join(WORK, "no-such-vgg19.pth"))


def case_error_weights_variable_names_missing_file():
    # The harness starts GIMP for this case with NST_VGG19_WEIGHTS naming a
    # missing file; weights-file is left empty, so the engine looks there.
    image, layer = new_image()
    message = expect_error("not found", image, [layer], weights=False)
    check("no-such-vgg19.pth" in message, f"the message {message!r} does not name the file")
    # A script is told the argument's name, not the dialog's field.
    check("weights-file argument" in message and "Weights file" not in message,
          f"the message {message!r} does not speak of the weights-file argument")


def case_error_weights_not_a_weights_file():
    path = os.path.join(WORK, "garbage.pth")
    with open(path, "wb") as f:
        f.write(bytes((i * 7919) % 251 for i in range(300000)))
    image, layer = new_image()
    expect_error("weights file", image, [layer], weights_file=path)


def case_error_weights_truncated():
    path = os.path.join(WORK, "truncated.pth")
    with open(WEIGHTS, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    image, layer = new_image()
    expect_error("weights file", image, [layer], weights_file=path)


def case_error_cuda_absent():
    image, layer = new_image()
    status, _, message = run_filter(image, [layer], device="cuda")
    if status == Gimp.PDBStatusType.SUCCESS:
        raise Skip("this machine has CUDA")
    check(status == Gimp.PDBStatusType.EXECUTION_ERROR, f"status {status.value_nick}")
    check("CUDA" in message, f"the message {message!r} does not mention CUDA")


def case_error_too_large_for_memory_limit():
    # A 2048x2048 layer at full size: its full-size float buffers alone need
    # far more than a 128 MiB limit allows (the engine tiles the network, not
    # those). No pixels are drawn: only the size matters.
    image = Gimp.Image.new(2048, 2048, Gimp.ImageBaseType.RGB)
    IMAGES.append(image)
    layer = Gimp.Layer.new(image, "Large", 2048, 2048, Gimp.ImageType.RGB_IMAGE, 100.0,
                           Gimp.LayerMode.NORMAL)
    image.insert_layer(layer, None, 0)
    expect_error("memory limit", image, [layer], size=0, memory_limit=128)


def large_layer_image(width, height):
    # No pixels are drawn: only the size matters.
    image = Gimp.Image.new(width, height, Gimp.ImageBaseType.RGB)
    IMAGES.append(image)
    layer = Gimp.Layer.new(image, "Large", width, height, Gimp.ImageType.RGB_IMAGE, 100.0,
                           Gimp.LayerMode.NORMAL)
    image.insert_layer(layer, None, 0)
    return image, layer


def case_error_layer_wider_than_the_engine_takes():
    image, layer = large_layer_image(30001, 2)
    message = expect_error("30000", image, [layer])
    check("Large" in message, f"the message {message!r} does not name the layer")


def case_error_layer_too_large_to_read():
    # 4096x4096 float RGBA is 268 MB: refused before it is read, at 128 MiB.
    image, layer = large_layer_image(4096, 4096)
    expect_error("floating-point pixels", image, [layer], size=0, memory_limit=128)


def case_error_indexed_image():
    image, layer = new_image()
    image.convert_indexed(Gimp.ConvertDitherType.NONE, Gimp.ConvertPaletteType.GENERATE, 16,
                          False, False, "")
    expect_error("Indexed", image, [image.get_layers()[0]])


def case_error_layer_mask():
    image, layer = new_image()
    mask = layer.create_mask(Gimp.AddMaskType.WHITE)
    layer.add_mask(mask)
    expect_error("layers only", image, [mask])


def case_error_bad_scales():
    image, layer = new_image()
    expect_error("scales", image, [layer], scales="256,big")


def case_gimp_alive_after_errors():
    image, layer = new_image()
    expect_success(image, [layer])


# --- cases: kills and a soak ----------------------------------------------

# Run by /usr/bin/python3 beside GIMP: waits for a new plug-in process (a
# child of GIMP named neural-style-transfer) and SIGKILLs it, as GIMP's
# Cancel of a plug-in's progress does, either `after` some seconds of its
# life or once a `file` matching a pattern appears; writes what it did to a
# report file.
KILLER = r"""
import fnmatch, os, signal, sys, time
gimp, mode, what, report = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def plugins():
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:]
        if name.startswith("neural-style") and int(rest.split()[1]) == gimp:
            found.add(int(entry))
    return found
earlier = plugins()  # an earlier run's plug-in may still be exiting
deadline = time.monotonic() + 120
pid = None
while pid is None and time.monotonic() < deadline:
    pid = next(iter(plugins() - earlier), None)
    time.sleep(0.005)
if pid is None:
    open(report, "w").write("no plug-in to kill within 120 s")
    sys.exit(0)
open(report, "w").write(f"found the plug-in {pid}, but the run ended first")
if mode == "after":
    time.sleep(float(what))
else:  # the file lives for a few milliseconds: look for nothing else meanwhile
    folder, pattern = os.path.split(what)
    while not any(fnmatch.fnmatch(name, pattern) for name in os.listdir(folder)):
        if time.monotonic() > deadline:
            open(report, "w").write(f"no {what} within 120 s")
            sys.exit(0)
os.kill(pid, signal.SIGKILL)
open(report, "w").write("killed")
"""


def image_state(image):
    return [(layer.get_id(), layer.get_name(), bytes(pixels(layer))) for layer in image.get_layers()]


def expect_killed(mode, what, image, drawables, **arguments):
    """Runs the filter while KILLER kills it; the image must not change."""
    report = os.path.join(WORK, "kill-report.txt")
    if os.path.exists(report):
        os.remove(report)
    killer = subprocess.Popen(["/usr/bin/python3", "-c", KILLER, str(os.getppid()), mode, what,
                               report])
    before = image_state(image)
    status, _, message = run_filter(image, drawables, **arguments)
    try:
        killer.wait(timeout=5)
    except subprocess.TimeoutExpired:
        killer.kill()
        killer.wait()
    outcome = "the run ended before the moment to kill it"
    if os.path.exists(report):
        with open(report) as f:
            outcome = f.read()
    check(outcome == "killed",
          f"the plug-in was not killed: {outcome} ({status.value_nick}: {message})")
    check(status != Gimp.PDBStatusType.SUCCESS, f"a killed run reported success: {message}")
    check(image_state(image) == before, "the killed run changed the image")


def case_killed_during_a_run_the_image_is_unchanged_and_the_next_run_works():
    # Killed at three moments of a 12 MP layer's run: while the plug-in
    # starts, while it reads the layer (GIMP's progress, with its Cancel, is
    # up by then) and while it paints. None may change the image (a plain
    # layer: drawing 12 MP from Python would take longer than the case).
    image, layer = large_layer_image(4000, 3000)
    for seconds in ("0.5", "1.5", "4"):
        expect_killed("after", seconds, image, [layer], iterations=5000)
    small, small_layer = new_image(160, 120)
    layers = expect_success(small, [small_layer])
    check(len(small.get_layers()) == 2, "the run after the kills added no layer")
    check(size(layers[0]) == size(small_layer), "the next run's layer has another size")


def full_size_features_file(path):
    """VGG19's 32 convolution tensors at their published shapes (80 MB, as
    safetensors under the published file's name): each weight 1 / fan-in, so
    activations stay near the input's scale."""
    widths = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512]
    indices = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]
    header, chunks, offset, previous = {}, [], 0, 3
    for index, width in zip(indices, widths):
        for part, shape, value in (("weight", [width, previous, 3, 3], 1.0 / (9 * previous)),
                                   ("bias", [width], 0.0)):
            count = 1
            for n in shape:
                count *= n
            data = (array.array("f", [value]) * count).tobytes()
            name = f"features.{index}.{part}"
            header[name] = {"dtype": "F32", "shape": shape,
                            "data_offsets": [offset, offset + len(data)]}
            chunks.append(data)
            offset += len(data)
        previous = width
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def case_killed_while_converting_the_cache_the_next_run_converts_it():
    cache = os.path.join(os.environ["XDG_CACHE_HOME"], "neural-style-transfer")
    os.makedirs(cache, exist_ok=True)
    source = os.path.join(cache, "vgg19-dcbb9e9d.pth")
    features = os.path.join(cache, "vgg19-features.safetensors")
    full_size_features_file(source)
    try:
        image, layer = new_image()
        expect_killed("file", features + ".tmp-*", image, [layer], weights=False)
        check(not os.path.exists(features), "a killed conversion left a features cache")
        expect_success(image, [layer], weights=False)
        check(os.path.exists(features), "the next run did not write the features cache")
        check(not os.path.exists(source), "the converted download was not removed")
    finally:
        for name in os.listdir(cache):
            if name.startswith("vgg19-"):
                os.remove(os.path.join(cache, name))


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def case_thirty_runs_keep_memory_flat():
    """30 runs in one session (sizes, styles and a failing run between them):
    every result right, and GIMP's memory flat. Each run is a fresh plug-in
    process; this interpreter's growth (GEGL's tile cache of the buffers the
    checks read) is printed, not judged."""
    style_image, style_layer = new_image(40, 40, name="Style")
    gimp = os.getppid()
    with open(f"/proc/{gimp}/comm") as f:
        check(f.read().startswith("gimp"), "the interpreter's parent is not GIMP")
    sizes = [(48, 32), (64, 48), (32, 64), (80, 40), (40, 40)]
    memory = []
    for run in range(30):
        width, height = sizes[run % len(sizes)]
        image, layer = new_image(width, height)
        if run == 14:
            expect_error("scales", image, [layer], scales="256,big")
        elif run % 2:
            layers = expect_success(image, [layer], style=False, style_layer=style_layer)
        else:
            layers = expect_success(image, [layer])
        if run != 14:
            check(size(layers[0]) == (width, height), f"run {run}: result of another size")
            check(len(set(bytes(pixels(layers[0])))) > 1, f"run {run}: a blank result")
        image.delete()
        IMAGES.remove(image)
        memory.append((resident_kib(gimp), resident_kib(os.getpid())))
    # After the first runs have warmed GIMP's caches: growth over the last 20.
    gimp_growth = memory[-1][0] - memory[9][0]
    print(f"NSTNOTE soak: GIMP {memory[9][0]} -> {memory[-1][0]} KiB, "
          f"interpreter {memory[9][1]} -> {memory[-1][1]} KiB over runs 10..30", flush=True)
    check(gimp_growth < 16 * 1024, f"GIMP grew by {gimp_growth} KiB over 20 runs")


# --- runner ---------------------------------------------------------------

def cleanup():
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
