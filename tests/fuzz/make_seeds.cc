// Writes the committed seed files of the harnesses that have no committed input to start from:
// tests/fuzz/seeds/{model_file,image_file,program}/. Not run by the tests; rerun it after a
// format change: build-fuzz/tests/fuzz/make_seeds tests/fuzz/seeds
// Every seed is a few KB, so the fuzzer's inputs (at most the largest seed) stay fast.
#include <cstdio>
#include <filesystem>
#include <string>

#include "compiler/arch_config.h"
#include "compiler/compile.h"
#include "compiler/isa/codec.h"
#include "model/common/atomic_file.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "model/io/model_file.h"
#include "model/quant/image_file.h"
#include "model/quant/image_input.h"

namespace {

using namespace intvit;
namespace fs = std::filesystem;

model::ModelConfig TinyConfig(std::int64_t channels) {
  model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  c.arch = "custom";
  c.image_size = 8, c.patch_size = 4, c.in_channels = channels, c.embed_dim = 4, c.depth = 1,
  c.num_heads = 2, c.mlp_hidden = 8, c.num_classes = 3;
  return c;
}

void WriteModels(const fs::path& dir) {
  for (std::int64_t channels : {1, 3}) {
    model::ModelFile f;
    f.config = TinyConfig(channels);
    f.params = model::RandomModelParams(f.config, 7);
    f.params.reference["input.mean"] = model::InputMean(channels);
    f.params.reference["input.std"] = model::InputStd(channels);
    f.params.reference["input.scale"] = {0.02f};
    f.provenance["generator"] = "tests/fuzz/make_seeds.cc";
    model::WriteModelFile((dir / ("tiny_c" + std::to_string(channels) + ".safetensors")).string(),
                          f);
  }
}

void WriteImages(const fs::path& dir) {
  model::Image8 rgb{8, 6, 3, {}};
  for (std::int64_t i = 0; i < 8 * 6 * 3; ++i)
    rgb.pixels.push_back(static_cast<std::uint8_t>(i * 5));
  model::Image8 gray{5, 7, 1, {}};
  for (std::int64_t i = 0; i < 5 * 7; ++i) gray.pixels.push_back(static_cast<std::uint8_t>(i * 7));
  WriteFileAtomically(dir / "rgb.png", model::EncodePng(rgb));
  WriteFileAtomically(dir / "gray.png", model::EncodePng(gray));
  WriteFileAtomically(dir / "rgb.jpg", model::EncodeJpeg(rgb, 90));
  WriteFileAtomically(dir / "gray.jpg", model::EncodeJpeg(gray, 50));
  WriteFileAtomically(dir / "rgb.ppm", model::EncodePpm(rgb));
  WriteFileAtomically(dir / "gray.pgm", "P5\n# a comment\n5 7\n255\n" +
                                            std::string(gray.pixels.begin(), gray.pixels.end()));
}

// The first n instructions of a compiled tiny model, as a program.bin of n instructions.
void WritePrograms(const fs::path& dir) {
  const model::ModelConfig c = TinyConfig(3);
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 7));
  const compiler::Program p = compiler::Compile(g, compiler::ArchConfig{}, "tiny");
  for (std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{48}}) {
    const std::vector<isa::Instr> head(p.instrs.begin(),
                                       p.instrs.begin() + std::min(n, p.instrs.size()));
    WriteFileVia(dir / ("first" + std::to_string(n) + ".bin"),
                 [&](const fs::path& tmp) { isa::WriteProgramFile(tmp.string(), head); });
  }
  std::printf("the tiny model compiles to %zu instructions\n", p.instrs.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds SEEDS_DIR (tests/fuzz/seeds)\n");
    return 2;
  }
  const fs::path root = argv[1];
  for (const char* h : {"model_file", "image_file", "program"}) fs::create_directories(root / h);
  WriteModels(root / "model_file");
  WriteImages(root / "image_file");
  WritePrograms(root / "program");
  return 0;
}
