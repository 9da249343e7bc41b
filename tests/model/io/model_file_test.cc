#include "model/io/model_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/graph/random_params.h"
#include "tests/model/io/model_file_test_util.h"

namespace intvit::model {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;
using ::intvit::testing::TinyModel;

constexpr const char* kSource = "m.safetensors";

// The arithmetic knobs a read fills in from the config.
ModelParams WithConfigKnobs(ModelParams p, const ModelConfig& c) {
  for (auto& [n, r] : p.requants) r.rounding = c.rounding_mode();
  for (auto& [n, s] : p.shiftmaxes) {
    s.n = static_cast<int>(c.softmax_n), s.out_bits = static_cast<int>(c.softmax_out_bits);
    s.div = c.div;
  }
  for (auto& [n, g] : p.gelus) {
    g.n = static_cast<int>(c.gelu_n), g.out_bits = static_cast<int>(c.gelu_out_bits);
    g.div = c.div;
  }
  for (auto& [n, ln] : p.layernorms) {
    ln.sqrt_iters = static_cast<int>(c.ln_sqrt_iters), ln.sqrt_init = c.ln_sqrt_init;
    ln.div = c.div;
  }
  return p;
}

std::vector<std::uint32_t> Bits(const std::vector<float>& v) {
  std::vector<std::uint32_t> out;
  for (float f : v) out.push_back(std::bit_cast<std::uint32_t>(f));
  return out;
}

template <typename M>
std::vector<std::string> Keys(const M& m) {
  std::vector<std::string> k;
  for (const auto& [key, value] : m) k.push_back(key);
  return k;
}

// Field by field: RequantParams and friends have no operator==. Floats compare by bits.
void ExpectSameParams(const ModelParams& a, const ModelParams& b) {
  EXPECT_EQ(Keys(a.tensors), Keys(b.tensors));
  EXPECT_TRUE(a.tensors == b.tensors);
  ASSERT_EQ(Keys(a.requants), Keys(b.requants));
  for (const auto& [name, r] : a.requants) {
    SCOPED_TRACE(name);
    const RequantParams& s = b.requants.at(name);
    EXPECT_TRUE(r.mult == s.mult);
    EXPECT_TRUE(r.mult_res == s.mult_res);
    EXPECT_EQ(r.out_bits, s.out_bits);
    EXPECT_EQ(r.rounding, s.rounding);
  }
  ASSERT_EQ(Keys(a.shiftmaxes), Keys(b.shiftmaxes));
  for (const auto& [name, x] : a.shiftmaxes) {
    const ShiftmaxParams& y = b.shiftmaxes.at(name);
    EXPECT_EQ(x.x0, y.x0) << name;
    EXPECT_EQ(x.n, y.n) << name;
    EXPECT_EQ(x.out_bits, y.out_bits) << name;
    EXPECT_EQ(x.div, y.div) << name;
  }
  ASSERT_EQ(Keys(a.gelus), Keys(b.gelus));
  for (const auto& [name, x] : a.gelus) {
    const ShiftGeluParams& y = b.gelus.at(name);
    EXPECT_EQ(x.x0, y.x0) << name;
    EXPECT_EQ(x.n, y.n) << name;
    EXPECT_EQ(x.out_bits, y.out_bits) << name;
    EXPECT_EQ(x.div, y.div) << name;
  }
  ASSERT_EQ(Keys(a.layernorms), Keys(b.layernorms));
  for (const auto& [name, x] : a.layernorms) {
    const LayerNormParams& y = b.layernorms.at(name);
    EXPECT_EQ(x.bias_int, y.bias_int) << name;
    EXPECT_EQ(x.sqrt_iters, y.sqrt_iters) << name;
    EXPECT_EQ(x.sqrt_init, y.sqrt_init) << name;
    EXPECT_EQ(x.div, y.div) << name;
  }
  ASSERT_EQ(Keys(a.reference), Keys(b.reference));
  for (const auto& [key, v] : a.reference) EXPECT_EQ(Bits(v), Bits(b.reference.at(key))) << key;
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

TEST(ModelFile, VitTinyTestRoundTripsThroughAFile) {
  const ModelFile m = TinyModel();
  const std::string path = TempPath("tiny.intvit.safetensors");
  WriteModelFile(path, m);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const ModelFile r = ReadModelFile(path);
  EXPECT_EQ(ModelConfigToJson(r.config), ModelConfigToJson(m.config));
  ExpectSameParams(r.params, m.params);
  EXPECT_EQ(r.provenance, m.provenance);
  std::filesystem::remove(path);
}

TEST(ModelFile, CustomConfigRoundTripsWithItsKnobs) {
  ModelFile m;
  m.config = ParseModelConfig(json{{"arch", "custom"},
                                   {"image_size", 24},
                                   {"patch_size", 8},
                                   {"in_channels", 1},
                                   {"embed_dim", 48},
                                   {"depth", 1},
                                   {"num_heads", 3},
                                   {"mlp_hidden", 96},
                                   {"num_classes", 5},
                                   {"softmax_n", 14},
                                   {"gelu_n", 20},
                                   {"div", 2147483648},
                                   {"rounding", "half_up"},
                                   {"ln_sqrt_iters", 8},
                                   {"ln_sqrt_init", 4096}},
                              "test");
  m.params = RandomModelParams(m.config, 5);
  const ModelFile r = ParseModelFile(SerializeModelFile(m), kSource);
  EXPECT_EQ(ModelConfigToJson(r.config), ModelConfigToJson(m.config));
  ExpectSameParams(r.params, WithConfigKnobs(m.params, m.config));
  EXPECT_EQ(r.params.requants.at("blocks.0.attn.qact1").rounding, Rounding::kHalfUp);
  EXPECT_EQ(r.params.gelus.at("blocks.0.mlp.act").div, std::int64_t{1} << 31);
  EXPECT_EQ(r.params.tensors.at("patch_embed.proj.weight").shape(),
            (std::vector<std::int64_t>{48, 64}));
  EXPECT_TRUE(r.provenance.empty());
}

TEST(ModelFile, ReferenceFloatsRoundTripBitExactly) {
  using L = std::numeric_limits<float>;
  ModelFile m = TinyModel();
  m.params.reference["blocks.0.norm1.gamma"] = {
      -0.0f,
      L::denorm_min(),
      -L::denorm_min(),
      L::min(),
      L::max(),
      -L::infinity(),
      std::bit_cast<float>(std::uint32_t{0x7fc00001}),  // quiet NaN with a payload
      std::bit_cast<float>(std::uint32_t{0xff800001}),  // signalling NaN, negative
      0.1f,
      1.0f / 3.0f};
  m.params.reference["empty"] = {};
  const ModelFile r = ParseModelFile(SerializeModelFile(m), kSource);
  ExpectSameParams(r.params, m.params);
}

TEST(ModelFile, SerializationIsDeterministicAndStable) {
  const std::vector<std::uint8_t> a = SerializeModelFile(TinyModel());
  EXPECT_EQ(a, SerializeModelFile(TinyModel()));
  EXPECT_EQ(SerializeModelFile(ParseModelFile(a, kSource)), a);
  EXPECT_NE(a, SerializeModelFile(TinyModel(2)));
}

TEST(ModelFile, LayoutFollowsTheDocumentedNames) {
  const ModelFile m = TinyModel();
  const SafetensorsFile f = ToSafetensors(m);
  auto expect = [&](const std::string& name, DType dtype, std::vector<std::int64_t> shape) {
    ASSERT_TRUE(f.tensors.contains(name)) << name;
    EXPECT_EQ(f.tensors.at(name).dtype, dtype) << name;
    EXPECT_EQ(f.tensors.at(name).shape, shape) << name;
  };
  expect("patch_embed.proj.weight", DType::kInt8, {64, 768});  // [C, Cin*P*P]
  expect("patch_embed.proj.bias", DType::kInt32, {64});
  expect("cls_token", DType::kInt16, {1, 64});
  expect("pos_embed", DType::kInt16, {5, 64});
  expect("blocks.1.attn.qkv.weight", DType::kInt8, {192, 64});
  expect("blocks.0.qact1.m", DType::kInt64, {64});
  expect("blocks.0.qact1.e", DType::kInt32, {64});
  expect("qact1.m_res", DType::kInt64, {1});
  expect("blocks.1.qact4.e_res", DType::kInt32, {64});
  expect("blocks.0.norm1.bias_int", DType::kInt64, {64});
  expect("reference.input.mean", DType::kFloat32, {3});
  EXPECT_FALSE(f.tensors.contains("blocks.0.qact1.m_res"));
  EXPECT_EQ(Keys(f.metadata), (std::vector<std::string>{"intvit.config", "intvit.format",
                                                        "intvit.params", "intvit.provenance"}));
  EXPECT_EQ(f.metadata.at("intvit.format"), "intvit-model-v1");
  const json p = json::parse(f.metadata.at("intvit.params"));
  EXPECT_EQ(p["requant"]["qact1"], (json{{"out_bits", 16}}));
  EXPECT_EQ(p["requant"]["blocks.1.mlp.qact_gelu"], (json{{"out_bits", 8}}));
  EXPECT_EQ(p["shiftmax"]["blocks.1.attn.int_softmax"]["x0"],
            m.params.shiftmaxes.at("blocks.1.attn.int_softmax").x0);
  EXPECT_EQ(p["shiftgelu"]["blocks.0.mlp.act"]["x0"], m.params.gelus.at("blocks.0.mlp.act").x0);
  EXPECT_EQ(json::parse(f.metadata.at("intvit.config"))["depth"], 2);
  EXPECT_EQ(json::parse(f.metadata.at("intvit.provenance"))["seed"], "1");
}

TEST(ModelFile, ForeignMetadataIsIgnoredAndProvenanceIsOptional) {
  SafetensorsFile f = ToSafetensors(TinyModel());
  f.metadata["format"] = "pt";  // what transformers' save_pretrained adds
  f.metadata.erase("intvit.provenance");
  const ModelFile r = FromSafetensors(f, kSource);
  EXPECT_TRUE(r.provenance.empty());
}

TEST(WriteModelFile, RefusesAModelItCouldNotReadBack) {
  ModelFile m = TinyModel();
  m.params.requants.at("blocks.0.qact3").mult[0].e = 500;
  const std::string path = TempPath("invalid.intvit.safetensors");
  try {
    WriteModelFile(path, m);
    FAIL() << "wrote an invalid model";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(path), HasSubstr("blocks.0.qact3.e")));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(ToSafetensors, RefusesTwoParametersWithOneTensorName) {
  ModelFile m = TinyModel();
  m.params.tensors["qact1.m"] = Tensor(DType::kInt64, {1});
  EXPECT_THROW(
      {
        try {
          ToSafetensors(m);
        } catch (const InputError& e) {
          EXPECT_THAT(e.what(), HasSubstr("two parameters map to tensor 'qact1.m'"));
          throw;
        }
      },
      InputError);
}

TEST(ReadModelFile, NamesThePath) {
  const std::string path = TempPath("does-not-exist.safetensors");
  EXPECT_THROW(
      {
        try {
          ReadModelFile(path);
        } catch (const InputError& e) {
          EXPECT_THAT(e.what(), StartsWith(path + ": "));
          throw;
        }
      },
      InputError);
}

}  // namespace
}  // namespace intvit::model
