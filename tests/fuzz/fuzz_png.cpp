// libFuzzer target: the command line's PNG reader on arbitrary bytes.
#include "fuzz_image_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  nst_cli::fuzzing::decode_from_memory(nst_cli::decode_png, data, size);
  return 0;
}
