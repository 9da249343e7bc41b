#include "tools/vector_index.h"

#include <fstream>
#include <map>

#include "intvit_version.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"

namespace intvit::tools {
namespace {

using Json = nlohmann::ordered_json;

std::string ShapeX(const std::vector<std::int64_t>& shape) {
  std::string s;
  for (std::int64_t d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

// "x:int8:197x16 w:int8:16x16 y:int32:197x16": no commas, so the CSV needs no quoting.
std::string TensorsText(const model::TensorMap& m) {
  std::string s;
  for (const auto& [name, t] : m) {
    s += (s.empty() ? "" : " ") + name + ":" + std::string(model::DTypeName(t.dtype)) + ":" +
         ShapeX(t.shape);
  }
  return s;
}

std::string ExtentText(const Json& tile, const char* key) {
  if (tile.is_null() || !tile.contains(key)) return ",";
  return std::to_string(tile[key][0].get<std::int64_t>()) + "," +
         std::to_string(tile[key][1].get<std::int64_t>());
}

void WriteText(const std::filesystem::path& path, const std::string& text) {
  WriteFileAtomically(path, text);
}

}  // namespace

void WriteVectorIndex(const std::filesystem::path& dir, const Json& meta,
                      const std::vector<IndexEntry>& entries) {
  // index.json is assembled as text, one case per line: a DeiT-Tiny cut lists 67k cases, and a
  // json tree of them would take hundreds of MB.
  Json m = Json::object();
  m["generator"] = kGenerator;
  for (const auto& [k, v] : meta.items()) m[k] = v;
  std::map<std::string, std::int64_t> counts;
  std::string cases;
  std::string csv =
      "path,layer,node_op,op,kind,tile,row_begin,row_end,col_begin,col_end,depth_begin,"
      "depth_end,tensors\n";
  for (const IndexEntry& e : entries) {
    ++counts[e.kind];
    Json c = Json::object();
    c["path"] = e.path;
    c["layer"] = e.layer;
    c["node_op"] = e.node_op;
    c["op"] = e.op;
    c["kind"] = e.kind;
    if (!e.tile.is_null()) c["tile"] = e.tile;
    Json tensors = Json::object();
    for (const auto& [name, t] : e.tensors) {
      tensors[name] = {{"dtype", model::DTypeName(t.dtype)}, {"shape", t.shape}};
    }
    c["tensors"] = tensors;
    cases += (cases.empty() ? "  " : ",\n  ") + c.dump();
    csv += e.path + "," + e.layer + "," + e.node_op + "," + e.op + "," + e.kind + "," +
           (e.tile.is_null() ? "" : e.tile["name"].get<std::string>()) + "," +
           ExtentText(e.tile, "rows") + "," + ExtentText(e.tile, "cols") + "," +
           ExtentText(e.tile, "depth") + "," + TensorsText(e.tensors) + "\n";
  }
  const Json count = {
      {"cases", entries.size()}, {"whole", counts["whole"]}, {"tile", counts["tile"]}};
  const std::string json = "{\n\"format\": \"intvit-vector-index-v1\",\n\"meta\": " + m.dump() +
                           ",\n\"counts\": " + count.dump() + ",\n\"cases\": [\n" + cases +
                           "\n]\n}\n";
  WriteText(dir / "index.json", json);
  WriteText(dir / "index.csv", csv);
}

}  // namespace intvit::tools
