// libFuzzer harness: an intvit-vector-v1 case (docs/vectors.md) as `op check` and `op run` read
// it: ParseVectorCase (ReadVectorCase's parser, which reads the hex files the manifest names),
// PlanCase, the golden backend, the comparison with the expected outputs, and the case `op run`
// would write.
//
// Input: the manifest text, then any number of hex files, each after a line
// "%%file NAME" (NAME: letters, digits, '.', '_', '-'). The files are written to a scratch
// folder that the manifest's "file" fields are resolved in; the committed cases are the seeds
// in this form (tests/fuzz/seeds.sh).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/exec/compare.h"
#include "model/exec/op_case.h"
#include "model/exec/op_plan.h"
#include "model/io/vector_case.h"
#include "tests/fuzz/fuzz_harness.h"

namespace {

using namespace intvit;
namespace fs = std::filesystem;

bool PlainName(const std::string& name) {
  if (name.empty() || name.size() > 40 || name == "." || name == "..") return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

// One scratch folder per process, emptied before each input.
const fs::path& ScratchDir() {
  static const fs::path dir = [] {
    std::string t = (fs::temp_directory_path() / "intvit_vector_fuzz.XXXXXX").string();
    if (mkdtemp(t.data()) == nullptr) fuzz::Finding("cannot create a scratch folder");
    return fs::path(t);
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  const auto split =
      fuzz::SplitSections(std::string_view(reinterpret_cast<const char*>(data), size), "%%file ");
  const std::string& manifest = split.first;
  const fs::path& dir = ScratchDir();
  for (const auto& e : fs::directory_iterator(dir)) fs::remove_all(e.path());
  for (const fuzz::Section& f : split.second) {
    if (!PlainName(f.head)) continue;
    std::ofstream(dir / f.head, std::ios::binary) << f.body;
  }
  fuzz::ExpectOnlyInputError([&] {
    const model::VectorCase c = model::ParseVectorCase(manifest, dir, "fuzz/manifest.json");
    for (const auto& [name, t] : c.inputs) {
      fuzz::Expect(static_cast<std::int64_t>(t.values.size()) == model::VectorNumElements(t.shape),
                   "inputs." + name + " holds as many values as its shape");
    }
    const model::OpPlan plan = model::PlanCase(c);
    model::GoldenBackend golden;
    const model::TensorMap actual = golden.Run(c);
    if (!c.outputs.empty()) (void)model::CompareOutputs(c.outputs, actual);
    const model::VectorCase out = model::WithOutputs(c, plan, actual);
    (void)model::FormatManifest(out);
  });
  return 0;
}
