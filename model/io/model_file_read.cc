// The strict model-file reader: every check in docs/model-format.md, "Graph metadata".
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/graph/vit_builder.h"
#include "model/io/model_file.h"

namespace intvit::model {
namespace {

using json = nlohmann::json;

// Metadata JSON deeper than this is refused: no schema here nests more than 3 levels.
constexpr int kMaxJsonDepth = 16;

// A name taken from a file, quoted and shortened so that a hostile file cannot flood a message.
std::string Quote(const std::string& s) {
  constexpr std::size_t kMax = 96;
  return "'" + (s.size() <= kMax ? s : s.substr(0, kMax) + "...") + "'";
}

// A float for a message: "inf", "-inf", "nan" or the shortest round-trip digits.
std::string FloatText(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  return buf;
}

// What a tensor name in the file stands for.
enum class Role { kModelTensor, kM, kE, kMRes, kERes, kBiasInt };
struct Slot {
  Role role;
  std::string owner;  // the requant or layernorm module; the tensor name for kModelTensor
};

// The dtype the layout fixes for each model tensor (the builder checks the shapes).
DType ModelTensorDType(const std::string& name) {
  if (name == "cls_token" || name == "pos_embed") return DType::kInt16;
  return name.ends_with(".bias") ? DType::kInt32 : DType::kInt8;
}

// Parses one metadata value as JSON with the shared strict rules (no duplicate keys, no NUL
// or trailing bytes, nesting at most kMaxJsonDepth). Throws InputError("metadata '<key>': ...").
json ParseMetadataJson(const std::string& text, const std::string& key) {
  return ParseStrictJson<json>(text, "metadata " + Quote(key), kMaxJsonDepth);
}

// An integer JSON value in [lo, hi]; `at` names it in the message.
std::int64_t JsonInt(const json& v, const std::string& at, std::int64_t lo, std::int64_t hi,
                     const std::string& range) {
  Require(v.is_number_integer(), at + " must be an integer, got " + std::string(v.type_name()));
  const bool too_big = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX;
  const std::int64_t x = too_big ? INT64_MAX : v.get<std::int64_t>();
  Require(!too_big && x >= lo && x <= hi, at + " = " + v.dump() + " is out of range " + range);
  return x;
}

class Reader {
 public:
  Reader(const SafetensorsFile& f, const std::string& source) : f_(f), source_(source) {}

  ModelFile Read() {
    try {
      CheckMetadataKeys();
      ReadConfig();
      ClassifyTensors();
      ReadParamsJson();
      ReadTensors();
      ReadProvenance();
    } catch (const InputError& e) {
      throw InputError(source_ + ": " + e.what());
    } catch (const json::exception& e) {  // a schema check above missed a case
      throw InputError(source_ + ": malformed metadata: " + e.what());
    }
    ApplyConfigKnobs();
    try {
      BuildVitGraph(m_.config, m_.params);
    } catch (const InputError& e) {
      throw InputError(source_ + ": " + e.what());
    }
    return std::move(m_);
  }

 private:
  void CheckMetadataKeys() {
    const auto fmt = f_.metadata.find(kModelFileFormatKey);
    Require(fmt != f_.metadata.end(),
            "not an intvit model file: metadata key 'intvit.format' is missing");
    Require(fmt->second == kModelFileFormat, "metadata 'intvit.format' is " + Quote(fmt->second) +
                                                 "; expected '" + kModelFileFormat + "'");
    for (const auto& [key, value] : f_.metadata) {
      Require(!key.starts_with("intvit.") || key == kModelFileFormatKey ||
                  key == kModelFileConfigKey || key == kModelFileParamsKey ||
                  key == kModelFileProvenanceKey,
              "unknown metadata key " + Quote(key) +
                  " (known: intvit.format, intvit.config, intvit.params, intvit.provenance)");
    }
  }

  json Metadata(const char* key) const {
    const auto it = f_.metadata.find(key);
    Require(it != f_.metadata.end(), std::string("metadata key '") + key + "' is missing");
    return ParseMetadataJson(it->second, key);
  }

  void ReadConfig() {
    const json j = Metadata(kModelFileConfigKey);
    try {
      m_.config = ParseModelConfig(j, kModelFileConfigKey);
    } catch (const InputError& e) {
      const std::string what = e.what();
      throw InputError(what.starts_with(kModelFileConfigKey)
                           ? what
                           : std::string(kModelFileConfigKey) + ": " + what);
    }
    names_ = RequiredParamNames(m_.config);
  }

  // Every tensor in the file must be a parameter of this config, and every required one there.
  void ClassifyTensors() {
    for (const auto& n : names_.tensors) slots_[n] = {Role::kModelTensor, n};
    for (const auto& n : names_.requants) {
      slots_[n + ".m"] = {Role::kM, n};
      slots_[n + ".e"] = {Role::kE, n};
      slots_[n + ".m_res"] = {Role::kMRes, n};
      slots_[n + ".e_res"] = {Role::kERes, n};
    }
    for (const auto& n : names_.layernorms) slots_[n + ".bias_int"] = {Role::kBiasInt, n};
    for (const auto& [name, raw] : f_.tensors) {
      Require(name.starts_with(kModelFileReferencePrefix) || slots_.contains(name),
              "unknown tensor " + Quote(name) + ": not a parameter of this config (depth " +
                  std::to_string(m_.config.depth) + ")");
    }
    for (const auto& [name, slot] : slots_) {
      const bool optional = slot.role == Role::kMRes || slot.role == Role::kERes;
      Require(optional || f_.tensors.contains(name), "tensor " + Quote(name) + " is missing");
    }
    for (const auto& n : names_.requants) {
      Require(f_.tensors.contains(n + ".m_res") == f_.tensors.contains(n + ".e_res"),
              "tensors '" + n + ".m_res' and '" + n + ".e_res' must be present together");
    }
  }

  void ReadParamsJson() {
    const json j = Metadata(kModelFileParamsKey);
    Require(j.is_object(), "metadata 'intvit.params' must be a JSON object");
    for (const auto& [key, value] : j.items()) {
      Require(key == "requant" || key == "shiftmax" || key == "shiftgelu",
              "intvit.params: unknown key " + Quote(key) +
                  " (known keys: requant, shiftgelu, shiftmax)");
    }
    constexpr std::int64_t kMinX0 = -(std::int64_t{1} << 31);
    Section(j, "requant", names_.requants, "out_bits", [&](const std::string& n, const json& v) {
      const std::string at = "intvit.params: requant '" + n + "' out_bits";
      const std::int64_t bits = JsonInt(v, at, 8, 16, "{8, 16}");
      Require(bits == 8 || bits == 16, at + " = " + v.dump() + " must be 8 or 16");
      m_.params.requants[n].out_bits = static_cast<int>(bits);
    });
    Section(j, "shiftmax", names_.shiftmaxes, "x0", [&](const std::string& n, const json& v) {
      m_.params.shiftmaxes[n].x0 =
          JsonInt(v, "intvit.params: shiftmax '" + n + "' x0", kMinX0, -1, "[-2^31, -1]");
    });
    Section(j, "shiftgelu", names_.gelus, "x0", [&](const std::string& n, const json& v) {
      m_.params.gelus[n].x0 =
          JsonInt(v, "intvit.params: shiftgelu '" + n + "' x0", kMinX0, -1, "[-2^31, -1]");
    });
  }

  // One section of intvit.params: {"<module>": {"<field>": <int>}, ...} for exactly `names`.
  template <typename Store>
  void Section(const json& j, const std::string& key, const std::vector<std::string>& names,
               const std::string& field, Store store) {
    const std::string at = "intvit.params: " + key;
    Require(j.contains(key), at + " is missing");
    const json& s = j.at(key);
    Require(s.is_object(), at + " must be a JSON object");
    const std::set<std::string> known(names.begin(), names.end());
    for (const auto& [name, entry] : s.items()) {
      Require(known.contains(name),
              at + " has " + Quote(name) + ", which is not a " + key + " module of this config");
    }
    for (const auto& name : names) {
      const auto it = s.find(name);
      Require(it != s.end(), at + " '" + name + "' is missing");
      Require(it->is_object() && it->size() == 1 && it->contains(field),
              at + " '" + name + "' must be an object with exactly the key '" + field + "'");
      store(name, it->at(field));
    }
  }

  void ReadTensors() {
    for (const auto& [name, raw] : f_.tensors) {
      const std::string label = "tensor " + Quote(name);
      if (name.starts_with(kModelFileReferencePrefix)) {
        Require(raw.shape.size() == 1,
                label + " must have rank 1, has shape " + ShapeString(raw.shape));
        const std::string key = name.substr(kModelFileReferencePrefix.size());
        std::vector<float> values = TensorValues<float>(raw, label);
        // An image is normalized and quantized with these, so a NaN or inf would surface far
        // from the file; other reference values are report-only and round-trip any float.
        const bool input = key == "input.mean" || key == "input.std" || key == "input.scale";
        const bool positive = key == "input.std" || key == "input.scale";
        for (std::size_t i = 0; input && i < values.size(); ++i) {
          Require(std::isfinite(values[i]) && (!positive || values[i] > 0.0f),
                  label + "[" + std::to_string(i) + "] = " + FloatText(values[i]) + " must be " +
                      (positive ? "finite and positive" : "finite"));
        }
        m_.params.reference[key] = std::move(values);
        continue;
      }
      const Slot& slot = slots_.at(name);
      switch (slot.role) {
        case Role::kModelTensor:
          m_.params.tensors[name] = ToTensor(raw, ModelTensorDType(name), label);
          break;
        case Role::kM:
          m_.params.requants[slot.owner].mult = Multipliers(slot.owner, "");
          break;
        case Role::kMRes:
          m_.params.requants[slot.owner].mult_res = Multipliers(slot.owner, "_res");
          break;
        case Role::kE:
        case Role::kERes:
          break;  // read with its m
        case Role::kBiasInt: {
          Require(raw.shape.size() == 1,
                  label + " must have rank 1, has shape " + ShapeString(raw.shape));
          std::vector<std::int64_t> b = TensorValues<std::int64_t>(raw, label);
          constexpr std::int64_t kLimit = std::int64_t{1} << 62;
          for (std::size_t i = 0; i < b.size(); ++i) {
            Require(b[i] > -kLimit && b[i] < kLimit, label + "[" + std::to_string(i) +
                                                         "] = " + std::to_string(b[i]) +
                                                         " is out of range (|b| < 2^62)");
          }
          m_.params.layernorms[slot.owner].bias_int = std::move(b);
          break;
        }
      }
    }
  }

  Tensor ToTensor(const RawTensor& raw, DType want, const std::string& label) const {
    switch (want) {
      case DType::kInt8:
        return Tensor::FromVector(raw.shape, TensorValues<std::int8_t>(raw, label));
      case DType::kInt16:
        return Tensor::FromVector(raw.shape, TensorValues<std::int16_t>(raw, label));
      case DType::kInt32:
        return Tensor::FromVector(raw.shape, TensorValues<std::int32_t>(raw, label));
      default:
        throw std::logic_error("ModelTensorDType returned an unexpected dtype");
    }
  }

  // "<owner>.m<suffix>" (I64) and "<owner>.e<suffix>" (I32), both [1] or [channels].
  std::vector<Dyadic> Multipliers(const std::string& owner, const std::string& suffix) const {
    const std::string m_name = owner + ".m" + suffix, e_name = owner + ".e" + suffix;
    const RawTensor& m_raw = f_.tensors.at(m_name);
    const RawTensor& e_raw = f_.tensors.at(e_name);
    Require(m_raw.shape.size() == 1 && m_raw.shape[0] >= 1,
            "tensor " + Quote(m_name) + " has shape " + ShapeString(m_raw.shape) +
                "; expected [1] (per tensor) or [channels]");
    Require(e_raw.shape == m_raw.shape, "tensor " + Quote(e_name) + " has shape " +
                                            ShapeString(e_raw.shape) + "; it must match " +
                                            Quote(m_name) + " " + ShapeString(m_raw.shape));
    const auto m = TensorValues<std::int64_t>(m_raw, "tensor " + Quote(m_name));
    const auto e = TensorValues<std::int32_t>(e_raw, "tensor " + Quote(e_name));
    std::vector<Dyadic> out(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) {
      const std::string at = "[" + std::to_string(i) + "] = ";
      Require(
          m[i] >= -kDyadicMaxAbsM && m[i] <= kDyadicMaxAbsM,
          "tensor " + Quote(m_name) + at + std::to_string(m[i]) + " is out of range [-2^31, 2^31]");
      Require(e[i] >= kDyadicMinE && e[i] <= kDyadicMaxE,
              "tensor " + Quote(e_name) + at + std::to_string(e[i]) + " is out of range [" +
                  std::to_string(kDyadicMinE) + ", " + std::to_string(kDyadicMaxE) + "]");
      out[i] = Dyadic{m[i], e[i]};
    }
    return out;
  }

  void ReadProvenance() {
    if (!f_.metadata.contains(kModelFileProvenanceKey)) return;
    const json j = Metadata(kModelFileProvenanceKey);
    Require(j.is_object(), "metadata 'intvit.provenance' must be a JSON object");
    for (const auto& [key, value] : j.items()) {
      Require(value.is_string(),
              "intvit.provenance: the value of " + Quote(key) + " must be a string");
      m_.provenance[key] = value.get<std::string>();
    }
  }

  // The config is the one source of the arithmetic knobs; the file does not repeat them.
  void ApplyConfigKnobs() {
    const ModelConfig& c = m_.config;
    for (auto& [name, r] : m_.params.requants) r.rounding = c.rounding_mode();
    for (auto& [name, s] : m_.params.shiftmaxes) {
      s.n = static_cast<int>(c.softmax_n);
      s.out_bits = static_cast<int>(c.softmax_out_bits);
      s.div = c.div;
    }
    for (auto& [name, g] : m_.params.gelus) {
      g.n = static_cast<int>(c.gelu_n);
      g.out_bits = static_cast<int>(c.gelu_out_bits);
      g.div = c.div;
    }
    for (auto& [name, ln] : m_.params.layernorms) {
      ln.sqrt_iters = static_cast<int>(c.ln_sqrt_iters);
      ln.sqrt_init = c.ln_sqrt_init;
      ln.div = c.div;
    }
  }

  const SafetensorsFile& f_;
  const std::string& source_;
  ModelFile m_;
  ParamNames names_;
  std::map<std::string, Slot> slots_;
};

}  // namespace

ModelFile FromSafetensors(const SafetensorsFile& file, const std::string& source) {
  return Reader(file, source).Read();
}

ModelFile ParseModelFile(std::span<const std::uint8_t> bytes, const std::string& source) {
  return FromSafetensors(ParseSafetensors(bytes, source), source);
}

ModelFile ReadModelFile(const std::string& path) {
  return FromSafetensors(ReadSafetensors(path), path);
}

}  // namespace intvit::model
