#include "tools/sweep/slurm_script.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "tools/output_dir.h"

namespace intvit::tools::sweep {
namespace {

namespace fs = std::filesystem;

// Single-quoted for bash.
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string SelfPath() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("intvit") : p.string();
}

void WriteScript(const fs::path& path, const std::string& text) {
  WriteFileAtomically(path, text);
  ::chmod(path.c_str(), 0755);
}

}  // namespace

int EmitSlurm(const SweepSpec& spec, const SweepArgs& a) {
  const int points = static_cast<int>(spec.points.size());
  Require(a.shards >= 0 && a.shards <= 100000, "--shards: must be in [0, 100000]");
  const int n = a.shards == 0 ? std::min(points, 1000) : std::min(a.shards, points);
  const fs::path dir = fs::absolute(a.emit_slurm);
  PrepareOutputDir(dir.string(), "--emit-slurm");
  PrepareOutputDir((dir / "logs").string(), "--emit-slurm");  // Slurm opens --output there
  const std::string intvit = Quote(SelfPath());
  const std::string spec_path = Quote(fs::absolute(spec.path).string());
  const std::string jobs = a.jobs == 0 ? "${SLURM_CPUS_PER_TASK:-1}" : std::to_string(a.jobs);
  std::string s;
  s += "#!/bin/bash\n";
  s += "# Slurm job array of the sweep " + spec.path.string() + " (spec sha256 " +
       spec.sha256.substr(0, 16) + "...): " + std::to_string(points) + " points in " +
       std::to_string(n) + " shards.\n";
  s += "# Submit: sbatch " + (dir / "sweep.sbatch").string() + "\n";
  s += "# Then:   bash " + (dir / "merge.sh").string() + "\n";
  s += "# Written by `intvit sweep --emit-slurm`; docs/sweep.md. Add #SBATCH lines for your site\n";
  s += "# (partition, account, time) below.\n";
  s += "#SBATCH --job-name=intvit-sweep-" + spec.sha256.substr(0, 8) + "\n";
  s += "#SBATCH --array=0-" + std::to_string(n - 1) + "\n";
  s += "#SBATCH --cpus-per-task=" + std::string(a.jobs == 0 ? "1" : std::to_string(a.jobs)) + "\n";
  s += "#SBATCH --output=" + (dir / "logs" / "task-%a.out").string() + "\n";
  s += "set -euo pipefail\n";
  s += "task=${SLURM_ARRAY_TASK_ID:?run me with sbatch, or set SLURM_ARRAY_TASK_ID}\n";
  s += "intvit=${INTVIT:-" + intvit + "}\n";
  s += "exec \"$intvit\" sweep " + spec_path + " --shard \"$task/" + std::to_string(n) +
       "\" --resume --jobs \"" + jobs + "\" -q -o " + Quote((dir / "shard-").string()) +
       "\"$task\"\n";
  WriteScript(dir / "sweep.sbatch", s);

  std::string m = "#!/bin/bash\n";
  m += "# Merges the shard folders of sweep.sbatch into " + (dir / "merged").string() + ".\n";
  m += "set -euo pipefail\n";
  m += "intvit=${INTVIT:-" + intvit + "}\n";
  m += "exec \"$intvit\" sweep merge " + Quote((dir / "shard-").string()) + "{0.." +
       std::to_string(n - 1) + "} -o " + Quote((dir / "merged").string()) + "\n";
  WriteScript(dir / "merge.sh", m);
  std::printf("wrote %s (%d array tasks) and %s\n", (dir / "sweep.sbatch").c_str(), n,
              (dir / "merge.sh").c_str());
  return 0;
}

}  // namespace intvit::tools::sweep
