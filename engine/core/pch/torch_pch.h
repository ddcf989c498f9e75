// Precompiled header for the engine's LibTorch translation units: parsing
// torch's headers is most of their compile time.
#include "core/torch_api.h"
