// ConvPatch: the patch embedding, I-ViT's QuantConv2d with kernel = stride = patch.
// docs/arithmetic.md §ConvPatch.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace intvit::model {

struct ConvPatchShape {
  std::int64_t in_channels = 3;   // Cin
  std::int64_t height = 0;        // H (a multiple of patch in a ViT)
  std::int64_t width = 0;         // W
  std::int64_t patch = 16;        // P
  std::int64_t out_channels = 0;  // Cout (the embedding width)

  std::int64_t GridH() const { return height / patch; }
  std::int64_t GridW() const { return width / patch; }
  std::int64_t NumPatches() const { return GridH() * GridW(); }
  std::int64_t PatchSize() const { return in_channels * patch * patch; }  // K of the GEMM
};

// Computes:   y[p,o] = b[o] + sum_{c,i,j} x[c, py*P+i, px*P+j] * w[o,c,i,j],  p = py*GW + px
//             (acc: int32, scale s_w[o]*s_x). The output is token-major [num_patches, Cout],
//             which is I-ViT's conv output after flatten(2).transpose(1, 2).
// Rounding:   none (exact, int64 accumulation).
// Saturation: to int32 at the end (unreachable: K = 768 gives |sum| <= 2^24).
// Range:      x [Cin,H,W] (CHW), w [Cout,Cin,P,P], b [Cout] or empty, y [NumPatches, Cout];
//             H and W at least P; as in Conv2d with stride = kernel, rows and columns
//             past the last whole patch are ignored.
// Hardware:   the compiler lowers it to im2col DMA plus the systolic array (a Linear with
//             K = Cin*P*P).
void ConvPatch(const ConvPatchShape& s, std::span<const std::int8_t> x,
               std::span<const std::int8_t> w, std::span<const std::int32_t> b,
               std::span<std::int32_t> y);

// The im2col matrix of the image: [NumPatches, PatchSize] int8, each row one patch in
// (channel, row, col) order, so that ConvPatch == Linear(Im2colPatches(x), w, b).
std::vector<std::int8_t> Im2colPatches(const ConvPatchShape& s, std::span<const std::int8_t> x);

}  // namespace intvit::model
