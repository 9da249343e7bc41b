// `intvit sweep SPEC`: every point of a sweep spec as a bit-checked TLM run, results appended
// per point to DIR/results.{jsonl,csv} (docs/sweep.md). The spec is checked whole, and DIR's
// state (fresh, or --resume of the same spec and shard) before anything runs or is written.
// Exit 0 when every point has a row, 1 when a point ran and was not bit-exact, 2 bad input.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <thread>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"
#include "tools/stopwatch.h"
#include "tools/sweep/point_pool.h"
#include "tools/sweep/progress.h"
#include "tools/sweep/slurm_script.h"
#include "tools/sweep/sweep_dir.h"
#include "tools/sweep_report.h"

namespace intvit::tools {
namespace {

namespace fs = std::filesystem;
using namespace sweep;

std::string DefaultDir(const SweepSpec& spec, const std::optional<Shard>& shard) {
  std::string d = "out/sweeps/" + spec.path.stem().string() + "_" + spec.sha256.substr(0, 8);
  if (shard) d += "_shard-" + std::to_string(shard->index) + "-of-" + std::to_string(shard->count);
  return d;
}

// The rows an earlier run of this spec and shard left in `dir` (--resume). Refuses a folder of
// another spec or shard, and rows that are not points of it, before anything is changed.
std::vector<Row> ResumedRows(const fs::path& dir, const SweepSpec& spec,
                             const std::optional<Shard>& shard, const std::set<std::string>& ids,
                             bool* torn) {
  const nlohmann::ordered_json rec = ReadSpecRecord(dir, "--resume");
  const std::string at = "--resume " + dir.string() + ": ";
  Require(rec["spec_sha256"] == spec.sha256, at + "holds the results of another spec (" +
                                                 rec.value("spec_path", "?") +
                                                 "); give the spec it was run with, or another -o");
  const std::string want = shard ? shard->Text() : "";
  const auto what = [](const std::string& sh) {
    return sh.empty() ? std::string("every point") : "shard " + sh;
  };
  Require(RecordShard(rec) == want, at + "holds " + what(RecordShard(rec)) + " of the spec, not " +
                                        what(want) + " (--shard must match the run it finishes)");
  std::vector<Row> rows;
  std::set<std::string> seen;
  for (Row& r : ReadResultRows(dir / "results.jsonl", torn)) {
    const std::string id = r["id"].get<std::string>();
    Require(ids.count(id) == 1, at + "results.jsonl has point " + id + ", not one of this run");
    if (seen.insert(id).second) rows.push_back(std::move(r));
  }
  return rows;
}

// Holds DIR/.lock (flock) for the life of the process, so two sweeps never append to one
// folder; the lock goes with the process, however it ends.
void LockSweepDir(const fs::path& dir) {
  const int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  Require(fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0,
          "-o " + dir.string() + ": another intvit sweep is running in this folder");
}

}  // namespace

int RunSweep(const SweepArgs& a) {
  const SweepSpec spec = LoadSweepSpec(a.spec);
  std::optional<Shard> shard;
  if (!a.shard.empty()) shard = ParseShard(a.shard);
  if (!a.emit_slurm.empty()) {
    Require(!shard && !a.resume && a.out.empty(),
            "--emit-slurm writes the scripts of every shard, each into DIR/shard-I with --resume; "
            "drop --shard, --resume and -o");
    return EmitSlurm(spec, a);
  }
  Require(a.shards == 0, "--shards goes with --emit-slurm");

  std::vector<const SweepPoint*> mine;
  std::set<std::string> ids;
  for (const SweepPoint& p : spec.points) {
    if (shard && !shard->Holds(p)) continue;
    mine.push_back(&p);
    ids.insert(p.id);
  }
  const fs::path dir = a.out.empty() ? DefaultDir(spec, shard) : a.out;
  std::error_code ec;
  Require(!fs::exists(dir, ec) || fs::is_directory(dir, ec),
          "-o " + dir.string() + ": exists and is not a directory");
  std::vector<Row> rows;
  bool torn = false;
  if (!IsAbsentOrEmpty(dir)) {
    Require(a.resume, "-o " + dir.string() +
                          ": is not empty; results are never overwritten (use --resume to "
                          "finish that sweep, or another -o)");
    rows = ResumedRows(dir, spec, shard, ids, &torn);
  }
  std::set<std::string> done;
  for (const Row& r : rows) done.insert(r["id"].get<std::string>());
  std::vector<const SweepPoint*> todo;
  std::set<std::string> todo_models;
  for (const SweepPoint* p : mine) {
    if (done.count(p->id) == 0) {
      todo.push_back(p);
      todo_models.insert(p->model);
    }
  }

  // The golden run once per model, shared by its points' processes.
  std::vector<ModelRun> runs(spec.models.size());
  Stopwatch golden_clock;
  for (std::size_t m = 0; m < spec.models.size(); ++m) {
    if (todo_models.count(spec.models[m]) == 0) continue;
    std::string arg;
    for (const SweepPoint& p : spec.points) {
      if (p.model == spec.models[m]) arg = p.model_arg;
    }
    try {
      runs[m].model = LoadModelArg(arg);
      runs[m].input = LoadInputImage(runs[m].model.graph, "", spec.image_seed);
    } catch (const InputError& e) {
      throw InputError(spec.path.string() + ": models[" + std::to_string(m) + "]: " + e.what());
    }
    runs[m].golden = model::RunReference(runs[m].model.graph, runs[m].input.tensor);
  }

  const double golden_s = golden_clock.WallMs() / 1e3;
  PrepareOutputDir(dir.string(), "-o");
  LockSweepDir(dir);
  if (rows.empty() && !fs::exists(dir / "spec.json", ec)) {
    WriteFileAtomically(dir / "spec.json", SpecRecord(spec, shard).dump(2) + "\n");
  }
  ResultsLog log(dir, spec.axis_keys, std::move(rows));
  if (torn) std::fprintf(stderr, "note: dropped a torn last line of results.jsonl (run again)\n");

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned jobs = a.jobs == 0 ? cores : a.jobs;
  SweepProgress progress(mine.size(), mine.size() - todo.size(), a.quiet);
  int mismatches = 0;
  RunPointsInChildren(spec, todo, runs, dir, jobs, [&](const Row& r) {
    log.Append(r);
    const bool ok = r["status"] == "ok";
    if (!ok && r["cycles"].is_number() && r["bit_exact"] == false) ++mismatches;
    progress.PointDone(r["id"].get<std::string>(), ok);
  });
  progress.Finish();
  WriteSweepReport(dir);

  std::size_t failed = 0;
  for (const Row& r : log.rows()) failed += r["status"] == "ok" ? 0 : 1;
  const double s = progress.Seconds();
  if (!a.quiet) {
    std::printf("sweep %s: %zu points (%zu run now, %zu failed) in %.1f s", spec.path.c_str(),
                mine.size(), todo.size(), failed, s);
    if (!todo.empty() && s > 0) std::printf(", %.1f points/min", 60.0 * todo.size() / s);
    std::printf("\ngolden  %zu model(s) loaded and run once in %.2f s, shared by the points\n",
                todo_models.size(), golden_s);
    std::printf("results %s/results.csv, %s/results.jsonl\n", dir.c_str(), dir.c_str());
  }
  return mismatches > 0 ? 1 : 0;
}

}  // namespace intvit::tools
