// The strict reader of intvit-vector-v1 cases. Every rejection names the file and the field.
#include "model/io/vector_case.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"
#include "model/io/hex_file.h"

namespace intvit::model {
namespace {

using Json = nlohmann::ordered_json;

// The value as it appears in the file, cut to a readable length, for messages.
std::string Show(const Json& j) {
  std::string s = j.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

bool GetInt64(const Json& j, std::int64_t* out) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return false;
    *out = static_cast<std::int64_t>(u);
    return true;
  }
  if (j.is_number_integer()) {
    *out = j.get<std::int64_t>();
    return true;
  }
  return false;
}

std::string RangeText(std::int64_t lo, std::int64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

// A manifest needs 5 levels; deeper nesting (in meta) is allowed up to this, and refused beyond
// it so that printing or re-writing the JSON cannot recurse without bound.
constexpr int kMaxJsonDepth = 64;

class Reader {
 public:
  Reader(std::filesystem::path dir, std::string where)
      : dir_(std::move(dir)), where_(std::move(where)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& what) const {
    throw InputError(CaseMessage(where_, field, what));
  }

  std::int64_t Int(const Json& j, const std::string& field, std::int64_t lo,
                   std::int64_t hi) const {
    std::int64_t v = 0;
    if (!GetInt64(j, &v)) Fail(field, "must be an integer, got " + Show(j));
    if (v < lo || v > hi) Fail(field, std::to_string(v) + " is out of range " + RangeText(lo, hi));
    return v;
  }

  std::vector<std::int64_t> IntList(const Json& j, const std::string& field, std::int64_t lo,
                                    std::int64_t hi) const {
    if (!j.is_array()) Fail(field, "must be a list of integers, got " + Show(j));
    std::vector<std::int64_t> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(Int(j[i], field + "[" + std::to_string(i) + "]", lo, hi));
    }
    return out;
  }

  ParamValue Param(const Json& j, const ParamSpec& spec, const std::string& field) const {
    switch (spec.kind) {
      case ParamKind::kInt:
        return Int(j, field, spec.min, spec.max);
      case ParamKind::kIntOrList:
        if (j.is_array()) {
          if (j.empty()) Fail(field, "is an empty list; give one value or one per channel");
          return IntList(j, field, spec.min, spec.max);
        }
        if (!j.is_number_integer()) {
          Fail(field, "must be an integer or a list of integers, got " + Show(j));
        }
        return Int(j, field, spec.min, spec.max);
      case ParamKind::kIntList:
        return IntList(j, field, spec.min, spec.max);
      case ParamKind::kString: {
        std::string choices;
        for (std::string_view c : spec.choices) {
          choices += (choices.empty() ? "" : ", ") + std::string(c);
        }
        if (!j.is_string())
          Fail(field, "must be a string (one of " + choices + "), got " + Show(j));
        const auto s = j.get<std::string>();
        for (std::string_view c : spec.choices) {
          if (s == c) return s;
        }
        Fail(field, "must be one of " + choices + ", got \"" + s + "\"");
      }
    }
    Fail(field, "unsupported parameter kind");
  }

  std::map<std::string, ParamValue> Params(const Json* j, const OpSpec& op) const {
    std::map<std::string, ParamValue> out;
    if (j != nullptr) {
      if (!j->is_object()) Fail("params", "must be an object, got " + Show(*j));
      for (const auto& [key, value] : j->items()) {
        const ParamSpec* spec = op.FindParam(key);
        if (spec == nullptr) {
          Fail("params." + key, "unknown parameter of " + std::string(op.name) +
                                    " (known: " + ParamNameList(op) + ")");
        }
        out.emplace(key, Param(value, *spec, "params." + key));
      }
    }
    for (const ParamSpec& spec : op.params) {
      if (out.contains(std::string(spec.name))) continue;
      if (spec.required) {
        Fail("params." + std::string(spec.name),
             "missing; " + std::string(op.name) + " requires it");
      }
      if (spec.default_value) out.emplace(std::string(spec.name), *spec.default_value);
    }
    return out;
  }

  std::vector<std::int64_t> Shape(const Json& j, const std::string& field) const {
    if (!j.is_array()) Fail(field, "must be a list of dims, got " + Show(j));
    if (static_cast<std::int64_t>(j.size()) > kVectorMaxRank) {
      Fail(field,
           "has " + std::to_string(j.size()) + " axes; at most " + std::to_string(kVectorMaxRank));
    }
    std::vector<std::int64_t> shape;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string f = field + "[" + std::to_string(i) + "]";
      std::int64_t d = 0;
      if (!GetInt64(j[i], &d)) Fail(f, "must be an integer, got " + Show(j[i]));
      if (d < 0) Fail(f, std::to_string(d) + " is negative");
      shape.push_back(d);
    }
    if (VectorNumElements(shape) < 0) {
      Fail(field, FormatShape(shape) +
                      " has more than 2^26 elements or a dim above 2^26 (the "
                      "limit of one tensor)");
    }
    return shape;
  }

  VectorTensor Tensor(const Json& j, const std::string& field, const std::string& op,
                      const TensorSpec& spec) const {
    if (!j.is_object())
      Fail(field, "must be an object {dtype, shape, data | file}, got " + Show(j));
    for (const auto& [key, value] : j.items()) {
      if (key != "dtype" && key != "shape" && key != "data" && key != "file") {
        Fail(field + "." + key, "unknown key (a tensor has dtype, shape, and data or file)");
      }
    }
    VectorTensor t;
    if (!j.contains("dtype")) Fail(field + ".dtype", "missing");
    const Json& jd = j["dtype"];
    const auto dtype = jd.is_string() ? DTypeFromName(jd.get<std::string>()) : std::nullopt;
    if (!dtype || !IsIntegerDType(*dtype)) {
      Fail(field + ".dtype", "unknown dtype " + Show(jd) +
                                 " (vector dtypes: int8, uint8, int16, uint16, int32, int64)");
    }
    t.dtype = *dtype;
    bool allowed = false;
    for (DType d : spec.dtypes) allowed = allowed || d == t.dtype;
    if (!allowed) {
      Fail(field + ".dtype", op + " takes " + DTypeList(spec.dtypes) + " for " +
                                 std::string(spec.name) + ", got " +
                                 std::string(DTypeName(t.dtype)));
    }
    if (!j.contains("shape")) Fail(field + ".shape", "missing");
    t.shape = Shape(j["shape"], field + ".shape");
    const std::int64_t count = VectorNumElements(t.shape);

    const bool has_data = j.contains("data"), has_file = j.contains("file");
    if (has_data && has_file) Fail(field, "has both data and file; give exactly one");
    if (!has_data && !has_file) Fail(field, "has neither data nor file; give exactly one");
    if (has_data) {
      const Json& data = j["data"];
      if (!data.is_array()) Fail(field + ".data", "must be a list of integers, got " + Show(data));
      // Compare lengths before converting anything: a huge shape never allocates.
      if (static_cast<std::int64_t>(data.size()) != count) {
        Fail(field + ".data", "has " + std::to_string(data.size()) + " values; shape " +
                                  FormatShape(t.shape) + " needs " + std::to_string(count));
      }
      t.values.reserve(data.size());
      for (std::size_t i = 0; i < data.size(); ++i) {
        const std::string f = field + ".data[" + std::to_string(i) + "]";
        std::int64_t v = 0;
        if (!GetInt64(data[i], &v)) Fail(f, "must be an integer, got " + Show(data[i]));
        if (!FitsDType(v, t.dtype)) {
          Fail(f, std::to_string(v) + " is out of range for " + std::string(DTypeName(t.dtype)) +
                      " " + RangeText(DTypeMin(t.dtype), DTypeMax(t.dtype)));
        }
        t.values.push_back(v);
      }
    } else {
      const Json& jf = j["file"];
      if (!jf.is_string()) Fail(field + ".file", "must be a file name, got " + Show(jf));
      const std::filesystem::path rel(jf.get<std::string>());
      bool inside = !rel.empty() && rel.is_relative() && !rel.has_root_name();
      for (const auto& part : rel) inside = inside && part != "..";
      if (!inside) {
        Fail(field + ".file", "must be a relative path inside the case directory, got " + Show(jf));
      }
      const std::filesystem::path p = dir_ / rel;
      t.values = ReadHexFile(p, p.generic_string(), field, t.dtype, count);
    }
    return t;
  }

  TensorMap Tensors(const Json& j, const std::string& field, const OpSpec& op,
                    const std::vector<TensorSpec>& specs) const {
    if (!j.is_object()) Fail(field, "must be an object of named tensors, got " + Show(j));
    const std::string kind = field == "inputs" ? "input" : "output";
    TensorMap out;
    for (const auto& [key, value] : j.items()) {
      const TensorSpec* spec = nullptr;
      for (const TensorSpec& s : specs) {
        if (s.name == key) spec = &s;
      }
      if (spec == nullptr) {
        Fail(field + "." + key, "unknown " + kind + " of " + std::string(op.name) +
                                    " (known: " + TensorNameList(specs) + ")");
      }
      out.emplace(key, Tensor(value, field + "." + key, std::string(op.name), *spec));
    }
    return out;
  }

 private:
  std::filesystem::path dir_;
  std::string where_;
};

std::string ReadManifestText(const std::filesystem::path& path, const std::string& where) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(where + ": no such file (a case is a directory holding manifest.json)");
  }
  return ReadUserFile(path, kManifestMaxBytes, "vector manifest", where);
}

}  // namespace

std::int64_t VectorNumElements(const std::vector<std::int64_t>& shape) {
  // Every dim is bounded too, so a zero elsewhere cannot hide a dim that loops forever.
  for (std::int64_t d : shape) {
    if (d < 0 || d > kVectorMaxElements) return -1;
  }
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d == 0) return 0;
  }
  for (std::int64_t d : shape) {
    if (n > kVectorMaxElements / d) return -1;
    n *= d;
  }
  return n;
}

std::string FormatShape(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    s += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  }
  return s + "]";
}

std::vector<std::int64_t> IndexToCoords(std::int64_t flat, const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> coords(shape.size(), 0);
  for (std::size_t i = shape.size(); i-- > 0;) {
    if (shape[i] <= 0) continue;
    coords[i] = flat % shape[i];
    flat /= shape[i];
  }
  return coords;
}

std::string CaseMessage(const std::string& where, const std::string& field,
                        const std::string& what) {
  return where + ": " + field + ": " + what;
}

std::filesystem::path ManifestPath(const std::filesystem::path& case_path) {
  std::error_code ec;
  if (std::filesystem::is_directory(case_path, ec)) return case_path / "manifest.json";
  return case_path;
}

VectorCase ParseVectorCase(const std::string& manifest_text, const std::filesystem::path& dir,
                           const std::string& source) {
  const std::string where = source.empty() ? "<case>" : source;
  const Json j = ParseStrictJson<Json>(manifest_text, where, kMaxJsonDepth);
  Reader r(dir, where);
  if (!j.is_object()) r.Fail("manifest", "the top level must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key != "format" && key != "op" && key != "params" && key != "inputs" && key != "outputs" &&
        key != "meta") {
      r.Fail(key, "unknown top-level key (known: format, op, params, inputs, outputs, meta)");
    }
  }
  if (!j.contains("format"))
    r.Fail("format", std::string("missing; expected \"") + kVectorFormat + "\"");
  if (!j["format"].is_string() || j["format"].get<std::string>() != kVectorFormat) {
    r.Fail("format", "is " + Show(j["format"]) + "; this reader takes \"" + kVectorFormat + "\"");
  }
  if (!j.contains("op")) r.Fail("op", "missing");
  if (!j["op"].is_string()) r.Fail("op", "must be a string, got " + Show(j["op"]));
  const OpSpec* op = FindOpSpec(j["op"].get<std::string>());
  if (op == nullptr) {
    r.Fail("op", "unknown op " + Show(j["op"]) + " (known: " + OpNameList() + ")");
  }

  VectorCase c;
  c.op = std::string(op->name);
  c.source = source;
  c.params = r.Params(j.contains("params") ? &j["params"] : nullptr, *op);
  if (!j.contains("inputs")) r.Fail("inputs", "missing");
  c.inputs = r.Tensors(j["inputs"], "inputs", *op, op->inputs);
  for (const TensorSpec& s : op->inputs) {
    if (s.required && !c.inputs.contains(std::string(s.name))) {
      r.Fail("inputs." + std::string(s.name), "missing; " + c.op + " requires it");
    }
  }
  if (j.contains("outputs")) c.outputs = r.Tensors(j["outputs"], "outputs", *op, op->outputs);
  if (j.contains("meta")) {
    if (!j["meta"].is_object()) r.Fail("meta", "must be an object, got " + Show(j["meta"]));
    c.meta = j["meta"];
  }
  return c;
}

VectorCase ReadVectorCase(const std::filesystem::path& case_path) {
  const std::filesystem::path manifest = ManifestPath(case_path);
  const std::string where = manifest.generic_string();
  const std::string text = ReadManifestText(manifest, where);
  std::filesystem::path dir = manifest.parent_path();
  if (dir.empty()) dir = ".";
  return ParseVectorCase(text, dir, where);
}

}  // namespace intvit::model
