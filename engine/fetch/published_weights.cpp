// The names, addresses and sizes that weights.h declares.
#include "nst/weights.h"

namespace nst {

const char *const kPublishedWeightsUrl = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth";
const char *const kPublishedWeightsFileName = "vgg19-dcbb9e9d.pth";
// torchvision lists it as 548.051 MiB.
const std::uint64_t kPublishedWeightsBytes = 574673361;
const char *const kPublishedWeightsSha256Prefix = "dcbb9e9d";

const char *const kWeightsEnvironmentVariable = "NST_VGG19_WEIGHTS";
const char *const kWeightsUrlEnvironmentVariable = "NST_VGG19_URL";
const char *const kWeightsSha256EnvironmentVariable = "NST_VGG19_SHA256";

const char *const kFeaturesCacheFileName = "vgg19-features.safetensors";

} // namespace nst
