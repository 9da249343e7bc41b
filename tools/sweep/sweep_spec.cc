#include "tools/sweep/sweep_spec.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "compiler/arch_config.h"
#include "model/common/config_fields.h"
#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"
#include "model/io/sha256.h"

namespace intvit::tools::sweep {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

constexpr std::uint64_t kSpecMaxBytes = 1 << 20;
constexpr int kSpecMaxDepth = 16;
constexpr std::size_t kMaxPoints = 100000;

// One axis of the grid: its keys ("array.rows" or "array.rows,array.cols") and, per value, one
// value per key.
struct Axis {
  std::vector<std::string> keys;
  std::vector<std::vector<ojson>> values;
};

std::vector<std::string> SplitKeys(const std::string& key) {
  std::vector<std::string> keys;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = key.find(',', start);
    std::string k = key.substr(start, comma - start);
    k.erase(0, k.find_first_not_of(' '));
    k.erase(k.find_last_not_of(' ') + 1);
    keys.push_back(k);
    if (comma == std::string::npos) return keys;
    start = comma + 1;
  }
}

void RequireScalar(const ojson& v, const std::string& at) {
  Require(v.is_number_integer() || v.is_number_unsigned() || v.is_string() || v.is_boolean(),
          at + ": a value must be an integer, a string or a boolean, not " + v.dump());
}

// The `-p` text of one value: a string as it is (os, not "os") unless `-p` would read it as
// another type (the string "8"), everything else as JSON.
std::string OverrideText(const std::string& key, const ojson& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (config_detail::ParseOverrideValue(s).is_string()) return key + "=" + s;
  }
  return key + "=" + v.dump();
}

std::vector<Axis> ParseGrid(const ojson& grid, const std::string& at) {
  Require(grid.is_object(), at + ": must be an object {\"key\": [values], ...}");
  Require(!grid.empty(), at + ": the grid is empty (give at least one axis, or use \"points\")");
  std::vector<Axis> axes;
  for (const auto& [key, values] : grid.items()) {
    const std::string here = at + "." + key;
    Axis axis;
    axis.keys = SplitKeys(key);
    for (const std::string& k : axis.keys) {
      Require(!k.empty(), here + ": an empty key (write \"a.b,c.d\" for a zipped axis)");
    }
    Require(values.is_array() && !values.empty(), here + ": must be a non-empty list of values");
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string vat = here + "[" + std::to_string(i) + "]";
      if (axis.keys.size() == 1) {
        RequireScalar(values[i], vat);
        axis.values.push_back({values[i]});
        continue;
      }
      Require(values[i].is_array() && values[i].size() == axis.keys.size(),
              vat + ": a zipped axis of " + std::to_string(axis.keys.size()) +
                  " keys takes lists of " + std::to_string(axis.keys.size()) + " values, not " +
                  values[i].dump());
      for (const ojson& v : values[i]) RequireScalar(v, vat);
      axis.values.push_back(std::vector<ojson>(values[i].begin(), values[i].end()));
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

// The cartesian product of the axes, first axis outermost: one {key: value} per point.
std::vector<ojson> Product(const std::vector<Axis>& axes, const std::string& at) {
  std::size_t n = 1;
  for (const Axis& a : axes) {
    Require(n <= kMaxPoints / a.values.size(),
            at + ": more than " + std::to_string(kMaxPoints) + " points");
    n *= a.values.size();
  }
  std::vector<ojson> points;
  for (std::size_t i = 0; i < n; ++i) {
    ojson p = ojson::object();
    std::size_t rest = i;
    std::size_t stride = n;
    for (const Axis& a : axes) {
      stride /= a.values.size();
      const auto& vals = a.values[rest / stride];
      rest %= stride;
      for (std::size_t k = 0; k < a.keys.size(); ++k) {
        Require(!p.contains(a.keys[k]), at + ": key '" + a.keys[k] + "' is on two axes");
        p[a.keys[k]] = vals[k];
      }
    }
    points.push_back(std::move(p));
  }
  return points;
}

std::string ResolveModel(const std::string& model, const fs::path& spec) {
  if (model.starts_with("random:") || fs::path(model).is_absolute()) return model;
  return (spec.parent_path() / model).string();
}

}  // namespace

std::string SweepPoint::Describe() const {
  std::string s = "point " + std::to_string(index) + " (";
  for (const std::string& o : overrides) s += o + ", ";
  return s + "model " + model + ")";
}

std::string SpecHash(const ojson& spec) { return model::Sha256Hex(nlohmann::json(spec).dump()); }

SweepSpec LoadSweepSpec(const fs::path& path) {
  return ParseSweepSpec(ParseStrictJson<ojson>(ReadUserFile(path, kSpecMaxBytes, "sweep spec"),
                                               path.string(), kSpecMaxDepth),
                        path);
}

SweepSpec ParseSweepSpec(const ojson& json, const fs::path& path) {
  SweepSpec spec;
  spec.path = path;
  const std::string where = path.string();
  spec.json = json;
  const ojson& j = spec.json;
  Require(j.is_object(), where + ": a sweep spec is a JSON object (docs/sweep.md)");
  for (const auto& [key, value] : j.items()) {
    static const std::set<std::string> known = {"name",       "description", "arch",  "models",
                                                "image_seed", "grid",        "points"};
    Require(known.count(key) == 1, where + ": unknown key '" + key +
                                       "' (known: name, description, arch, models, image_seed, "
                                       "grid, points)");
    if (key == "name" || key == "description") {
      Require(value.is_string(), where + ": " + key + ": must be a string");
    }
  }
  spec.sha256 = SpecHash(j);
  if (j.contains("arch")) {
    Require(j["arch"].is_string(), where +
                                       ": arch: must be a string (a name in configs/arch or "
                                       "a JSON file)");
    spec.arch = j["arch"].get<std::string>();
  }
  Require(j.contains("models") && j["models"].is_array() && !j["models"].empty(),
          where +
              ": models: must be a non-empty list of models (random:<preset>:<seed> or a "
              "model file)");
  for (const ojson& m : j["models"]) {
    Require(m.is_string() && !m.get<std::string>().empty(),
            where + ": models: each model is a non-empty string, not " + m.dump());
    spec.models.push_back(m.get<std::string>());
  }
  if (j.contains("image_seed")) {
    Require(j["image_seed"].is_number_unsigned(),
            where + ": image_seed: must be a non-negative integer");
    spec.image_seed = j["image_seed"].get<std::uint64_t>();
  }
  Require(j.contains("grid") || j.contains("points"),
          where + ": no points: give a \"grid\" and/or a \"points\" list");

  std::vector<ojson> sets;
  if (j.contains("grid")) sets = Product(ParseGrid(j["grid"], where + ": grid"), where + ": grid");
  if (j.contains("points")) {
    const ojson& pts = j["points"];
    Require(pts.is_array() && !pts.empty(),
            where + ": points: must be a non-empty list of {\"key\": value} objects");
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const std::string at = where + ": points[" + std::to_string(i) + "]";
      Require(pts[i].is_object(), at + ": must be an object {\"key\": value, ...}");
      for (const auto& [key, value] : pts[i].items()) RequireScalar(value, at + "." + key);
      sets.push_back(pts[i]);
    }
  }
  Require(sets.size() * spec.models.size() <= kMaxPoints,
          where + ": more than " + std::to_string(kMaxPoints) + " points");

  std::set<std::string> seen;
  for (const ojson& set : sets) {
    std::vector<std::string> overrides;
    for (const auto& [key, value] : set.items()) {
      overrides.push_back(OverrideText(key, value));
      if (std::find(spec.axis_keys.begin(), spec.axis_keys.end(), key) == spec.axis_keys.end()) {
        spec.axis_keys.push_back(key);
      }
    }
    for (const std::string& model : spec.models) {
      SweepPoint p;
      p.index = static_cast<int>(spec.points.size());
      p.model = model;
      p.model_arg = ResolveModel(model, path);
      p.axes = set;
      p.overrides = overrides;
      std::string key = model;
      for (const std::string& o : overrides) key += "\n" + o;
      const std::string hash = model::Sha256Hex(key);
      char prefix[16];
      std::snprintf(prefix, sizeof prefix, "p%04d-", p.index);
      p.id = prefix + hash.substr(0, 8);
      const std::string at = where + ": " + p.Describe();
      Require(seen.insert(hash).second, at + ": repeats an earlier point");
      for (const auto& [key2, value] : set.items()) {
        Require(!(key2.starts_with("impl.") && value == "rtl"),
                at + ": " + key2 +
                    "=rtl: a sweep runs the TLM model; co-simulation is `intvit "
                    "cosim`");
      }
      try {
        (void)compiler::LoadArchConfig(spec.arch, overrides);
      } catch (const InputError& e) {
        throw InputError(at + ": " + e.what());
      }
      spec.points.push_back(std::move(p));
    }
  }
  return spec;
}

Shard ParseShard(const std::string& text) {
  const std::string bad = "--shard " + text + ": expected I/N with 0 <= I < N (e.g. 0/4)";
  const auto slash = text.find('/');
  Require(slash != std::string::npos, bad);
  const std::string i = text.substr(0, slash), n = text.substr(slash + 1);
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 6 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  Require(digits(i) && digits(n), bad);
  Shard s{std::stoi(i), std::stoi(n)};
  Require(s.count >= 1 && s.index < s.count, bad);
  return s;
}

}  // namespace intvit::tools::sweep
