// Precompiled header for the engine tests that use LibTorch directly: without
// it each of them parsed torch's headers again (about 20 s of its 30).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/torch_api.h"
