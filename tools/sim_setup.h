// What `intvit sim` and `intvit cosim` prepare before the TLM run: the model, the effective
// arch config, the output folder, the input image, the golden run and the Program.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/program.h"
#include "model/exec/run_reference.h"
#include "sim/top/simulate.h"
#include "tools/command_args.h"
#include "tools/input_image.h"
#include "tools/model_source.h"

namespace intvit::tools {

struct SimSetup {
  LoadedModel model;
  compiler::ArchConfig arch;
  std::string out;
  InputImage input;
  model::RunResult golden;
  compiler::Program program;
  double golden_ms = 0, compile_ms = 0;
};

// The unit an RTL unit name names: array, requant, shiftmax, gelu (or shiftgelu, the op's name),
// layernorm, add; nullopt for another name. RtlUnitNames() lists them for messages.
std::optional<isa::Unit> RtlUnitNamed(const std::string& name);
std::string RtlUnitNames();

// The `-p` overrides plus `impl.<unit>=rtl` for each unit of `rtl` ("all" or "array,gelu";
// "shiftgelu" is accepted for gelu). Throws InputError naming an unknown unit.
std::vector<std::string> OverridesWithRtl(const std::vector<std::string>& overrides,
                                          const std::string& rtl);

// The sim options common to both commands (mode, trace, quantum, fault, progress line on a
// terminal; `label` starts the progress line).
sim::SimOptions BaseSimOptions(const SimArgs& a, const std::string& label, bool* progress_shown);

void WriteJsonFile(const std::string& path, const nlohmann::json& j);

// The arch config with the `-p` overrides applied and validated; with overrides its name gets
// "+<8 hex of their SHA-256>", so reports and default folders name the effective machine.
compiler::ArchConfig LoadEffectiveArch(const std::string& arch,
                                       const std::vector<std::string>& overrides);

// Writes s.out/effective_config.json: generator, the effective arch, the model and `run` (the
// options of the command that ran it).
void WriteEffectiveConfig(const SimSetup& s, const nlohmann::json& run);

// The TLM run of s.program on s.input with the bit check against s.golden, and its reports
// (layers.csv, stats.json, stats.csv, trace.json) in s.out. Once per process (SystemC).
sim::SimResult SimulateAndReport(const SimSetup& s, const sim::SimOptions& o);

// The co-simulation run of `intvit cosim` and of `sim` with an impl.<unit> = rtl (cmd_cosim.cc;
// builds without the RTL refuse it).
int RunCosim(const SimArgs& a, const SimSetup& s);

}  // namespace intvit::tools
