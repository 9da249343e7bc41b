// `intvit sweep merge DIR... -o OUT`: the shard folders of one spec (`--shard`, a Slurm array,
// GNU parallel) into one result set: OUT/spec.json (the whole spec, no shard), results.jsonl
// and results.csv in point order, and points/<id>/ copied. A folder of another spec is refused
// before anything is written; a point found twice is kept once and reported, missing points
// are listed (a later `intvit sweep SPEC --resume -o OUT` runs them). Then the report.
#include <unistd.h>

#include <cstdio>
#include <map>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "tools/command_args.h"
#include "tools/output_dir.h"
#include "tools/sim_setup.h"
#include "tools/sweep/results_log.h"
#include "tools/sweep/sweep_dir.h"
#include "tools/sweep_report.h"

namespace intvit::tools {

namespace fs = std::filesystem;
using namespace sweep;

int RunSweepMerge(const SweepMergeArgs& a) {
  Require(!a.dirs.empty(), "sweep merge: give the shard folders to merge");
  Require(IsAbsentOrEmpty(a.out),
          "-o " + a.out + ": is not empty; results are never overwritten (give a new folder)");
  nlohmann::ordered_json first;
  std::map<std::string, std::pair<Row, fs::path>> by_id;  // id -> row, the folder it is from
  int duplicates = 0;
  for (const std::string& d : a.dirs) {
    const nlohmann::ordered_json rec = ReadSpecRecord(d, "sweep merge");
    if (first.is_null()) first = rec;
    Require(rec["spec_sha256"] == first["spec_sha256"],
            "sweep merge: " + d + " holds the results of another spec (" +
                rec.value("spec_path", "?") + ") than " + a.dirs.front() + " (" +
                first.value("spec_path", "?") + ")");
    bool torn = false;
    for (Row& r : ReadResultRows(fs::path(d) / "results.jsonl", &torn)) {
      const std::string id = r["id"].get<std::string>();
      if (by_id.count(id) != 0) {
        std::fprintf(stderr, "note: point %s is in %s and %s; keeping the first\n", id.c_str(),
                     by_id[id].second.c_str(), d.c_str());
        ++duplicates;
        continue;
      }
      by_id.emplace(id, std::make_pair(std::move(r), fs::path(d)));
    }
    if (torn)
      std::fprintf(stderr, "note: %s/results.jsonl ends in a torn line (dropped)\n", d.c_str());
  }

  // The spec the shards recorded orders the rows and names the missing points and the axes.
  const SweepSpec spec =
      ParseSweepSpec(first["spec"], first.value("spec_path", a.dirs.front() + "/spec.json"));
  Require(spec.sha256 == first["spec_sha256"],
          "sweep merge: " + a.dirs.front() + "/spec.json: the spec does not match its hash");

  // Built in a sibling folder and renamed into place, so OUT is whole or absent.
  PrepareOutputDir(a.out, "-o");
  fs::path out = fs::absolute(a.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // "OUT/"
  const fs::path staging =
      out.parent_path() / ("." + out.filename().string() + ".merging." + std::to_string(getpid()));
  fs::remove_all(staging);
  fs::create_directories(staging / "points");
  nlohmann::ordered_json rec = first;
  rec["shard"] = nullptr;
  rec["merged_from"] = a.dirs;
  WriteFileAtomically(staging / "spec.json", rec.dump(2) + "\n");
  std::vector<Row> rows;
  std::vector<std::string> missing;
  for (const SweepPoint& p : spec.points) {
    const auto it = by_id.find(p.id);
    if (it == by_id.end()) {
      missing.push_back(p.id);
      continue;
    }
    const fs::path from = it->second.second / "points" / p.id;
    std::error_code ec;
    if (fs::is_directory(from, ec)) {
      fs::copy(from, staging / "points" / p.id, fs::copy_options::recursive);
    }
    rows.push_back(it->second.first);
  }
  const ResultsLog log(staging, spec.axis_keys, std::move(rows));
  fs::remove_all(out);  // empty but for dot files (IsAbsentOrEmpty)
  fs::rename(staging, out);
  WriteSweepReport(out);
  std::printf("merged %zu folders: %zu of %zu points", a.dirs.size(), log.rows().size(),
              spec.points.size());
  if (duplicates > 0) std::printf(", %d duplicates dropped", duplicates);
  std::printf("\n");
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 10; ++i) list += " " + missing[i];
    std::fprintf(stderr,
                 "warning: %zu points missing:%s%s (run `intvit sweep %s --resume -o %s`)\n",
                 missing.size(), list.c_str(), missing.size() > 10 ? " ..." : "", spec.path.c_str(),
                 a.out.c_str());
  }
  std::printf("results %s/results.csv, %s/results.jsonl\n", a.out.c_str(), a.out.c_str());
  return 0;
}

}  // namespace intvit::tools
