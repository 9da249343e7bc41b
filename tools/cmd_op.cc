// `intvit op check|run`: run one intvit-vector-v1 case on a backend (golden, or rtl)
// and compare it with, or fill in, its expected outputs. docs/vectors.md.
//
// Exit codes: 0 all outputs match (check) or the case was written (run); 1 some output differs
// (check); 2 the case is malformed or a usage error ("error: <file>: <field>: <what>").
#include <iostream>
#include <string>

#include "model/common/error.h"
#include "model/exec/compare.h"
#include "model/exec/op_case.h"
#include "model/io/vector_case.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"

#ifdef INTVIT_WITH_RTL
#include "testbench/rtl_backend.h"
#endif

namespace intvit::tools {
namespace {

using model::VectorCase;

std::unique_ptr<model::OpBackend> Backend(const OpOptions& o) {
  if (o.impl == "rtl") {
#ifdef INTVIT_WITH_RTL
    return std::make_unique<tb::RtlBackend>(tb::RtlOptions{.wave_path = o.wave, .array = {}});
#else
    throw InputError(
        "--impl rtl: this intvit was built without RTL support (INTVIT_GOLDEN_ONLY=ON or no "
        "Verilator); rebuild with Verilator and INTVIT_GOLDEN_ONLY=OFF");
#endif
  }
  Require(o.wave.empty(), "--wave: waveforms come from the RTL; add --impl rtl");
  auto backend = model::MakeOpBackend(o.impl);
  Require(backend != nullptr, "--impl: unknown implementation \"" + o.impl + "\"");
  return backend;
}

// "  rtl cycles: 28416 (ivit_array 16x16, 144 folds)" for backends that count cycles.
void PrintCycles(const model::OpBackend& backend) {
  if (auto cycles = backend.Cycles()) {
    std::cout << "  " << backend.Name() << " cycles: " << *cycles;
    if (!backend.CyclesNote().empty()) std::cout << " (" << backend.CyclesNote() << ")";
    std::cout << "\n";
  }
}

// "x int32 [4, 16], res int16 [4, 16]", in the order the op's spec lists the tensors.
std::string DescribeTensors(const model::TensorMap& m,
                            const std::vector<model::TensorSpec>& order) {
  std::string s;
  for (const model::TensorSpec& spec : order) {
    auto it = m.find(std::string(spec.name));
    if (it == m.end()) continue;
    const model::VectorTensor& t = it->second;
    s += (s.empty() ? "" : ", ") + it->first + " " + std::string(model::DTypeName(t.dtype)) + " " +
         model::FormatShape(t.shape);
  }
  return s;
}
std::string DescribeInputs(const VectorCase& c, const model::TensorMap& m) {
  return DescribeTensors(m, model::FindOpSpec(c.op)->inputs);
}
std::string DescribeOutputs(const VectorCase& c, const model::TensorMap& m) {
  return DescribeTensors(m, model::FindOpSpec(c.op)->outputs);
}

}  // namespace

int RunOpCheck(const OpOptions& o) {
  const VectorCase c = model::ReadVectorCase(o.case_path);
  Require(!c.outputs.empty(),
          model::CaseMessage(c.Where(), "outputs",
                             "the case has no expected outputs to check; `intvit op run` "
                             "computes them"));
  model::PlanCase(c);  // a malformed case is exit 2 before any backend runs
  auto backend = Backend(o);
  const model::TensorMap actual = backend->Run(c);
  const model::CompareReport report = model::CompareOutputs(c.outputs, actual);
  if (report.AllMatch()) {
    std::cout << "PASS " << c.op << " (" << backend->Name() << "): " << DescribeInputs(c, c.inputs)
              << " -> " << DescribeOutputs(c, c.outputs) << ", " << report.TotalElements()
              << " elements match (" << c.Where() << ")\n";
    PrintCycles(*backend);
    return 0;
  }
  std::cout << "FAIL " << c.op << " (" << backend->Name() << "): " << report.TotalMismatches()
            << " of " << report.TotalElements() << " elements differ (" << c.Where() << ")\n";
  for (const model::OutputDiff& d : report.outputs) {
    std::cout << "  " << model::FormatOutputDiff(d) << "\n";
  }
  PrintCycles(*backend);
  return 1;
}

int RunOpRun(const OpOptions& o) {
  const VectorCase c = model::ReadVectorCase(o.case_path);
  PrepareOutputDir(o.out_dir, "-o");
  const model::OpPlan plan = model::PlanCase(c);
  auto backend = Backend(o);
  VectorCase out = model::WithOutputs(c, plan, backend->Run(c));
  out.meta["impl"] = std::string(backend->Name());
  model::WriteVectorCase(out, o.out_dir);
  std::cout << "wrote " << model::ManifestPath(o.out_dir).generic_string() << ": " << c.op << " "
            << DescribeInputs(c, out.inputs) << " -> " << DescribeOutputs(c, out.outputs) << "\n";
  PrintCycles(*backend);
  return 0;
}

}  // namespace intvit::tools
