// The writer of intvit-vector-v1 cases: a readable manifest (lists of numbers on wrapped lines,
// not one number per line) plus $readmemh hex files for large tensors.
#include <fstream>

#include "intvit_version.h"
#include "model/common/error.h"
#include "model/common/atomic_file.h"
#include "model/io/hex_file.h"
#include "model/io/vector_case.h"

namespace intvit::model {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kWrapColumn = 100;

bool IsScalar(const Json& j) { return !j.is_array() && !j.is_object(); }

// Pretty-prints JSON with two-space indents; arrays of scalars stay on one line, wrapped at
// kWrapColumn.
void Emit(const Json& j, int indent, std::string* out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  if (j.is_object()) {
    if (j.empty()) {
      *out += "{}";
      return;
    }
    *out += "{\n";
    bool first = true;
    for (const auto& [key, value] : j.items()) {
      if (!first) *out += ",\n";
      first = false;
      *out += inner + Json(key).dump() + ": ";
      Emit(value, indent + 2, out);
    }
    *out += "\n" + pad + "}";
    return;
  }
  if (j.is_array()) {
    bool all_scalar = true;
    for (const Json& e : j) all_scalar = all_scalar && IsScalar(e);
    if (all_scalar) {
      std::string line = "[";
      for (std::size_t i = 0; i < j.size(); ++i) line += (i ? ", " : "") + j[i].dump();
      line += "]";
      if (line.size() + static_cast<std::size_t>(indent) + 12 <= kWrapColumn) {
        *out += line;
        return;
      }
      *out += "[\n" + inner;
      std::size_t col = inner.size();
      for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string item = j[i].dump() + (i + 1 < j.size() ? "," : "");
        if (col > inner.size() && col + 1 + item.size() > kWrapColumn) {
          *out += "\n" + inner;
          col = inner.size();
        } else if (col > inner.size()) {
          *out += " ";
          ++col;
        }
        *out += item;
        col += item.size();
      }
      *out += "\n" + pad + "]";
      return;
    }
    *out += "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      *out += inner;
      Emit(j[i], indent + 2, out);
      *out += (i + 1 < j.size()) ? ",\n" : "\n";
    }
    *out += pad + "]";
    return;
  }
  *out += j.dump();
}

void CheckTensor(const VectorTensor& t, const std::string& where, const std::string& field) {
  const std::int64_t n = VectorNumElements(t.shape);
  Require(n >= 0 && n == static_cast<std::int64_t>(t.values.size()),
          CaseMessage(where, field,
                      "has " + std::to_string(t.values.size()) + " values; shape " +
                          FormatShape(t.shape) + " needs " + std::to_string(n)));
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    // The message is built only on failure: this loop runs over every value written.
    if (!FitsDType(t.values[i], t.dtype)) {
      throw InputError(CaseMessage(
          where, field + ".data[" + std::to_string(i) + "]",
          std::to_string(t.values[i]) + " does not fit " + std::string(DTypeName(t.dtype))));
    }
  }
}

// The file name of a tensor written as hex, or "" when it is written inline.
std::string HexName(const VectorCase& c, bool is_output, const std::string& name,
                    const VectorTensor& t, const WriteOptions& o) {
  if (static_cast<std::int64_t>(t.values.size()) <= o.inline_limit) return "";
  const bool clash = is_output && c.inputs.contains(name);
  return (clash ? "out_" : "") + name + ".hex";
}

Json TensorJson(const VectorTensor& t, const std::string& hex_name) {
  Json j = Json::object();
  j["dtype"] = std::string(DTypeName(t.dtype));
  j["shape"] = t.shape;
  if (hex_name.empty()) {
    j["data"] = t.values;
  } else {
    j["file"] = hex_name;
  }
  return j;
}

Json ParamJson(const ParamValue& v) {
  return std::visit([](const auto& x) { return Json(x); }, v);
}

Json ManifestJson(const VectorCase& c, const WriteOptions& o) {
  const std::string where = c.Where();
  const OpSpec* op = FindOpSpec(c.op);
  Require(op != nullptr, CaseMessage(where, "op", "unknown op \"" + c.op + "\""));
  Json params = Json::object();
  for (const ParamSpec& spec : op->params) {
    auto it = c.params.find(std::string(spec.name));
    if (it != c.params.end()) params[std::string(spec.name)] = ParamJson(it->second);
  }
  for (const auto& [name, value] : c.params) {
    Require(op->FindParam(name) != nullptr,
            CaseMessage(where, "params." + name, "unknown parameter of " + c.op));
  }
  auto tensors = [&](const TensorMap& m, const std::vector<TensorSpec>& specs, bool is_output) {
    const std::string kind = is_output ? "outputs" : "inputs";
    Json out = Json::object();
    for (const TensorSpec& spec : specs) {
      auto it = m.find(std::string(spec.name));
      if (it == m.end()) continue;
      CheckTensor(it->second, where, kind + "." + it->first);
      out[it->first] = TensorJson(it->second, HexName(c, is_output, it->first, it->second, o));
    }
    for (const auto& [name, t] : m) {
      Require(out.contains(name),
              CaseMessage(where, kind + "." + name, "unknown tensor of " + c.op));
    }
    return out;
  };
  Json meta = Json::object();
  meta["generator"] = kGenerator;
  for (const auto& [key, value] : c.meta.items()) {
    if (key != "generator") meta[key] = value;
  }
  Json j = Json::object();
  j["format"] = kVectorFormat;
  j["op"] = c.op;
  j["params"] = params;
  j["inputs"] = tensors(c.inputs, op->inputs, false);
  j["outputs"] = tensors(c.outputs, op->outputs, true);
  j["meta"] = meta;
  return j;
}

}  // namespace

std::string FormatManifest(const VectorCase& c, const WriteOptions& options) {
  std::string out;
  Emit(ManifestJson(c, options), 0, &out);
  return out + "\n";
}

void WriteVectorCase(const VectorCase& c, const std::filesystem::path& dir,
                     const WriteOptions& options) {
  const std::string text = FormatManifest(c, options);  // validates before touching the disk
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Require(!ec && std::filesystem::is_directory(dir),
          dir.generic_string() + ": cannot create the case directory (" + ec.message() + ")");
  for (bool is_output : {false, true}) {
    for (const auto& [name, t] : is_output ? c.outputs : c.inputs) {
      const std::string hex = HexName(c, is_output, name, t, options);
      if (!hex.empty()) WriteHexFile(dir / hex, t.dtype, t.values);
    }
  }
  const std::filesystem::path manifest = dir / "manifest.json";
  WriteFileAtomically(manifest, text);
}

}  // namespace intvit::model
