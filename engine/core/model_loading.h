// load_model's mapping of a file's tensors to VGG19's convolutions.
#pragma once

#include "core/model.h"
#include "weights/tensor_file.h"

#include <memory>
#include <string>
#include <vector>

namespace nst {

// Maps a file's tensors to the sixteen convolutions and checks their shapes
// (widths come from the file); throws missing_key / shape_mismatch naming
// the key and `path`, or cancelled when `cancel` (may be null) asks between
// two convolutions.
std::vector<ConvWeights> conv_weights_from(const weights::TensorFile &file, const std::string &path,
                                           const CancelToken *cancel = nullptr);

} // namespace nst
