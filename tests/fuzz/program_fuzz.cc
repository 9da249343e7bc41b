// libFuzzer harness: a program.bin (docs/isa.md) through ParseProgram (ReadProgramFile's parser),
// then each instruction's disassembly (program.asm) and the codec's promise
// Decode(Encode(i)) == i.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/isa/codec.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace intvit;
  fuzz::ExpectOnlyInputError([&] {
    const std::vector<isa::Instr> program = isa::ParseProgram(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz/program.bin");
    for (const isa::Instr& i : program) {
      (void)isa::Disassemble(i, "fuzz");
      fuzz::Expect(isa::Decode(isa::Encode(i)) == i, "Decode(Encode(i)) == i for a decoded i");
    }
  });
  return 0;
}
