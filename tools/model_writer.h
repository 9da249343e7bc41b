// Writing a model file made by a command (synth, quantize) and the one line that reports it.
#pragma once

#include <string>

#include "model/io/model_file.h"

namespace intvit::tools {

// WriteModelFile(path, f), then "wrote PATH (N KiB): N nodes, N M MACs/image; <how> in S s".
void WriteModelAndReport(const std::string& path, const model::ModelFile& f,
                         const std::string& how, double seconds);

}  // namespace intvit::tools
