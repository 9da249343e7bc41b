// Compile: Graph + ArchConfig -> Program (docs/compiler.md).
#pragma once

#include <string>

#include "compiler/arch_config.h"
#include "compiler/program.h"
#include "model/graph/graph.h"

namespace intvit::compiler {

// Throws InputError when the graph has a structure the compiler does not support, a parameter
// does not fit an ISA field (x0, the Newton start, DIV other than 2^31 - 1 or 2^31), or a layer
// cannot fit the SRAMs even with the smallest tiles (the message names the layer, the buffer,
// and the bytes needed and available).
Program Compile(const model::Graph& g, const ArchConfig& arch, const std::string& model_name = "");

}  // namespace intvit::compiler
