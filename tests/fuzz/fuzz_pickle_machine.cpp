// libFuzzer target: the pickle VM on arbitrary bytes, then the state-dict
// walk over whatever it built.
#include "fuzz_support.h"
#include "weights/pickle_machine.h"
#include "weights/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  try {
    nst::weights::pickle::PickleMachine machine("fuzz-input");
    std::size_t consumed = 0;
    const auto *root = machine.run(reinterpret_cast<const std::byte *>(data), size, 0, consumed);
    nst::weights::tensors_in(root, consumed, "fuzz-input");
  } catch (const nst::Error &) {
    // a refused pickle: fine
  }
  return 0;
}
