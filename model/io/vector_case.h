// intvit-vector-v1: one op, its params, its input tensors and (optionally) its expected outputs,
// stored as a directory with manifest.json plus optional hex files. The format is the contract
// between the golden model, the RTL testbenches and anyone who writes a case by hand;
// docs/vectors.md describes it field by field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/io/vector_schema.h"
#include "model/tensor/dtype.h"

namespace intvit::model {

inline constexpr const char* kVectorFormat = "intvit-vector-v1";

// Limits that keep a hostile or mistyped case from exhausting memory or time.
inline constexpr std::int64_t kVectorMaxRank = 8;
inline constexpr std::int64_t kVectorMaxElements = std::int64_t{1} << 26;  // per tensor
inline constexpr std::uintmax_t kManifestMaxBytes = std::uintmax_t{128} << 20;

// One tensor. Values are held as int64 whatever the dtype; a tensor read from a case always
// has values.size() == VectorNumElements(shape) and every value inside the dtype's range.
struct VectorTensor {
  DType dtype = DType::kInt8;
  std::vector<std::int64_t> shape;   // row-major; the last axis is the row / channel axis
  std::vector<std::int64_t> values;  // row-major

  friend bool operator==(const VectorTensor&, const VectorTensor&) = default;
};

using TensorMap = std::map<std::string, VectorTensor>;

struct VectorCase {
  std::string op;  // a name from AllOpSpecs()
  // Every param the op knows that was given or has a default (the reader fills defaults in, so
  // a written case spells them all out). Optional params without a default may be absent.
  std::map<std::string, ParamValue> params;
  TensorMap inputs;
  TensorMap outputs;  // expected outputs; empty for a case that `op run` is to fill
  nlohmann::ordered_json meta = nlohmann::ordered_json::object();  // free-form provenance
  // The manifest's path as the user named it; every error message starts with it. Empty for a
  // case built in code ("<case>" is used then).
  std::string source;

  std::string Where() const { return source.empty() ? std::string("<case>") : source; }
};

// Product of the dims, or -1 if a dim is negative or above kVectorMaxElements, or the product
// exceeds kVectorMaxElements.
std::int64_t VectorNumElements(const std::vector<std::int64_t>& shape);
// "[3, 197]".
std::string FormatShape(const std::vector<std::int64_t>& shape);
// The coordinates of a row-major flat index: IndexToCoords(3*197 - 1, {3, 197}) == {2, 196}.
std::vector<std::int64_t> IndexToCoords(std::int64_t flat, const std::vector<std::int64_t>& shape);

// Builds the message of a malformed case: "<where>: <field>: <what>".
std::string CaseMessage(const std::string& where, const std::string& field,
                        const std::string& what);

// A case path names either the case directory or its manifest file.
std::filesystem::path ManifestPath(const std::filesystem::path& case_path);

// Reads and validates a case: JSON syntax (no duplicate keys), the format tag, the op, every
// param against the op's spec (names, kinds, storage ranges; defaults filled in), every tensor
// (dtype, shape, data or file, length, value ranges), input and output names and dtypes
// against the spec. Semantic checks that need several fields (shapes that must agree, the ops'
// Check*Params) belong to PlanCase in model/exec/op_plan.h.
// Throws InputError("<manifest>: <field>: <what>", or "<hex file>: line N: <what>").
VectorCase ReadVectorCase(const std::filesystem::path& case_path);

// The same from manifest text; hex files are looked up under `dir`; `source` names the manifest
// in messages.
VectorCase ParseVectorCase(const std::string& manifest_text, const std::filesystem::path& dir,
                           const std::string& source);

struct WriteOptions {
  // Tensors with more values than this go to "<name>.hex" beside the manifest; smaller ones are
  // written inline as "data". Inputs and outputs follow the same rule.
  std::int64_t inline_limit = 64;
};

// Writes `c` as a case directory (created if needed): manifest.json and the hex files. Sets
// meta.generator to intvit::kGenerator and keeps every other meta key. Tensors must be valid
// (values fit their dtype, count matches shape); throws InputError otherwise or on I/O failure.
void WriteVectorCase(const VectorCase& c, const std::filesystem::path& dir,
                     const WriteOptions& options = {});

// The manifest text WriteVectorCase would write (hex-file tensors named, not inlined).
std::string FormatManifest(const VectorCase& c, const WriteOptions& options = {});

}  // namespace intvit::model
