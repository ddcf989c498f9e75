// The names, addresses and sizes that weights.h declares.
#include "nst/weights.h"

namespace nst {

const char *const kPublishedWeightsUrl = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth";
const char *const kPublishedWeightsFileName = "vgg19-dcbb9e9d.pth";
// Measured on the published file: its first 8 hex digits are the file name's
// "dcbb9e9d", and the size agrees with torchvision's listing (548.051 MiB).
const std::uint64_t kPublishedWeightsBytes = 574673361;
const char *const kPublishedWeightsSha256 =
    "dcbb9e9dad569fff7a846263a77324fc34978fea2bfb039c012d710e1776ae44";

const char *const kWeightsEnvironmentVariable = "NST_VGG19_WEIGHTS";
const char *const kWeightsUrlEnvironmentVariable = "NST_VGG19_URL";
const char *const kWeightsSha256EnvironmentVariable = "NST_VGG19_SHA256";

const char *const kFeaturesCacheFileName = "vgg19-features.safetensors";

} // namespace nst
