// `intvit op check|run`: run intvit-vector-v1 cases on a backend (golden, or rtl)
// and compare them with, or fill in, their expected outputs. docs/vectors.md.
//
// Exit codes: 0 all outputs match (check) or the case was written (run); 1 some output differs
// (check); 2 a case is malformed or a usage error ("error: <file>: <field>: <what>").
// `op check` over several cases (directories searched for cases, index.json files) checks them
// in parallel threads and prints one line per failing or malformed case and a summary per op.
#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <iomanip>
#include <ios>
#include <iostream>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"
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

namespace fs = std::filesystem;

// ---- Finding the cases of `op check A B ...` ----

constexpr const char* kIndexFormat = "intvit-vector-index-v1";
// A DeiT-Tiny cut of every tile lists 67k cases in about 20 MB; the cap leaves room for more.
constexpr std::uint64_t kIndexMaxBytes = std::uint64_t{1} << 30;

bool IsIndexFile(const fs::path& p) {
  std::error_code ec;
  return p.filename() == "index.json" && fs::is_regular_file(p, ec);
}

// The case folders listed by an index.json of `intvit vectors`, in its order.
void CasesOfIndex(const fs::path& index, std::vector<std::string>& out) {
  const std::string where = index.generic_string();
  const auto j = ParseStrictJson<nlohmann::json>(
      ReadUserFile(index, kIndexMaxBytes, "vector index"), where, 16);
  Require(j.is_object() && j.contains("format") && j["format"] == kIndexFormat,
          where + ": format: not an intvit vector index (want \"" + kIndexFormat + "\")");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    Require(k == "format" || k == "meta" || k == "counts" || k == "cases",
            where + ": unknown key '" + k + "' (known keys: format, meta, counts, cases)");
  }
  Require(j.contains("cases") && j["cases"].is_array(), where + ": cases: must be an array");
  std::size_t i = 0;
  for (const auto& c : j["cases"]) {
    const std::string at = where + ": cases[" + std::to_string(i++) + "]";
    Require(c.is_object() && c.contains("path") && c["path"].is_string(),
            at + ": path: must be a string");
    const fs::path rel(c["path"].get<std::string>());
    Require(!rel.empty() && rel.is_relative(),
            at + ": path: must be relative to the index's folder");
    out.push_back((index.parent_path() / rel).generic_string());
  }
}

// Every case folder (a folder holding manifest.json) under dir, sorted; a case folder's
// subfolders are not searched.
void CasesUnder(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied,
                                             ec);
  Require(!ec, dir.generic_string() + ": cannot list (" + ec.message() + ")");
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    Require(!ec, dir.generic_string() + ": cannot list (" + ec.message() + ")");
    std::error_code e2;
    if (!it->is_directory(e2) || it->is_symlink(e2)) continue;
    if (fs::exists(it->path() / "manifest.json", e2)) {
      found.push_back(it->path().generic_string());
      it.disable_recursion_pending();
    }
  }
  Require(!found.empty(), dir.generic_string() + ": no cases (no folder under it holds manifest.json)");
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

// The cases named by the CASE arguments, in order, each once.
std::vector<std::string> ExpandCaseArgs(const std::vector<std::string>& args) {
  std::vector<std::string> all;
  for (const std::string& a : args) {
    std::error_code ec;
    const fs::path p(a);
    if (IsIndexFile(p)) {
      CasesOfIndex(p, all);
    } else if (fs::is_directory(p, ec) && !fs::exists(p / "manifest.json", ec)) {
      CasesUnder(p, all);
    } else {
      all.push_back(a);  // a case; ReadVectorCase names what is wrong with it
    }
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& c : all) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(model::ManifestPath(c), ec);
    if (ec) key = c;
    if (seen.insert(key.generic_string()).second) unique.push_back(c);
  }
  return unique;
}

// ---- Checking one case ----

enum class Verdict { kPass, kFail, kMalformed };

struct CaseResult {
  Verdict verdict = Verdict::kMalformed;
  std::string op = "?";  // "?" when the manifest does not name a known op
  std::string line;      // the FAIL or MALFORMED line; empty for a pass
  std::exception_ptr bug;  // an exception that is not about the input: exit 3
};

// The op a malformed manifest names, for the summary; "?" when it cannot be read.
std::string BestEffortOp(const std::string& case_path) {
  try {
    const fs::path m = model::ManifestPath(case_path);
    const auto j = ParseStrictJson<nlohmann::json>(
        ReadUserFile(m, std::uint64_t{128} << 20, "vector manifest"), m.generic_string(), 64);
    if (j.is_object() && j.contains("op") && j["op"].is_string()) {
      const std::string op = j["op"].get<std::string>();
      if (model::FindOpSpec(op) != nullptr) return op;
    }
  } catch (const std::exception&) {
  }
  return "?";
}

std::string Malformed(const std::string& case_path, const std::string& message) {
  // Messages name the manifest or hex file; prefix the case when one does not.
  if (message.find(case_path) != std::string::npos) return "MALFORMED " + message;
  return "MALFORMED " + case_path + ": " + message;
}

CaseResult CheckOneQuietly(const std::string& case_path, const OpOptions& o) {
  CaseResult r;
  try {
    const VectorCase c = model::ReadVectorCase(case_path);
    r.op = c.op;
    Require(!c.outputs.empty(),
            model::CaseMessage(c.Where(), "outputs",
                               "the case has no expected outputs to check; `intvit op run` "
                               "computes them"));
    model::PlanCase(c);
    auto backend = Backend(o);
    const model::TensorMap actual = backend->Run(c);
    const model::CompareReport report = model::CompareOutputs(c.outputs, actual);
    if (report.AllMatch()) {
      r.verdict = Verdict::kPass;
      return r;
    }
    r.verdict = Verdict::kFail;
    std::ostringstream line;
    line << "FAIL " << c.op << " (" << backend->Name() << "): " << report.TotalMismatches()
         << " of " << report.TotalElements() << " elements differ (" << c.Where() << ")";
    for (const model::OutputDiff& d : report.outputs) {
      const std::string text = model::FormatOutputDiff(d);
      if (text.find(" differ") != std::string::npos) {  // the first differing output
        line << "; " << text;
        break;
      }
    }
    r.line = line.str();
    return r;
  } catch (const InputError& e) {
    r.line = Malformed(case_path, e.what());
  } catch (const fs::filesystem_error& e) {
    r.line = Malformed(case_path, e.what());
  } catch (const std::ios_base::failure& e) {
    r.line = Malformed(case_path, e.what());
  } catch (const std::bad_alloc&) {
    r.line = Malformed(case_path, "out of memory (a case too large for this machine?)");
  } catch (...) {
    r.bug = std::current_exception();
    return r;
  }
  r.verdict = Verdict::kMalformed;
  if (r.op == "?") r.op = BestEffortOp(case_path);
  return r;
}

int CheckMany(const std::vector<std::string>& cases, const OpOptions& o) {
  Require(o.wave.empty(), "--wave: a waveform is of one case; give one CASE");
  if (o.impl != "golden") Backend(o);  // an unknown or unavailable --impl is exit 2 up front
  unsigned jobs = o.jobs != 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  // The RTL units share Verilator's process-wide state and the build cache; one thread.
  if (o.impl == "rtl") jobs = 1;
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, cases.size()));

  std::vector<CaseResult> results(cases.size());
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < cases.size();) {
      results[i] = CheckOneQuietly(cases[i], o);
    }
  };
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
  }
  for (const CaseResult& r : results) {
    if (r.bug) std::rethrow_exception(r.bug);
  }

  struct Counts {
    std::size_t cases = 0, passed = 0, failed = 0, malformed = 0;
  };
  std::map<std::string, Counts> per_op;
  Counts total;
  for (const CaseResult& r : results) {
    if (!r.line.empty()) std::cout << r.line << "\n";
    for (Counts* c : {&per_op[r.op], &total}) {
      ++c->cases;
      if (r.verdict == Verdict::kPass) ++c->passed;
      if (r.verdict == Verdict::kFail) ++c->failed;
      if (r.verdict == Verdict::kMalformed) ++c->malformed;
    }
  }
  const auto row = [](const std::string& name, const Counts& c) {
    std::cout << std::left << std::setw(12) << name << std::right << std::setw(7) << c.cases
              << std::setw(8) << c.passed << std::setw(8) << c.failed << std::setw(11)
              << c.malformed << "\n";
  };
  std::cout << std::left << std::setw(12) << "op" << std::right << std::setw(7) << "cases"
            << std::setw(8) << "passed" << std::setw(8) << "failed" << std::setw(11)
            << "malformed" << "\n";
  for (const auto& [op, c] : per_op) row(op, c);
  row("total", total);
  if (total.malformed > 0) std::cout << total.malformed << " malformed\n";
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  if (total.malformed > 0) return 2;
  return total.failed > 0 ? 1 : 0;
}

// One case, reported in full (the output tests and scripts depend on).
int CheckOne(const std::string& case_path, const OpOptions& o) {
  const VectorCase c = model::ReadVectorCase(case_path);
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

}  // namespace

int RunOpCheck(const OpOptions& o) {
  const std::vector<std::string> cases = ExpandCaseArgs(o.case_paths);
  if (cases.size() == 1) return CheckOne(cases.front(), o);
  return CheckMany(cases, o);
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
