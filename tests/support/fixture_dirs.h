// The weights fixtures the tests read: $NST_SHARED_DIR/fixtures/weights
// (written by PyTorch 2.6, beside the checkout) when present, otherwise
// files tests/tools/make_weight_fixtures.py writes with $NST_PYTHON into a
// temporary folder at the first call. Without either, the caller fails,
// saying why (`why_not`); nothing skips.
#pragma once

#include <optional>
#include <string>

namespace nst::fixtures {

// The folder of the tiny set (tiny-*.pth, tiny.safetensors,
// tiny-expected.txt) that the script wrote, or nullopt when Python with
// torch is not available; `why_not` then says why.
std::optional<std::string> python_fixture_dir(std::string &why_not);

// A folder holding the narrow VGG19 (vgg19-narrow.safetensors,
// vgg19-narrow-zip.pth, vgg19-narrow-legacy-v2.pth,
// vgg19-narrow-legacy-v1.pth, vgg19-narrow-expected.txt): shared's when it
// has all five, otherwise the script's --vgg19-narrow set; nullopt, with
// `why_not`, when neither is there.
std::optional<std::string> narrow_vgg19_dir(std::string &why_not);

// $NST_SHARED_DIR/fixtures/weights when it exists.
std::optional<std::string> shared_fixture_dir();

// A fresh folder removed when the test program ends.
std::string temporary_dir();

// `text` in single quotes for /bin/sh.
std::string shell_quote(const std::string &text);

} // namespace nst::fixtures
