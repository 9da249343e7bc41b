// libFuzzer harness: an arch config with `-p` overrides as `compile`, `sim`, `exec` and
// `info --arch` read them: ParseArchConfigText (LoadArchConfig's parser: strict JSON, fields,
// overrides in order, cross-field checks), the round trip through the JSON `info --arch` and
// effective_config.json print, and a compile of a tiny model on the config.
//
// Input: the config file's text; every line that starts with "-p " is taken out of it and is
// one override ("-p array.rows=8" is `-p array.rows=8` on the command line), in order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/compile.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "tests/fuzz/fuzz_harness.h"

namespace {

using namespace intvit;

// 2 patches of 4x4 pixels, 8 channels, one block: every layer kind, a few hundred
// instructions, so each input compiles in well under a millisecond.
const model::Graph& TinyGraph() {
  static const model::Graph g = [] {
    model::ModelConfig c = model::ModelPreset("vit-tiny-test");
    c.arch = "custom";
    c.image_size = 8, c.patch_size = 4, c.embed_dim = 8, c.depth = 1, c.num_heads = 2,
    c.mlp_hidden = 16, c.num_classes = 4;
    return model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  }();
  return g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [text, overrides] =
      fuzz::SplitSections(std::string_view(reinterpret_cast<const char*>(data), size), "-p ");
  std::vector<std::string> p;
  std::string config = text;
  for (const fuzz::Section& s : overrides) {
    p.push_back(s.head);
    config += s.body;  // the lines after an override are the config's again
  }
  fuzz::ExpectOnlyInputError([&] {
    const compiler::ArchConfig c = compiler::ParseArchConfigText(config, "fuzz.json", p);
    const nlohmann::json j = compiler::ArchConfigToJson(c);
    (void)j.dump(2);  // as `info --arch` and effective_config.json print it
    fuzz::Expect(compiler::ArchConfigToJson(compiler::ParseArchConfig(j, "effective")) == j,
                 "a config reads back from the JSON it prints");
    (void)compiler::Compile(TinyGraph(), c, "tiny");
  });
  return 0;
}
