// A small but complete model for the model-file tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/graph/random_params.h"
#include "model/io/model_file.h"

namespace intvit::testing {

// vit-tiny-test with random params plus what RandomModelParams never makes: per-channel
// multipliers at the edges of the Dyadic range, a per-channel residual branch, reference floats
// and provenance.
inline model::ModelFile TinyModel(std::uint64_t seed = 1) {
  using model::Dyadic, model::kDyadicMaxAbsM, model::kDyadicMaxE, model::kDyadicMinE;
  model::ModelFile m;
  m.config = model::ModelPreset("vit-tiny-test");
  m.params = model::RandomModelParams(m.config, seed);
  const std::int64_t c = m.config.embed_dim;
  std::vector<Dyadic> per_channel;
  for (std::int64_t i = 0; i < c; ++i) per_channel.push_back({(std::int64_t{1} << 30) + i, 52});
  per_channel[0] = {kDyadicMaxAbsM, 52};   // batch_frexp can round the mantissa up to 2^31
  per_channel[1] = {-kDyadicMaxAbsM, 53};  // negative: a LayerNorm gamma < 0
  per_channel[2] = {1, kDyadicMinE};
  per_channel[3] = {-1, kDyadicMaxE};
  m.params.requants["blocks.0.qact1"].mult = per_channel;
  m.params.requants["blocks.1.qact4"].mult_res = per_channel;
  m.params.reference["input.scale"] = {0.0187f};
  m.params.reference["input.mean"] = {0.485f, 0.456f, 0.406f};
  m.params.reference["blocks.0.attn.qact1.scale"] = {0.03125f};
  m.provenance = {{"generator", "model_file_test"}, {"seed", std::to_string(seed)}};
  return m;
}

}  // namespace intvit::testing
