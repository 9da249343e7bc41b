// Reports: how far the integer model is from the float model it was quantized from, layer by
// layer (tier (b)/(c) of the test tiers in STYLE.md). Float only in the report, never in the run.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/exec/run_reference.h"
#include "model/graph/graph.h"
#include "model/quant/float_forward.h"
#include "model/quant/float_vit.h"

namespace intvit::model {

struct LayerAgreement {
  std::string name;            // an ActivationPoint name, or "logits"
  double cosine = 0.0;         // cosine similarity of dequantized integers and floats
  double max_abs_err = 0.0;    // max |dequantized - float|
  double float_max_abs = 0.0;  // max |float|, for scale
  friend bool operator==(const LayerAgreement&, const LayerAgreement&) = default;
};

// Computes:   for every ActivationPoint of the graph's config, in forward order, then "logits":
//             the integer tensor at that point (the QuantAct output of the same name; the per-
//             head tensors "<name>.h<k>" concatenated in head order for qact_attn1 and
//             int_softmax; the constant pos_embed; the int8 input image), dequantized as
//             q * reference["<tensor>.scale"][c] (c the last-axis index when the scale is per
//             channel), against FloatForward(vit, image) at that point. The logits use the
//             head's per-class accumulator scale "head.scale" (RN32(s_w[c] * s_x)).
//             cosine = <a, b> / (|a| |b|) in double; 1 when both are zero, 0 when one is.
// Range:      `trace` is a full RunReference trace of `graph` on the quantized `image`, and
//             `graph` and `vit` share a config; the graph's params carry the reference scales.
//             InputError otherwise.
std::vector<LayerAgreement> CompareWithFloat(const FloatVit& vit, const Graph& graph,
                                             std::span<const float> image, const GoldenTrace& trace,
                                             const FloatForwardOptions& options = {});

// Quantizes `image` with the graph's "input.scale", runs RunReference, then CompareWithFloat.
// Throws InputError naming the first reference tensor ("reference.<key>") that DequantizedVit
// or CompareWithFloat would need and the model lacks, so a caller can refuse before a run.
void RequireFloatReference(const Graph& graph);

std::vector<LayerAgreement> RunAndCompareWithFloat(const FloatVit& vit, const Graph& graph,
                                                   std::span<const float> image,
                                                   const FloatForwardOptions& options = {});

// A fixed-width text table, one row per LayerAgreement, for the CLI and logs.
std::string FormatAgreementTable(const std::vector<LayerAgreement>& rows);

}  // namespace intvit::model
