#include "model/io/vector_case.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "intvit_version.h"
#include "model/common/error.h"

namespace intvit::model {
namespace {

using Json = nlohmann::ordered_json;
using Ints = std::vector<std::int64_t>;

std::filesystem::path TempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("intvit_vc_test_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteText(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string ReadText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A valid shiftmax case; tests break one field at a time.
Json Valid() {
  return Json::parse(R"({
    "format": "intvit-vector-v1", "op": "shiftmax", "params": {"x0": -47},
    "inputs": {"x": {"dtype": "int8", "shape": [2, 3], "data": [1, 2, 3, -128, 0, 127]}},
    "outputs": {"y": {"dtype": "uint16", "shape": [2, 3], "data": [0, 1, 2, 3, 4, 5]}},
    "meta": {"seed": 7}})");
}

std::string ErrorOfText(const std::string& text, const std::filesystem::path& dir = ".") {
  try {
    ParseVectorCase(text, dir, "c/manifest.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
std::string ErrorOf(const Json& j, const std::filesystem::path& dir = ".") {
  return ErrorOfText(j.dump(), dir);
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

TEST(ParseVectorCase, ReadsAValidCaseAndFillsInDefaults) {
  const VectorCase c = ParseVectorCase(Valid().dump(), ".", "c/manifest.json");
  EXPECT_EQ(c.op, "shiftmax");
  EXPECT_EQ(c.source, "c/manifest.json");
  EXPECT_EQ(std::get<std::int64_t>(c.params.at("x0")), -47);
  EXPECT_EQ(std::get<std::int64_t>(c.params.at("n")), 15);
  EXPECT_EQ(std::get<std::int64_t>(c.params.at("out_bits")), 16);
  EXPECT_EQ(std::get<std::int64_t>(c.params.at("div")), 2147483647);
  EXPECT_EQ(c.inputs.at("x").dtype, DType::kInt8);
  EXPECT_EQ(c.inputs.at("x").shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(c.inputs.at("x").values, (std::vector<std::int64_t>{1, 2, 3, -128, 0, 127}));
  EXPECT_EQ(c.outputs.at("y").dtype, DType::kUint16);
  EXPECT_EQ(c.meta["seed"], 7);
}

TEST(ParseVectorCase, ParamsAndOutputsAndMetaAreOptional) {
  Json j = Valid();
  j.erase("outputs");
  j.erase("meta");
  j["op"] = "linear";
  j.erase("params");
  j["inputs"] = Json::parse(R"({"x": {"dtype": "int8", "shape": [1, 2], "data": [1, 2]},
                                "w": {"dtype": "int8", "shape": [1, 2], "data": [3, 4]}})");
  const VectorCase c = ParseVectorCase(j.dump(), ".", "m");
  EXPECT_TRUE(c.params.empty());
  EXPECT_TRUE(c.outputs.empty());
  EXPECT_TRUE(c.meta.empty());
}

TEST(ParseVectorCase, RejectsTextThatIsNotJson) {
  EXPECT_CONTAINS(ErrorOfText("{\"format\": "), "c/manifest.json: not valid JSON: parse error");
  EXPECT_CONTAINS(ErrorOfText("not json"), "c/manifest.json: not valid JSON");
  EXPECT_CONTAINS(ErrorOfText("{\"format\": 1e999}"),
                  "c/manifest.json: not valid JSON: number "
                  "overflow parsing '1e999'");
  EXPECT_EQ(ErrorOfText("[1, 2]"),
            "c/manifest.json: manifest: the top level must be a JSON object");
}

TEST(ParseVectorCase, RejectsDeepNesting) {
  Json j = Valid();
  j["meta"]["deep"] = Json::parse(std::string(60, '[') + std::string(60, ']'));
  EXPECT_EQ(ErrorOf(j), "no error");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ErrorOfText("{\"meta\": " + deep + "}"),
            "c/manifest.json: not valid JSON: nested deeper than 64 levels");
}

TEST(ParseVectorCase, RejectsDuplicateKeys) {
  std::string text = Valid().dump();
  text.insert(1, "\"op\": \"shiftmax\", ");
  EXPECT_EQ(ErrorOfText(text), "c/manifest.json: op: duplicate key in one JSON object");
}

TEST(ParseVectorCase, RejectsBytesAfterTheJson) {
  // nlohmann alone would stop at a NUL and accept what follows; trailing bytes are refused too.
  EXPECT_EQ(ErrorOfText(std::string("{}\0garbage", 10)),
            "c/manifest.json: not valid JSON: NUL byte at offset 2");
  EXPECT_CONTAINS(ErrorOfText("{} x"), "c/manifest.json: not valid JSON: parse error");
}

TEST(ParseVectorCase, RejectsAWrongOrMissingFormat) {
  Json j = Valid();
  j["format"] = "intvit-vector-v0";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: format: is \"intvit-vector-v0\"; this reader takes "
            "\"intvit-vector-v1\"");
  j.erase("format");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: format: missing; expected \"intvit-vector-v1\"");
}

TEST(ParseVectorCase, RejectsAnUnknownOp) {
  Json j = Valid();
  j["op"] = "softmax";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: op: unknown op \"softmax\" (known: requant, shiftmax, "
            "shiftgelu, layernorm, linear, matmul, conv_patch)");
  j["op"] = 3;
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: op: must be a string, got 3");
}

TEST(ParseVectorCase, RejectsAnUnknownTopLevelKey) {
  Json j = Valid();
  j["output"] = Json::object();
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: output: unknown top-level key (known: format, op, "
            "params, inputs, outputs, meta)");
}

TEST(ParseVectorCase, RejectsUnknownMissingAndIllTypedParams) {
  Json j = Valid();
  j["params"]["x1"] = 3;
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.x1: unknown parameter of shiftmax (known: x0, "
            "n, out_bits, div)");
  j = Valid();
  j["params"].erase("x0");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params.x0: missing; shiftmax requires it");
  j = Valid();
  j["params"]["n"] = "15";
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params.n: must be an integer, got \"15\"");
  j["params"]["n"] = 15.0;
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params.n: must be an integer, got 15.0");
  j["params"]["n"] = true;
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params.n: must be an integer, got true");
  j["params"]["n"] = 4294967296;
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.n: 4294967296 is out of range "
            "[-2147483648, 2147483647]");
  j["params"]["n"] = 15;
  j["params"]["div"] = Json::parse("18446744073709551615");
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.div: must be an integer, got "
            "18446744073709551615");
  j = Valid();
  j["params"] = Json::array();
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params: must be an object, got []");
}

TEST(ParseVectorCase, ChecksListAndStringParams) {
  Json j = Json::parse(R"({"format": "intvit-vector-v1", "op": "requant",
    "params": {"m": [1073741824, 1073741824], "e": 31, "rounding": "half_up"},
    "inputs": {"x": {"dtype": "int32", "shape": [1, 2], "data": [3, 5]}}})");
  const VectorCase c = ParseVectorCase(j.dump(), ".", "m");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(c.params.at("m")).size(), 2u);
  EXPECT_EQ(std::get<std::string>(c.params.at("rounding")), "half_up");
  EXPECT_EQ(std::get<std::int64_t>(c.params.at("out_bits")), 8);
  EXPECT_FALSE(c.params.contains("m_res"));

  j["params"]["m"] = Json::array();
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.m: is an empty list; give one value or one per "
            "channel");
  j["params"]["m"] = Json::parse(R"([1, "a"])");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: params.m[1]: must be an integer, got \"a\"");
  j["params"]["m"] = "1";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.m: must be an integer or a list of integers, "
            "got \"1\"");
  j["params"]["m"] = 1;
  j["params"]["rounding"] = "nearest";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.rounding: must be one of half_even, half_up, "
            "got \"nearest\"");
  j["params"]["rounding"] = 1;
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: params.rounding: must be a string (one of half_even, "
            "half_up), got 1");
}

TEST(ParseVectorCase, RejectsBadDTypes) {
  Json j = Valid();
  j["inputs"]["x"]["dtype"] = "float32";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.dtype: unknown dtype \"float32\" (vector "
            "dtypes: int8, uint8, int16, uint16, int32, int64)");
  j["inputs"]["x"]["dtype"] = "int7";
  EXPECT_CONTAINS(ErrorOf(j), "inputs.x.dtype: unknown dtype \"int7\"");
  j["inputs"]["x"].erase("dtype");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.dtype: missing");
}

TEST(ParseVectorCase, RejectsADTypeTheOpDoesNotTake) {
  Json j = Valid();
  j["inputs"]["x"]["dtype"] = "int16";
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.dtype: shiftmax takes int8 for x, got int16");
  j = Valid();
  j["outputs"]["y"]["dtype"] = "int8";
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: outputs.y.dtype: shiftmax takes uint16, uint8 or "
            "int32 for y, got int8");
}

TEST(ParseVectorCase, RejectsBadShapes) {
  Json j = Valid();
  j["inputs"]["x"]["shape"] = {-2, 3};
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.shape[0]: -2 is negative");
  j["inputs"]["x"]["shape"] = {2, "3"};
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.shape[1]: must be an integer, got \"3\"");
  j["inputs"]["x"]["shape"] = 6;
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.shape: must be a list of dims, got 6");
  j["inputs"]["x"]["shape"] = {1, 1, 1, 1, 1, 1, 1, 1, 6};
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x.shape: has 9 axes; at most 8");
  j["inputs"]["x"]["shape"] = {65536, 65536, 65536, 65536, 65536};
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.shape: [65536, 65536, 65536, 65536, 65536] "
            "has more than 2^26 elements or a dim above 2^26 (the limit of one "
            "tensor)");
  j["inputs"]["x"]["shape"] = {0, std::int64_t{1} << 40};
  EXPECT_CONTAINS(ErrorOf(j), "inputs.x.shape: [0, 1099511627776] has more than 2^26 elements");
}

TEST(ParseVectorCase, RejectsDataOfTheWrongLengthBeforeAllocating) {
  Json j = Valid();
  j["inputs"]["x"]["shape"] = {3, 197};
  j["inputs"]["x"]["data"] = std::vector<int>(590, 1);
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.data: has 590 values; shape [3, 197] needs "
            "591");
  j["inputs"]["x"]["shape"] = {std::int64_t{1} << 26};
  j["inputs"]["x"]["data"] = {1};
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.data: has 1 values; shape [67108864] needs "
            "67108864");
}

TEST(ParseVectorCase, RejectsValuesOutsideTheDType) {
  Json j = Valid();
  j["inputs"]["x"]["data"][1] = 200;
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.data[1]: 200 is out of range for int8 "
            "[-128, 127]");
  j["inputs"]["x"]["data"][1] = -129;
  EXPECT_CONTAINS(ErrorOf(j), "inputs.x.data[1]: -129 is out of range for int8");
  j = Valid();
  j["outputs"]["y"]["data"][5] = 65536;
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: outputs.y.data[5]: 65536 is out of range for uint16 "
            "[0, 65535]");
  j["outputs"]["y"]["data"][5] = -1;
  EXPECT_CONTAINS(ErrorOf(j), "outputs.y.data[5]: -1 is out of range for uint16");
  j["outputs"]["y"]["data"][5] = 1.5;
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: outputs.y.data[5]: must be an integer, got 1.5");
}

TEST(ParseVectorCase, NeedsExactlyOneOfDataAndFile) {
  Json j = Valid();
  j["inputs"]["x"]["file"] = "x.hex";
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x: has both data and file; give exactly one");
  j["inputs"]["x"].erase("file");
  j["inputs"]["x"].erase("data");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x: has neither data nor file; give exactly one");
  j["inputs"]["x"]["values"] = {1};
  EXPECT_EQ(ErrorOf(j),
            "c/manifest.json: inputs.x.values: unknown key (a tensor has dtype, "
            "shape, and data or file)");
}

TEST(ParseVectorCase, ReadsHexFilesAndReportsTheirProblems) {
  const auto dir = TempDir("hexfiles");
  WriteText(dir / "x.hex", "01\n02\n03\n80\n00\n7F\n");
  Json j = Valid();
  j["inputs"]["x"].erase("data");
  j["inputs"]["x"]["file"] = "x.hex";
  const VectorCase c = ParseVectorCase(j.dump(), dir, "c/manifest.json");
  EXPECT_EQ(c.inputs.at("x").values, (std::vector<std::int64_t>{1, 2, 3, -128, 0, 127}));

  WriteText(dir / "x.hex", "01\n02\n0x03\n80\n00\n7F\n");
  EXPECT_CONTAINS(ErrorOf(j, dir), "x.hex: line 3: \"0x03\" has a 0x prefix");
  WriteText(dir / "x.hex", "01\n02\n003\n80\n00\n7F\n");
  EXPECT_CONTAINS(ErrorOf(j, dir), "x.hex: line 3: \"003\" has 3 hex digits; int8 takes at most 2");
  WriteText(dir / "x.hex", "01\n02\n");
  EXPECT_EQ(ErrorOf(j, dir),
            (dir / "x.hex").generic_string() + ": has 2 values; inputs.x's shape needs 6");
  j["inputs"]["x"]["file"] = "missing.hex";
  EXPECT_EQ(ErrorOf(j, dir), (dir / "missing.hex").generic_string() +
                                 ": inputs.x.file: cannot open (No such file or directory)");
  j["inputs"]["x"]["file"] = "/etc/passwd";
  EXPECT_EQ(ErrorOf(j, dir),
            "c/manifest.json: inputs.x.file: must be a relative path inside "
            "the case directory, got \"/etc/passwd\"");
  j["inputs"]["x"]["file"] = "../x.hex";
  EXPECT_CONTAINS(ErrorOf(j, dir), "inputs.x.file: must be a relative path inside");
  j["inputs"]["x"]["file"] = 3;
  EXPECT_EQ(ErrorOf(j, dir), "c/manifest.json: inputs.x.file: must be a file name, got 3");
}

TEST(ParseVectorCase, ChecksInputAndOutputNames) {
  Json j = Valid();
  j["inputs"]["z"] = j["inputs"]["x"];
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.z: unknown input of shiftmax (known: x)");
  j = Valid();
  j["inputs"].erase("x");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs.x: missing; shiftmax requires it");
  j.erase("inputs");
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: inputs: missing");
  j = Valid();
  j["outputs"]["out"] = j["outputs"]["y"];
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: outputs.out: unknown output of shiftmax (known: y)");
  j = Valid();
  j["outputs"] = Json::array();
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: outputs: must be an object of named tensors, got []");
  j = Valid();
  j["meta"] = "x";
  EXPECT_EQ(ErrorOf(j), "c/manifest.json: meta: must be an object, got \"x\"");
}

TEST(ReadVectorCase, TakesADirectoryOrAManifestPath) {
  const auto dir = TempDir("read");
  WriteText(dir / "manifest.json", Valid().dump());
  EXPECT_EQ(ReadVectorCase(dir).source, (dir / "manifest.json").generic_string());
  EXPECT_EQ(ReadVectorCase(dir / "manifest.json").inputs.at("x").values.size(), 6u);
  try {
    ReadVectorCase(dir / "nothing");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "nothing").generic_string() +
                                         ": no such file (a case is a directory holding "
                                         "manifest.json)");
  }
}

VectorCase RequantCase(std::vector<std::int64_t> x) {
  VectorCase c;
  c.op = "requant";
  c.params = {{"m", std::vector<std::int64_t>{1073741824, -2147483648}},
              {"e", std::int64_t{31}},
              {"out_bits", std::int64_t{16}},
              {"rounding", std::string("half_even")}};
  const auto n = static_cast<std::int64_t>(x.size());
  c.inputs["x"] = VectorTensor{DType::kInt64, {n / 2, 2}, std::move(x)};
  c.outputs["y"] = VectorTensor{DType::kInt16, {n / 2, 2}, std::vector<std::int64_t>(n, -32768)};
  c.meta["seed"] = 3;
  c.meta["generator"] = "old";
  return c;
}

TEST(WriteVectorCase, RoundTripsInlineAndHexTensorsAtTheExtremes) {
  const std::vector<std::int64_t> x = {INT64_MIN, INT64_MAX, -1, 0, INT64_MIN + 1, INT64_MAX - 1};
  for (std::int64_t limit : {64, 0}) {
    const auto dir = TempDir("rt" + std::to_string(limit));
    const VectorCase c = RequantCase(x);
    WriteVectorCase(c, dir, WriteOptions{limit});
    const VectorCase r = ReadVectorCase(dir);
    EXPECT_EQ(r.op, c.op);
    EXPECT_EQ(r.params, c.params);
    EXPECT_EQ(r.inputs, c.inputs);
    EXPECT_EQ(r.outputs, c.outputs);
    EXPECT_EQ(r.meta["generator"], kGenerator);
    EXPECT_EQ(r.meta["seed"], 3);
    EXPECT_EQ(std::filesystem::exists(dir / "x.hex"), limit == 0);
  }
}

Ints Extremes(DType t) {
  return {DTypeMin(t),     DTypeMin(t) + 1, DTypeMin(t) < 0 ? -1 : 2, 0, 1,
          DTypeMax(t) - 1, DTypeMax(t)};
}

TEST(WriteVectorCase, RoundTripsEveryDTypeAtItsExtremes) {
  std::vector<VectorCase> cases;
  for (DType t : {DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64}) {
    VectorCase c = RequantCase({1, 2});
    c.inputs["x"] = VectorTensor{t, {7}, Extremes(t)};
    c.outputs["y"] = VectorTensor{DType::kInt32, {7}, Extremes(DType::kInt32)};
    cases.push_back(c);
  }
  for (DType t : {DType::kUint8, DType::kUint16}) {
    VectorCase c;
    c.op = "shiftmax";
    c.params["x0"] = std::int64_t{-47};
    c.inputs["x"] = VectorTensor{DType::kInt8, {7}, Extremes(DType::kInt8)};
    c.outputs["y"] = VectorTensor{t, {7}, Extremes(t)};
    cases.push_back(c);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    for (std::int64_t limit : {64, 0}) {
      const auto dir = TempDir("dt" + std::to_string(i) + "_" + std::to_string(limit));
      WriteVectorCase(cases[i], dir, WriteOptions{limit});
      const VectorCase r = ReadVectorCase(dir);
      EXPECT_EQ(r.inputs, cases[i].inputs) << i << " " << limit;
      EXPECT_EQ(r.outputs, cases[i].outputs) << i << " " << limit;
    }
  }
}

TEST(WriteVectorCase, WritesReadmemhFilesForUnsignedAndNarrowDTypes) {
  const auto dir = TempDir("narrow");
  VectorCase c;
  c.op = "matmul";
  c.inputs["a"] = VectorTensor{DType::kUint16, {1, 1, 2}, {65535, 0}};
  c.inputs["b"] = VectorTensor{DType::kInt8, {1, 2, 1}, {-128, -1}};
  WriteVectorCase(c, dir, WriteOptions{0});
  EXPECT_EQ(ReadText(dir / "a.hex"), "ffff\n0000\n");
  EXPECT_EQ(ReadText(dir / "b.hex"), "80\nff\n");
  const VectorCase r = ReadVectorCase(dir);
  EXPECT_EQ(r.inputs, c.inputs);
}

TEST(WriteVectorCase, WrapsLongListsAndKeepsSmallTensorsInline) {
  VectorCase c = RequantCase({1, 2});
  c.params["m"] = std::vector<std::int64_t>(40, 1073741824);
  const std::string text = FormatManifest(c);
  EXPECT_CONTAINS(text, "\"format\": \"intvit-vector-v1\"");
  EXPECT_CONTAINS(text, "\"data\": [1, 2]");
  EXPECT_CONTAINS(text, "\"m\": [\n");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 100u) << line;
  // Params come in the spec's order, not alphabetical.
  EXPECT_LT(text.find("\"m\""), text.find("\"e\""));
}

TEST(WriteVectorCase, RejectsInvalidTensors) {
  VectorCase c = RequantCase({1, 2});
  c.outputs["y"].values[0] = 40000;
  EXPECT_THROW(FormatManifest(c), InputError);
  c = RequantCase({1, 2});
  c.inputs["x"].shape = {3};
  EXPECT_THROW(FormatManifest(c), InputError);
  c = RequantCase({1, 2});
  c.inputs["w"] = c.inputs["x"];
  EXPECT_THROW(FormatManifest(c), InputError);
}

TEST(VectorNumElements, MultipliesAndGuardsOverflow) {
  EXPECT_EQ(VectorNumElements({}), 1);
  EXPECT_EQ(VectorNumElements({3, 197}), 591);
  EXPECT_EQ(VectorNumElements({0, 5}), 0);
  EXPECT_EQ(VectorNumElements({-1, 5}), -1);
  EXPECT_EQ(VectorNumElements({std::int64_t{1} << 26}), std::int64_t{1} << 26);
  EXPECT_EQ(VectorNumElements({(std::int64_t{1} << 26) + 1}), -1);
  EXPECT_EQ(VectorNumElements({1 << 20, 1 << 20, 1 << 20}), -1);
  EXPECT_EQ(VectorNumElements({INT64_MAX, 0}), -1);
}

TEST(IndexToCoords, IsRowMajor) {
  EXPECT_EQ(IndexToCoords(0, {3, 197}), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(IndexToCoords(2 * 197 + 17, {3, 197}), (std::vector<std::int64_t>{2, 17}));
  EXPECT_EQ(IndexToCoords(23, {2, 3, 4}), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(FormatShape({2, 17}), "[2, 17]");
  EXPECT_EQ(FormatShape({}), "[]");
}

}  // namespace
}  // namespace intvit::model
