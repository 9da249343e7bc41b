// Corrupt and fuzzed model files: the reader's checks (model/io/model_file_read.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/io/model_file.h"
#include "tests/model/io/model_file_test_util.h"

namespace intvit::model {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;
using ::intvit::testing::TinyModel;

constexpr const char* kSource = "m.safetensors";

// Corrupt files: every one is an InputError that names the file and what is wrong.

const SafetensorsFile& Good() {
  static const SafetensorsFile f = ToSafetensors(TinyModel());
  return f;
}

std::string ErrorOf(const SafetensorsFile& f) {
  try {
    FromSafetensors(f, kSource);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<read without error>";
}

::testing::Matcher<std::string> Says(const std::string& what) {
  return AllOf(StartsWith(std::string(kSource) + ": "), HasSubstr(what));
}

// A copy of Good() with one metadata JSON document edited.
SafetensorsFile WithJson(const std::string& key, const std::function<void(json&)>& edit) {
  SafetensorsFile f = Good();
  json j = json::parse(f.metadata.at(key));
  edit(j);
  f.metadata[key] = j.dump();
  return f;
}

template <typename T>
SafetensorsFile WithTensor(const std::string& name, std::vector<std::int64_t> shape,
                           std::vector<T> values) {
  SafetensorsFile f = Good();
  f.tensors[name] = MakeRawTensor<T>(std::move(shape), values);
  return f;
}

TEST(ModelFileCorrupt, MissingTensor) {
  for (const std::string name : {"blocks.1.mlp.fc2.bias", "pos_embed", "blocks.0.attn.qact2.e",
                                 "norm.bias_int", "head.weight"}) {
    SafetensorsFile f = Good();
    f.tensors.erase(name);
    EXPECT_THAT(ErrorOf(f), Says("tensor '" + name + "' is missing"));
  }
}

TEST(ModelFileCorrupt, ResidualBranchMissingOrMisplaced) {
  SafetensorsFile f = Good();
  f.tensors.erase("blocks.0.qact2.m_res");
  EXPECT_THAT(ErrorOf(f), Says("'blocks.0.qact2.m_res' and 'blocks.0.qact2.e_res' must be"));
  f.tensors.erase("blocks.0.qact2.e_res");
  EXPECT_THAT(ErrorOf(f), Says("'blocks.0.qact2' needs residual multipliers"));
  f = Good();
  f.tensors["blocks.0.qact3.m_res"] = f.tensors.at("blocks.0.qact3.m");
  f.tensors["blocks.0.qact3.e_res"] = f.tensors.at("blocks.0.qact3.e");
  EXPECT_THAT(ErrorOf(f), Says("'blocks.0.qact3' must not have residual multipliers"));
}

TEST(ModelFileCorrupt, ExtraUnknownTensor) {
  for (const std::string name : {"blocks.0.attn.qkv.weight_integer", "blocks.2.norm1.bias_int",
                                 "qact_input.m", "", "Reference.input.scale"}) {
    SafetensorsFile f = Good();
    f.tensors[name] = MakeRawTensor<std::int8_t>({1}, std::vector<std::int8_t>{0});
    EXPECT_THAT(ErrorOf(f), Says("unknown tensor '" + name + "'"));
  }
}

TEST(ModelFileCorrupt, WrongDType) {
  EXPECT_THAT(
      ErrorOf(WithTensor<std::int16_t>("head.weight", {10, 64}, std::vector<std::int16_t>(640))),
      Says("tensor 'head.weight' has dtype I16, expected I8"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("qact1.m", {1}, {1 << 30})),
              Says("tensor 'qact1.m' has dtype I32, expected I64"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("blocks.0.qact1.e", {64},
                                               std::vector<std::int64_t>(64, 40))),
              Says("tensor 'blocks.0.qact1.e' has dtype I64, expected I32"));
  EXPECT_THAT(
      ErrorOf(WithTensor<std::int32_t>("norm.bias_int", {64}, std::vector<std::int32_t>(64))),
      Says("tensor 'norm.bias_int' has dtype I32, expected I64"));
  EXPECT_THAT(ErrorOf(WithTensor<float>("pos_embed", {5, 64}, std::vector<float>(320))),
              Says("tensor 'pos_embed' has dtype F32, expected I16"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("reference.input.scale", {1}, {1})),
              Says("tensor 'reference.input.scale' has dtype I32, expected F32"));
}

TEST(ModelFileCorrupt, WrongShape) {
  // I-ViT's unflattened conv weight [C, Cin, P, P]: the exporter must reshape it.
  EXPECT_THAT(ErrorOf(WithTensor<std::int8_t>("patch_embed.proj.weight", {64, 3, 16, 16},
                                              std::vector<std::int8_t>(64 * 768))),
              Says("'patch_embed.proj.weight' has shape [64, 3, 16, 16]; the config needs "
                   "[64, 768]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int8_t>("blocks.0.attn.qkv.weight", {64, 192},
                                              std::vector<std::int8_t>(64 * 192))),
              Says("'blocks.0.attn.qkv.weight' has shape [64, 192]; the config needs [192, 64]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("qact2.m", {1, 1}, {1 << 30})),
              Says("tensor 'qact2.m' has shape [1, 1]; expected [1] (per tensor) or [channels]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("qact2.m", {0}, {})),
              Says("tensor 'qact2.m' has shape [0]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("qact2.e", {2}, {40, 40})),
              Says("tensor 'qact2.e' has shape [2]; it must match 'qact2.m' [1]"));
  SafetensorsFile f = WithTensor<std::int64_t>("qact2.m", {5}, std::vector<std::int64_t>(5, 1));
  f.tensors["qact2.e"] = MakeRawTensor<std::int32_t>({5}, std::vector<std::int32_t>(5, 40));
  EXPECT_THAT(ErrorOf(f), Says("'qact2': requant: m/e has 5 entries; expected 1 (per tensor) "
                               "or 64 (per channel)"));
  EXPECT_THAT(
      ErrorOf(WithTensor<std::int64_t>("norm.bias_int", {63}, std::vector<std::int64_t>(63))),
      Says("'norm': layernorm: bias_int has 63 entries"));
  EXPECT_THAT(ErrorOf(WithTensor<float>("reference.input.scale", {}, {0.5f})),
              Says("tensor 'reference.input.scale' must have rank 1, has shape []"));
  EXPECT_THAT(ErrorOf(WithTensor<float>("reference.input.std", {3},
                                        {0.5f, std::numeric_limits<float>::infinity(), 1.0f})),
              Says("tensor 'reference.input.std'[1] = inf must be finite and positive"));
  EXPECT_THAT(ErrorOf(WithTensor<float>("reference.input.scale", {1}, {0.0f})),
              Says("tensor 'reference.input.scale'[0] = 0 must be finite and positive"));
  EXPECT_THAT(ErrorOf(WithTensor<float>("reference.input.mean", {3},
                                        {0.5f, 0.5f, std::numeric_limits<float>::quiet_NaN()})),
              Says("tensor 'reference.input.mean'[2] = nan must be finite"));
}

TEST(ModelFileCorrupt, OutOfRangeValues) {
  const std::int64_t big_m = (std::int64_t{1} << 31) + 1;
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("blocks.0.qact3.m", {1}, {big_m})),
              Says("tensor 'blocks.0.qact3.m'[0] = 2147483649 is out of range [-2^31, 2^31]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("qact1.m_res", {1}, {-big_m})),
              Says("tensor 'qact1.m_res'[0] = -2147483649 is out of range"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("blocks.0.qact3.e", {1}, {500})),
              Says("tensor 'blocks.0.qact3.e'[0] = 500 is out of range [-62, 126]"));
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("blocks.0.qact3.e", {1}, {-63})),
              Says("tensor 'blocks.0.qact3.e'[0] = -63 is out of range"));
  std::vector<std::int64_t> bias(64, 0);
  bias[7] = std::int64_t{1} << 62;
  EXPECT_THAT(ErrorOf(WithTensor<std::int64_t>("blocks.1.norm2.bias_int", {64}, bias)),
              Says("tensor 'blocks.1.norm2.bias_int'[7] = 4611686018427387904 is out of range"));
  auto params = [](const char* section, const char* module, const char* field, json v) {
    return WithJson("intvit.params", [=](json& j) { j[section][module][field] = v; });
  };
  EXPECT_THAT(ErrorOf(params("requant", "blocks.0.qact1", "out_bits", 12)),
              Says("intvit.params: requant 'blocks.0.qact1' out_bits = 12 must be 8 or 16"));
  EXPECT_THAT(ErrorOf(params("requant", "qact1", "out_bits", 8)),
              Says("requant 'qact1' has out_bits 8; I-ViT uses 16 here"));
  EXPECT_THAT(ErrorOf(params("shiftmax", "blocks.0.attn.int_softmax", "x0", 0)),
              Says("shiftmax 'blocks.0.attn.int_softmax' x0 = 0 is out of range [-2^31, -1]"));
  EXPECT_THAT(ErrorOf(params("shiftgelu", "blocks.1.mlp.act", "x0", -(std::int64_t{1} << 40))),
              Says("shiftgelu 'blocks.1.mlp.act' x0 = -1099511627776 is out of range"));
  EXPECT_THAT(ErrorOf(params("shiftgelu", "blocks.1.mlp.act", "x0",
                             std::numeric_limits<std::uint64_t>::max())),
              Says("x0 = 18446744073709551615 is out of range"));
  EXPECT_THAT(ErrorOf(params("shiftmax", "blocks.0.attn.int_softmax", "x0", -20.0)),
              Says("shiftmax 'blocks.0.attn.int_softmax' x0 must be an integer, got number"));
  // In range for the file, refused by the operator's own check.
  EXPECT_THAT(
      ErrorOf(params("shiftmax", "blocks.0.attn.int_softmax", "x0", -(std::int64_t{1} << 31))),
      Says("'blocks.0.attn.int_softmax': shiftmax:"));
  std::vector<std::int32_t> huge_bias(10, 2147483000);
  EXPECT_THAT(ErrorOf(WithTensor<std::int32_t>("head.bias", {10}, huge_bias)),
              Says("model parameter 'head.bias'[0] = 2147483000 could overflow"));
}

TEST(ModelFileCorrupt, ConfigWithAnUnknownKeyOrValue) {
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["dpeth"] = 2; })),
              Says("intvit.config: unknown key 'dpeth'"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["depth"] = "2"; })),
              Says("intvit.config"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["arch"] = "deit-huge"; })),
              Says("intvit.config"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j = json::array(); })),
              Says("intvit.config: a model config must be a JSON object"));
}

TEST(ModelFileCorrupt, ConfigInconsistentWithTheTensors) {
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["depth"] = 3; })),
              Says("tensor 'blocks.2."));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["depth"] = 1; })),
              Says("unknown tensor 'blocks.1."));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["embed_dim"] = 32; })),
              Says("model parameter 'patch_embed.proj.weight' has shape [64, 768]; the config "
                   "needs [32, 768]"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.config", [](json& j) { j["num_classes"] = 11; })),
              Says("model parameter 'head.weight' has shape [10, 64]; the config needs [11, 64]"));
}

TEST(ModelFileCorrupt, BadFormatTag) {
  SafetensorsFile f = Good();
  f.metadata["intvit.format"] = "intvit-model-v2";
  EXPECT_THAT(ErrorOf(f), Says("metadata 'intvit.format' is 'intvit-model-v2'; expected "
                               "'intvit-model-v1'"));
  f.metadata.erase("intvit.format");
  EXPECT_THAT(ErrorOf(f), Says("not an intvit model file"));
  f.metadata.clear();  // a plain safetensors checkpoint
  EXPECT_THAT(ErrorOf(f), Says("not an intvit model file"));
}

TEST(ModelFileCorrupt, DivOutsideTheTwoDocumentedValues) {
  for (const std::int64_t div : {std::int64_t{1}, std::int64_t{1000}, (std::int64_t{1} << 31) - 2}) {
    EXPECT_THAT(ErrorOf(WithJson("intvit.config", [&](json& j) { j["div"] = div; })),
                Says("intvit.config: div = " + std::to_string(div) + " is out of range {2147483647"));
  }
  for (const std::int64_t div : {(std::int64_t{1} << 31) - 1, std::int64_t{1} << 31}) {
    EXPECT_EQ(ErrorOf(WithJson("intvit.config", [&](json& j) { j["div"] = div; })),
              "<read without error>");
  }
}

TEST(ModelFileCorrupt, MetadataNotJsonOrOffSchema) {
  for (const std::string key : {"intvit.config", "intvit.params", "intvit.provenance"}) {
    SafetensorsFile f = Good();
    f.metadata[key] = "{\"depth\": 2";
    EXPECT_THAT(ErrorOf(f), Says("metadata '" + key + "': not valid JSON: parse error"));
    f.metadata[key] = R"({"depth": 2, "depth": 3})";
    EXPECT_THAT(ErrorOf(f),
                Says("metadata '" + key + "': depth: duplicate key in one JSON object"));
    f.metadata[key] = std::string(40, '[') + std::string(40, ']');
    EXPECT_THAT(ErrorOf(f),
                Says("metadata '" + key + "': not valid JSON: nested deeper than 16 levels"));
    f.metadata[key] = std::string("{}\0garbage", 10);  // nlohmann alone stops at the NUL
    EXPECT_THAT(ErrorOf(f), Says("metadata '" + key + "': not valid JSON: NUL byte at offset 2"));
    f.metadata[key] = "{} x";
    EXPECT_THAT(ErrorOf(f), Says("metadata '" + key + "': not valid JSON: parse error"));
  }
  SafetensorsFile f = Good();
  f.metadata.erase("intvit.params");
  EXPECT_THAT(ErrorOf(f), Says("metadata key 'intvit.params' is missing"));
  f = Good();
  f.metadata["intvit.parms"] = "{}";
  EXPECT_THAT(ErrorOf(f), Says("unknown metadata key 'intvit.parms'"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.params", [](json& j) { j["gelu"] = json::object(); })),
              Says("intvit.params: unknown key 'gelu'"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.params", [](json& j) { j.erase("shiftgelu"); })),
              Says("intvit.params: shiftgelu is missing"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.params",
                               [](json& j) { j["requant"]["blocks.0.qact9"]["out_bits"] = 8; })),
              Says("intvit.params: requant has 'blocks.0.qact9', which is not a requant module"));
  EXPECT_THAT(
      ErrorOf(WithJson("intvit.params", [](json& j) { j["requant"].erase("blocks.1.mlp.qact2"); })),
      Says("intvit.params: requant 'blocks.1.mlp.qact2' is missing"));
  EXPECT_THAT(
      ErrorOf(WithJson("intvit.params",
                       [](json& j) { j["shiftmax"]["blocks.0.attn.int_softmax"]["n"] = 15; })),
      Says("shiftmax 'blocks.0.attn.int_softmax' must be an object with exactly the key "
           "'x0'"));
  EXPECT_THAT(ErrorOf(WithJson("intvit.provenance", [](json& j) { j["seed"] = 7; })),
              Says("intvit.provenance: the value of 'seed' must be a string"));
}

// ---------------------------------------------------------------------------------------------
// Fuzz: seeded truncations and byte flips of a serialized tiny model. Each must read or be
// refused with an InputError; any other exception or a crash fails (the sanitizer build checks
// memory safety). A mutant that reads must be a valid model that round-trips.

std::size_t HeaderEnd(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  return 8 + static_cast<std::size_t>(n);
}

// Returns true if it read.
bool ReadsOrRefuses(const std::vector<std::uint8_t>& bytes) {
  ModelFile m;
  try {
    m = ParseModelFile(bytes, kSource);
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), StartsWith(std::string(kSource) + ": "));
    return false;
  }
  EXPECT_NO_THROW(ParseModelFile(SerializeModelFile(m), kSource));
  return true;
}

TEST(ModelFileFuzz, TruncationsAreRefused) {
  const std::vector<std::uint8_t> good = SerializeModelFile(TinyModel());
  const std::size_t header_end = HeaderEnd(good);
  std::mt19937_64 rng(11);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= header_end + 16; ++n) lengths.push_back(n);  // all in the header
  std::uniform_int_distribution<std::size_t> any(0, good.size() - 1);
  for (int i = 0; i < 200; ++i) lengths.push_back(any(rng));
  for (std::size_t n : lengths) {
    const std::vector<std::uint8_t> cut(good.begin(), good.begin() + static_cast<long>(n));
    EXPECT_FALSE(ReadsOrRefuses(cut)) << "a prefix of " << n << " bytes read";
  }
}

TEST(ModelFileFuzz, ByteFlipsReadOrRefuse) {
  const std::vector<std::uint8_t> good = SerializeModelFile(TinyModel());
  const std::size_t header_end = HeaderEnd(good);
  std::mt19937_64 rng(12);
  std::uniform_int_distribution<std::size_t> in_header(0, header_end - 1),
      anywhere(0, good.size() - 1);
  std::uniform_int_distribution<int> flips(1, 4), byte(0, 255), coin(0, 3);
  int reads = 0;
  constexpr int kTrials = 1500;
  for (int t = 0; t < kTrials; ++t) {
    std::vector<std::uint8_t> bad = good;
    for (int k = flips(rng); k > 0; --k) {
      // Three in four mutations hit the header, where the structure is.
      const std::size_t at = coin(rng) != 0 ? in_header(rng) : anywhere(rng);
      bad[at] =
          static_cast<std::uint8_t>(coin(rng) == 0 ? bad[at] ^ (1u << (byte(rng) % 8)) : byte(rng));
    }
    reads += ReadsOrRefuses(bad) ? 1 : 0;
  }
  // Both outcomes occur: flips in weights read, flips in the structure are refused.
  EXPECT_GT(reads, 0);
  EXPECT_LT(reads, kTrials);
}

TEST(ModelFileFuzz, MetadataTokenMutationsReadOrRefuse) {
  // Replace one JSON token of a metadata document with another plausible one.
  const std::vector<std::string> tokens = {"0",           "-1",   "8",    "16",   "2147483648",
                                           "-2147483649", "1e3",  "\"\"", "null", "[]",
                                           "{}",          "true", ",",    ":"};
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
  for (const std::string key : {"intvit.config", "intvit.params", "intvit.provenance"}) {
    const std::string text = Good().metadata.at(key);
    std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
    for (int t = 0; t < 150; ++t) {
      SafetensorsFile f = Good();
      std::string s = text;
      const std::size_t at = pos(rng);
      s.replace(at, std::min<std::size_t>(s.size() - at, 1 + pick(rng) % 3), tokens[pick(rng)]);
      f.metadata[key] = s;
      try {
        FromSafetensors(f, kSource);
      } catch (const InputError& e) {
        EXPECT_THAT(e.what(), StartsWith(std::string(kSource) + ": "));
      }
    }
  }
}

}  // namespace
}  // namespace intvit::model
