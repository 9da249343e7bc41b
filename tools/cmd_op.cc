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
#include "tools/commands.h"

#ifdef INTVIT_WITH_RTL
#include "testbench/rtl_backend.h"
#endif

namespace intvit::tools {
namespace {

using model::VectorCase;

struct OpOptions {
  std::string case_path;
  std::string out_dir;
  std::string impl = "golden";
  std::string wave;  // --wave FILE (rtl only)
};

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

int Check(const OpOptions& o) {
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

int Run(const OpOptions& o) {
  const VectorCase c = model::ReadVectorCase(o.case_path);
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

}  // namespace

void RegisterOp(CLI::App& app) {
  auto* op = app.add_subcommand("op", "Run or check one intvit-vector-v1 case (docs/vectors.md)");
  op->require_subcommand(1);
  auto opts = std::make_shared<OpOptions>();
  const std::string case_help =
      "The case: a directory holding manifest.json, or the manifest file itself";
  const std::string impl_help =
      "The implementation that computes the op: golden, or rtl (the Verilated units: requant, "
      "linear, matmul, conv_patch, shiftmax, shiftgelu, layernorm; prints the RTL cycle count; "
      "a case beyond a unit's build limits, such as rows over MaxCols, exits 2)";
  const std::string wave_help = "With --impl rtl: write a VCD waveform of the unit to FILE";

  auto* check = op->add_subcommand(
      "check",
      "Compute the case's outputs and compare them with the expected ones, bit for bit.\n"
      "Exit 0: all match. 1: some differ (count, first index, both values, max |diff|).\n"
      "2: the case is malformed (one line: error: <file>: <field>: <what>).");
  check->add_option("CASE", opts->case_path, case_help)->required();
  check->add_option("--impl", opts->impl, impl_help)->capture_default_str();
  check->add_option("--wave", opts->wave, wave_help);
  SetAction(check, [opts] { return Check(*opts); });

  auto* run = op->add_subcommand(
      "run",
      "Compute the case's outputs and write the case with them filled in to DIR.\n"
      "Declared outputs keep their dtype; others get the op's natural dtype.\n"
      "Tensors over 64 values go to <name>.hex files. Exit 0 written, 2 malformed case.");
  run->add_option("CASE", opts->case_path, case_help)->required();
  run->add_option("-o,--out", opts->out_dir, "The case directory to write (created if needed)")
      ->required();
  run->add_option("--impl", opts->impl, impl_help)->capture_default_str();
  run->add_option("--wave", opts->wave, wave_help);
  SetAction(run, [opts] { return Run(*opts); });
}

}  // namespace intvit::tools
