#include "model/io/model_file.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "model/common/error.h"

namespace intvit::model {
namespace {

using json = nlohmann::json;

RawTensor ToRaw(const Tensor& t) {
  switch (t.dtype()) {
    case DType::kInt8:
      return MakeRawTensor<std::int8_t>(t.shape(), t.Span<std::int8_t>());
    case DType::kUint8:
      return MakeRawTensor<std::uint8_t>(t.shape(), t.Span<std::uint8_t>());
    case DType::kInt16:
      return MakeRawTensor<std::int16_t>(t.shape(), t.Span<std::int16_t>());
    case DType::kUint16:
      return MakeRawTensor<std::uint16_t>(t.shape(), t.Span<std::uint16_t>());
    case DType::kInt32:
      return MakeRawTensor<std::int32_t>(t.shape(), t.Span<std::int32_t>());
    case DType::kInt64:
      return MakeRawTensor<std::int64_t>(t.shape(), t.Span<std::int64_t>());
    case DType::kFloat32:
      break;
  }
  throw std::logic_error("ToRaw: a Tensor never holds float32");
}

// Adds a tensor, refusing a name that two parameters would share.
void Put(SafetensorsFile& f, const std::string& name, RawTensor t) {
  Require(f.tensors.emplace(name, std::move(t)).second,
          "cannot write model: two parameters map to tensor '" + name + "'");
}

void PutMultipliers(SafetensorsFile& f, const std::string& owner, const std::string& suffix,
                    const std::vector<Dyadic>& mult) {
  std::vector<std::int64_t> m;
  std::vector<std::int32_t> e;
  for (const Dyadic& d : mult) {
    m.push_back(d.m);
    e.push_back(d.e);
  }
  const std::vector<std::int64_t> shape = {static_cast<std::int64_t>(mult.size())};
  Put(f, owner + ".m" + suffix, MakeRawTensor(shape, m));
  Put(f, owner + ".e" + suffix, MakeRawTensor(shape, e));
}

std::string Dump(const json& j, const char* key) {
  try {
    return j.dump();
  } catch (const json::type_error&) {
    throw InputError(std::string("cannot write model: metadata '") + key +
                     "' holds a string that is not valid UTF-8");
  }
}

}  // namespace

SafetensorsFile ToSafetensors(const ModelFile& model) {
  const ModelParams& p = model.params;
  SafetensorsFile f;
  for (const auto& [name, t] : p.tensors) Put(f, name, ToRaw(t));
  json params = {
      {"requant", json::object()}, {"shiftmax", json::object()}, {"shiftgelu", json::object()}};
  for (const auto& [name, r] : p.requants) {
    PutMultipliers(f, name, "", r.mult);
    if (r.HasResidual()) PutMultipliers(f, name, "_res", r.mult_res);
    params["requant"][name] = {{"out_bits", r.out_bits}};
  }
  for (const auto& [name, s] : p.shiftmaxes) params["shiftmax"][name] = {{"x0", s.x0}};
  for (const auto& [name, g] : p.gelus) params["shiftgelu"][name] = {{"x0", g.x0}};
  for (const auto& [name, ln] : p.layernorms) {
    Put(f, name + ".bias_int",
        MakeRawTensor({static_cast<std::int64_t>(ln.bias_int.size())}, ln.bias_int));
  }
  for (const auto& [key, values] : p.reference) {
    Put(f, std::string(kModelFileReferencePrefix) + key,
        MakeRawTensor({static_cast<std::int64_t>(values.size())}, values));
  }
  f.metadata[kModelFileFormatKey] = kModelFileFormat;
  f.metadata[kModelFileConfigKey] = Dump(ModelConfigToJson(model.config), kModelFileConfigKey);
  f.metadata[kModelFileParamsKey] = Dump(params, kModelFileParamsKey);
  f.metadata[kModelFileProvenanceKey] = Dump(json(model.provenance), kModelFileProvenanceKey);
  return f;
}

std::vector<std::uint8_t> SerializeModelFile(const ModelFile& model) {
  return SerializeSafetensors(ToSafetensors(model));
}

void WriteModelFile(const std::string& path, const ModelFile& model) {
  const SafetensorsFile f = ToSafetensors(model);
  try {
    FromSafetensors(f, path);
  } catch (const InputError& e) {
    throw InputError(std::string("refusing to write an invalid model: ") + e.what());
  }
  WriteSafetensors(path, f);
}

}  // namespace intvit::model
