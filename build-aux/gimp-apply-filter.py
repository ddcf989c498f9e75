# Python-Fu, read by gimp-console-3.0 from standard input (build-aux/gimp-run.sh):
# loads NST_CONTENT, applies plug-in-neural-style-transfer with NST_STYLE and
# exports the stylised layer to NST_OUTPUT.
import os
from gi.repository import Gimp, Gio

env = os.environ.get
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(env("NST_CONTENT")))
source = image.get_layers()[0]

procedure = Gimp.get_pdb().lookup_procedure("plug-in-neural-style-transfer")
config = procedure.create_config()
config.set_property("image", image)
config.set_core_object_array("drawables", [source])
config.set_property("style-file", Gio.File.new_for_path(env("NST_STYLE")))
if env("NST_WEIGHTS"):
    config.set_property("weights-file", Gio.File.new_for_path(env("NST_WEIGHTS")))
if env("NST_ITERATIONS"):
    config.set_property("iterations", int(env("NST_ITERATIONS")))
if env("NST_SIZE"):
    config.set_property("size", int(env("NST_SIZE")))
if env("NST_DEVICE"):
    config.set_property("device", env("NST_DEVICE"))

result = procedure.run(config)
status = result.index(0)
if status != Gimp.PDBStatusType.SUCCESS:
    print("nst: failed:", result.index(1) if result.length() > 1 else status)
else:
    # Export only the new layer: hide everything else, then merge what is visible.
    for layer in image.get_layers():
        layer.set_visible(layer.get_name() != source.get_name())
    merged = image.merge_visible_layers(Gimp.MergeType.CLIP_TO_IMAGE)
    Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(env("NST_OUTPUT")), None)
    print("nst: wrote", env("NST_OUTPUT"))
image.delete()
