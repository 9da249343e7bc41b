#include "model/exec/vector_select.h"

#include <algorithm>

#include "model/common/error.h"
#include "model/exec/vector_cut.h"

namespace intvit::model {
namespace {

bool IsGlob(std::string_view p) { return p.find_first_of("*?") != std::string_view::npos; }

bool Names(std::string_view pattern, std::string_view name) {
  if (pattern == "all") return true;
  if (IsGlob(pattern)) return GlobMatch(pattern, name);
  return name == pattern ||
         (name.size() > pattern.size() && name.starts_with(pattern) && name[pattern.size()] == '.');
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

bool GlobMatch(std::string_view p, std::string_view s) {
  // Iterative matcher with one backtrack point for the last `*`: linear in practice, never
  // exponential.
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<int> MatchNodes(const Graph& g, std::string_view pattern) {
  std::vector<int> out;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const int id = static_cast<int>(i);
    if (Names(pattern, g.nodes[i].name) && GeometryOf(g, id)) out.push_back(id);
  }
  return out;
}

std::vector<int> SelectNodes(const Graph& g, const std::vector<std::string>& patterns,
                             const std::set<std::string>& ops) {
  std::vector<int> picked;
  for (const std::string& p : patterns) {
    const std::vector<int> m = MatchNodes(g, p);
    if (m.empty()) {
      std::vector<std::string> data_moves;
      for (const Node& n : g.nodes) {
        if (Names(p, n.name))
          data_moves.push_back(n.name + " (" + std::string(OpKindName(n.kind)) + ")");
      }
      Require(data_moves.empty(), "\"" + p + "\" names only " + Join(data_moves) +
                                      ", which moves data and has no intvit-vector-v1 op");
      throw InputError("\"" + p + "\" matches no node of " + g.config.arch +
                       "; give a node name, a prefix ending at a dot (blocks.0), a glob "
                       "(blocks.*.mlp.fc1) or all. Nodes: " +
                       NodeNameListing(g));
    }
    picked.insert(picked.end(), m.begin(), m.end());
  }
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  if (ops.empty()) return picked;
  std::vector<int> out;
  std::set<std::string> held;
  for (int id : picked) {
    const std::string op = GeometryOf(g, id)->op;
    held.insert(op);
    if (ops.contains(op)) out.push_back(id);
  }
  if (out.empty()) {
    throw InputError("the nodes selected hold no " +
                     Join(std::vector<std::string>(ops.begin(), ops.end())) + " op; they hold " +
                     Join(std::vector<std::string>(held.begin(), held.end())));
  }
  return out;
}

std::string NodeNameListing(const Graph& g) {
  const bool fold = g.config.depth > 2;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const std::string& n = g.nodes[i].name;
    if (!GeometryOf(g, static_cast<int>(i))) continue;
    if (fold && n.starts_with("blocks.") && !n.starts_with("blocks.0.")) continue;
    names.push_back(n);
  }
  std::string s = Join(names);
  if (fold) {
    s += "; blocks.1 ... blocks." + std::to_string(g.config.depth - 1) +
         ": the same names as blocks.0";
  }
  return s;
}

}  // namespace intvit::model
