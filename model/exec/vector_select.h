// Choosing the graph nodes `intvit vectors` cuts: by name pattern and by intvit-vector-v1 op.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/graph/graph.h"

namespace intvit::model {

// Shell-style match of the whole name: `*` is any run of characters (dots included), `?` one
// character; everything else is literal.
bool GlobMatch(std::string_view pattern, std::string_view name);

// Indices of the nodes with a v1 op (GeometryOf) that `pattern` names, in graph order:
//   "all"                      every such node;
//   a glob with * or ?         nodes whose whole name matches ("blocks.*.attn.int_softmax.h0");
//   a name                     that node, or every node under it at a dot boundary: "blocks.3"
//                              is block 3, "blocks.0.attn.int_softmax" is the softmax of every
//                              head (blocks.0.attn.int_softmax.h0, .h1, ...).
// Empty when nothing matches.
std::vector<int> MatchNodes(const Graph& g, std::string_view pattern);

// The union of MatchNodes over `patterns` whose op is in `ops` (empty: any op), in graph
// order. Throws InputError when a pattern matches no node (the message lists the node names,
// shortened for deep models) or matches only nodes without a v1 op (cls_concat, cls_select),
// and when the nodes matched hold none of `ops`.
std::vector<int> SelectNodes(const Graph& g, const std::vector<std::string>& patterns,
                             const std::set<std::string>& ops);

// "patch_embed.proj, patch_embed.qact, qact1, blocks.0.norm1, ..., head": the names of the
// nodes with a v1 op; for a model deeper than two blocks, blocks 1 and up are folded into one
// line ("blocks.1 ... blocks.11: the same names as blocks.0").
std::string NodeNameListing(const Graph& g);

}  // namespace intvit::model
