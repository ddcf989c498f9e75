// libFuzzer target: read_torch_legacy on arbitrary bytes.
#include "fuzz_support.h"
#include "weights/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  nst::weights::fuzzing::read_and_convert(nst::weights::read_torch_legacy, data, size);
  return 0;
}
