// An intvit model file: a ModelConfig and the ModelParams of that config in one safetensors
// container. The layout (tensor names, dtypes, shapes, metadata keys and their JSON schemas) is
// specified in docs/model-format.md, "Graph metadata"; a PyTorch exporter can be written from
// that page alone.
//
// Reading is strict: the format tag, the config (unknown keys are errors), every tensor's
// presence, name, dtype and shape, every value range and finally the whole model's consistency
// (BuildVitGraph) are checked, and anything wrong is an InputError that names the file and the
// tensor or metadata key.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/model_config.h"
#include "model/graph/model_params.h"
#include "model/io/safetensors.h"

namespace intvit::model {

// Metadata keys and the reference-tensor prefix (docs/model-format.md, "Graph metadata").
inline constexpr const char* kModelFileFormatKey = "intvit.format";
inline constexpr const char* kModelFileConfigKey = "intvit.config";
inline constexpr const char* kModelFileParamsKey = "intvit.params";
inline constexpr const char* kModelFileProvenanceKey = "intvit.provenance";
inline constexpr std::string_view kModelFileReferencePrefix = "reference.";
// The value of "intvit.format".
inline constexpr const char* kModelFileFormat = "intvit-model-v1";

struct ModelFile {
  ModelConfig config;
  // The arithmetic knobs of the params (requant rounding; Shiftmax/ShiftGELU n, out_bits and
  // div; LayerNorm Newton settings and div) are not stored: the config is their one source, and
  // a read fills them in from it.
  ModelParams params;
  // Free-form strings: generator, seed, source checkpoint, ... Stored, never interpreted.
  std::map<std::string, std::string> provenance;
};

// The container form of a model. Pure conversion: it does not validate (WriteModelFile does).
SafetensorsFile ToSafetensors(const ModelFile& model);

// Interprets a parsed container. `source` (the file name) starts every error message.
ModelFile FromSafetensors(const SafetensorsFile& file, const std::string& source);

// FromSafetensors(ParseSafetensors(bytes, source), source).
ModelFile ParseModelFile(std::span<const std::uint8_t> bytes, const std::string& source);

// Reads and fully validates the model file at path.
ModelFile ReadModelFile(const std::string& path);

// Serialized bytes of a model; the same model always gives the same bytes.
std::vector<std::uint8_t> SerializeModelFile(const ModelFile& model);

// Writes atomically (path.tmp, then rename). Refuses, with an InputError naming path, a model
// that ReadModelFile would refuse, so intvit never writes a file it cannot read back.
void WriteModelFile(const std::string& path, const ModelFile& model);

}  // namespace intvit::model
