// Prepare time: a float ViT/DeiT in timm's VisionTransformer layout (a safetensors file of F32
// tensors named patch_embed.proj.weight, cls_token, pos_embed, blocks.<i>.attn.qkv.weight, ...,
// head.bias), with timm's config.json as the Hugging Face hub keeps it. Reading gives the
// FloatVit that `intvit quantize` calibrates; writing is how `intvit synth --save-float` hands
// its seeded float model to other tools. docs/models.md §intvit quantize.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/io/safetensors.h"
#include "model/quant/float_vit.h"
#include "model/quant/resize.h"

namespace intvit::model {

// What a config.json (or the checkpoint's "config" metadata) says; every field is optional.
struct TimmConfig {
  std::string architecture;
  std::optional<std::int64_t> image_size, patch_size, in_chans, embed_dim, depth, num_heads,
      num_classes;
  std::optional<double> mlp_ratio;
  std::optional<std::vector<float>> mean, std;
  std::optional<double> crop_pct;
  std::optional<ResizeFilter> interpolation;
};

// Parses timm's config.json: "architecture" (a known name such as deit_tiny_patch16_224 or
// vit_small_patch16_384 gives the shape; any other name needs "model_args"), "model_args"
// {img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio} (given values win
// over the name's), "num_classes", "global_pool" ("token" only) and "pretrained_cfg"
// {input_size [C, H, W], mean, std, crop_pct, interpolation}. Other keys are ignored. Strict
// JSON; a wrong type or value is an InputError naming `where` and the field.
TimmConfig ParseTimmConfig(std::string_view text, const std::string& where);

struct FloatCheckpoint {
  FloatVit vit;  // with input_mean / input_std from the config (ImageNet's when absent)
  Preprocessing preprocessing;
  std::string heads_from;  // where num_heads came from: "config.json", "architecture", ...
};

// Reads the checkpoint at `path` and, if `config_path` is not empty, its config.json (else the
// file's "config" metadata, if any). The shape comes from the tensors (embed_dim from cls_token,
// patch size and channels from the conv, image size from pos_embed, depth from the block keys,
// MLP width from fc1, classes from head); the head count, mean, std and preprocessing from the
// config; without one, num_heads = embed_dim / 64 (every DeiT and ViT) and ImageNet's
// normalization with bicubic 0.875. InputErrors, one line each, naming the file: a missing tensor
// or one of another shape (both shapes given), a dtype other than F32, a tensor that a plain
// ViT does not have (dist_token, fc_norm, layer scale, ...), a config value that contradicts
// the tensors, and a shape intvit cannot run (non-square patches or grid).
FloatCheckpoint ReadTimmCheckpoint(const std::string& path, const std::string& config_path = "");

// The config.json of a checkpoint: architecture "intvit_custom_vit", model_args with the whole
// shape, num_classes, global_pool "token", pretrained_cfg with input_size, mean, std, crop_pct
// and interpolation.
std::string TimmConfigJson(const FloatVit& vit, const Preprocessing& prep);
// The timm-layout checkpoint of `vit` (F32, timm's shapes), with TimmConfigJson as "config"
// metadata. ReadTimmCheckpoint of it gives `vit` back (outlier_channels aside).
SafetensorsFile TimmCheckpointFile(const FloatVit& vit, const Preprocessing& prep);

}  // namespace intvit::model
