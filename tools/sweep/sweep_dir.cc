#include "tools/sweep/sweep_dir.h"

#include "intvit_version.h"
#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"

namespace intvit::tools::sweep {

namespace fs = std::filesystem;

nlohmann::ordered_json SpecRecord(const SweepSpec& spec, const std::optional<Shard>& shard) {
  nlohmann::ordered_json r = nlohmann::ordered_json::object();
  r["format"] = "intvit-sweep-v1";
  r["generator"] = kGenerator;
  r["spec_path"] = fs::absolute(spec.path).string();
  r["spec_sha256"] = spec.sha256;
  r["shard"] = shard ? nlohmann::ordered_json(shard->Text()) : nlohmann::ordered_json();
  r["points"] = spec.points.size();
  r["spec"] = spec.json;
  return r;
}

nlohmann::ordered_json ReadSpecRecord(const fs::path& dir, const std::string& option) {
  const fs::path path = dir / "spec.json";
  const std::string at = option + " " + dir.string() + ": ";
  std::error_code ec;
  Require(fs::exists(path, ec), at + "not a sweep folder (no spec.json)");
  nlohmann::ordered_json r = ParseStrictJson<nlohmann::ordered_json>(
      ReadUserFile(path, 1 << 21, "sweep record"), path.string(), 32);
  Require(r.is_object() && r.value("format", "") == "intvit-sweep-v1" &&
              r.contains("spec_sha256") && r["spec_sha256"].is_string() && r.contains("spec"),
          at + "spec.json is not an intvit sweep record");
  return r;
}

bool IsAbsentOrEmpty(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::is_directory(dir, ec)) return false;
  // Dot files are temporaries a kill left (atomic writes, the write probe), not results.
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (!e.path().filename().string().starts_with(".")) return false;
  }
  return true;
}

std::string RecordShard(const nlohmann::ordered_json& record) {
  return record.contains("shard") && record["shard"].is_string()
             ? record["shard"].get<std::string>()
             : "";
}

}  // namespace intvit::tools::sweep
