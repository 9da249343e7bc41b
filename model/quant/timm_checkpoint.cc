#include "model/quant/timm_checkpoint.h"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "model/common/error.h"
#include "model/common/strict_json.h"
#include "model/common/user_file.h"
#include "model/quant/image_input.h"

namespace intvit::model {
namespace {

constexpr std::uint64_t kMaxConfigBytes = 1 << 20;
constexpr int kMaxConfigDepth = 16;
constexpr std::int64_t kDefaultHeadWidth = 64;  // every DeiT and ViT: tiny 3, small 6, base 12

std::string ShapeText(const std::vector<std::int64_t>& s) {
  std::string t = "[";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

// timm's size-named ViT/DeiT variants: embed_dim, depth, num_heads (mlp_ratio 4).
struct Variant {
  std::int64_t embed_dim, depth, heads;
};
const std::map<std::string, Variant>& Variants() {
  static const std::map<std::string, Variant> v = {{"tiny", {192, 12, 3}},
                                                   {"small", {384, 12, 6}},
                                                   {"base", {768, 12, 12}},
                                                   {"large", {1024, 24, 16}}};
  return v;
}

std::int64_t PositiveInt(const nlohmann::json& j, const std::string& where) {
  Require(j.is_number_integer() && j.get<std::int64_t>() >= 1 && j.get<std::int64_t>() <= 1 << 20,
          where + ": must be a positive integer");
  return j.get<std::int64_t>();
}

// An int, or a list of two equal ints (timm allows (H, W)); intvit runs square ones only.
std::int64_t SquareSize(const nlohmann::json& j, const std::string& where) {
  if (j.is_array()) {
    Require(j.size() == 2, where + ": must be an integer or a list of two");
    const std::int64_t a = PositiveInt(j[0], where), b = PositiveInt(j[1], where);
    Require(a == b, where + ": " + std::to_string(a) + "x" + std::to_string(b) +
                        " is not square; intvit runs square images and patches only");
    return a;
  }
  return PositiveInt(j, where);
}

double Number(const nlohmann::json& j, const std::string& where) {
  Require(j.is_number() && std::isfinite(j.get<double>()), where + ": must be a number");
  return j.get<double>();
}

std::vector<float> Floats(const nlohmann::json& j, const std::string& where) {
  Require(j.is_array() && !j.empty(), where + ": must be a list of numbers");
  std::vector<float> v;
  for (std::size_t i = 0; i < j.size(); ++i) {
    v.push_back(static_cast<float>(Number(j[i], where + "[" + std::to_string(i) + "]")));
  }
  return v;
}

// Reads tensors by name, remembering which were used so the rest can be refused.
class TensorReader {
 public:
  TensorReader(const SafetensorsFile& f, std::string path) : f_(f), path_(std::move(path)) {}

  const RawTensor& Raw(const std::string& name, const std::string& expected) {
    const auto it = f_.tensors.find(name);
    Require(it != f_.tensors.end(),
            path_ + ": missing tensor '" + name + "' (expected shape " + expected + ")");
    used_.insert(name);
    return it->second;
  }

  std::vector<float> Get(const std::string& name, const std::vector<std::int64_t>& shape) {
    const RawTensor& t = Raw(name, ShapeText(shape));
    Require(t.shape == shape, path_ + ": tensor '" + name + "' has shape " + ShapeText(t.shape) +
                                  ", expected " + ShapeText(shape));
    Require(t.dtype == DType::kFloat32,
            path_ + ": tensor '" + name + "' is " + std::string(DTypeSafetensorsName(t.dtype)) +
                "; intvit quantize reads F32 checkpoints");
    std::vector<float> v = TensorValues<float>(t, path_ + ": " + name);
    for (const float x : v) {
      Require(std::isfinite(x), path_ + ": tensor '" + name + "' holds a NaN or infinity");
    }
    return v;
  }

  // The shape of a tensor that must have `rank` dimensions.
  std::vector<std::int64_t> Shape(const std::string& name, std::size_t rank,
                                  const std::string& expected) {
    const RawTensor& t = Raw(name, expected);
    Require(t.shape.size() == rank, path_ + ": tensor '" + name + "' has shape " +
                                        ShapeText(t.shape) + ", expected " + expected);
    return t.shape;
  }

  void RefuseUnused() const {
    for (const auto& [name, t] : f_.tensors) {
      Require(used_.count(name) != 0,
              path_ + ": unexpected tensor '" + name +
                  "': not part of a plain timm VisionTransformer (distilled, layer-scale, "
                  "fc_norm and register variants are not supported)");
    }
  }

 private:
  const SafetensorsFile& f_;
  std::string path_;
  std::set<std::string> used_;
};

// Checks that the config agrees with what the tensors say.
void Agree(const std::optional<std::int64_t>& from_config, std::int64_t from_tensors,
           const std::string& field, const std::string& tensor, const std::string& where) {
  Require(!from_config || *from_config == from_tensors,
          where + ": " + field + " is " + (from_config ? std::to_string(*from_config) : "") +
              ", but " + tensor + " gives " + std::to_string(from_tensors));
}

FloatLinear Linear(TensorReader& r, const std::string& name, std::int64_t out, std::int64_t in) {
  FloatLinear l;
  l.out = out, l.in = in;
  l.weight = r.Get(name + ".weight", {out, in});
  l.bias = r.Get(name + ".bias", {out});
  return l;
}

FloatLayerNorm Norm(TensorReader& r, const std::string& name, std::int64_t c) {
  return {r.Get(name + ".weight", {c}), r.Get(name + ".bias", {c})};
}

// The number of decimal digits at the front of `s`.
std::size_t LeadingDigits(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  return n;
}

// The value of 1 to 6 decimal digits (so it fits, and never throws).
std::int64_t SmallNumber(std::string_view digits) {
  std::int64_t v = 0;
  for (char d : digits) v = v * 10 + (d - '0');
  return v;
}

struct ArchitectureName {
  std::string variant;  // tiny, small, base or large
  std::int64_t patch = 0, size = 0;
};

// timm's names of the standard models, "<vit|deit|deit3>_<variant>_patch<P>_<S>" exactly (as
// deit_tiny_patch16_224); nullopt for any other name.
std::optional<ArchitectureName> ParseArchitectureName(std::string_view a) {
  std::string_view rest;
  for (std::string_view family : {"vit_", "deit_", "deit3_"}) {
    if (a.starts_with(family)) rest = a.substr(family.size());
  }
  ArchitectureName n;
  for (std::string_view variant : {"tiny", "small", "base", "large"}) {
    if (rest.starts_with(variant) && rest.substr(variant.size()).starts_with("_patch")) {
      n.variant = variant;
      rest = rest.substr(variant.size() + 6);
    }
  }
  if (n.variant.empty()) return std::nullopt;
  const std::size_t p = LeadingDigits(rest);
  if (p == 0 || p > 6 || p >= rest.size() || rest[p] != '_') return std::nullopt;
  n.patch = SmallNumber(rest.substr(0, p));
  rest = rest.substr(p + 1);
  const std::size_t sz = LeadingDigits(rest);
  if (sz == 0 || sz > 6 || sz != rest.size()) return std::nullopt;
  n.size = SmallNumber(rest);
  return n;
}

// i for a tensor named "blocks.<i>.<anything>" with i of 1 to 5 digits, else nullopt.
std::optional<std::int64_t> BlockIndex(std::string_view name) {
  if (!name.starts_with("blocks.")) return std::nullopt;
  name.remove_prefix(7);
  const std::size_t d = LeadingDigits(name);
  if (d == 0 || d > 5 || d >= name.size() || name[d] != '.') return std::nullopt;
  return SmallNumber(name.substr(0, d));
}

}  // namespace

TimmConfig ParseTimmConfig(std::string_view text, const std::string& where) {
  const auto j = ParseStrictJson<nlohmann::json>(text, where, kMaxConfigDepth);
  Require(j.is_object(), where + ": must be a JSON object");
  TimmConfig c;
  if (j.contains("architecture")) {
    Require(j["architecture"].is_string(), where + ": architecture must be a string");
    c.architecture = j["architecture"].get<std::string>();
    if (const auto named = ParseArchitectureName(c.architecture)) {
      const Variant& v = Variants().at(named->variant);
      c.embed_dim = v.embed_dim, c.depth = v.depth, c.num_heads = v.heads;
      c.patch_size = named->patch, c.image_size = named->size;
      c.mlp_ratio = 4.0;
    }
  }
  if (j.contains("model_args")) {
    const auto& a = j["model_args"];
    const std::string w = where + ": model_args";
    Require(a.is_object(), w + " must be an object");
    if (a.contains("img_size")) c.image_size = SquareSize(a["img_size"], w + ".img_size");
    if (a.contains("patch_size")) c.patch_size = SquareSize(a["patch_size"], w + ".patch_size");
    if (a.contains("in_chans")) c.in_chans = PositiveInt(a["in_chans"], w + ".in_chans");
    if (a.contains("embed_dim")) c.embed_dim = PositiveInt(a["embed_dim"], w + ".embed_dim");
    if (a.contains("depth")) c.depth = PositiveInt(a["depth"], w + ".depth");
    if (a.contains("num_heads")) c.num_heads = PositiveInt(a["num_heads"], w + ".num_heads");
    if (a.contains("mlp_ratio")) {
      c.mlp_ratio = Number(a["mlp_ratio"], w + ".mlp_ratio");
      Require(*c.mlp_ratio > 0, w + ".mlp_ratio: must be positive");
    }
    if (a.contains("num_classes")) c.num_classes = PositiveInt(a["num_classes"], w + ".num_classes");
    if (a.contains("global_pool")) {
      Require(a["global_pool"] == "token",
              w + ".global_pool: only \"token\" (the cls token) is supported");
    }
    for (const char* flag : {"class_token", "qkv_bias"}) {
      if (a.contains(flag)) {
        Require(a[flag] == true, w + "." + flag + ": only true is supported");
      }
    }
  }
  if (!c.architecture.empty() && !c.num_heads) {
    // Neither a known name nor model_args.num_heads: the tensors cannot tell the head count.
    Require(false, where + ": architecture '" + c.architecture +
                       "' is not a known timm ViT name and model_args gives no num_heads");
  }
  if (j.contains("num_classes")) c.num_classes = PositiveInt(j["num_classes"], where + ": num_classes");
  if (j.contains("global_pool")) {
    Require(j["global_pool"] == "token",
            where + ": global_pool: only \"token\" (the cls token) is supported");
  }
  if (j.contains("pretrained_cfg")) {
    const auto& p = j["pretrained_cfg"];
    const std::string w = where + ": pretrained_cfg";
    Require(p.is_object(), w + " must be an object");
    if (p.contains("input_size")) {
      const auto& s = p["input_size"];
      Require(s.is_array() && s.size() == 3, w + ".input_size: must be [C, H, W]");
      c.in_chans = PositiveInt(s[0], w + ".input_size[0]");
      const std::int64_t h = PositiveInt(s[1], w + ".input_size[1]");
      const std::int64_t wd = PositiveInt(s[2], w + ".input_size[2]");
      Require(h == wd, w + ".input_size: " + std::to_string(h) + "x" + std::to_string(wd) +
                           " is not square; intvit runs square images only");
      Require(!c.image_size || *c.image_size == h,
              w + ".input_size: " + std::to_string(h) + " contradicts the image size " +
                  std::to_string(*c.image_size) + " of the architecture / model_args");
      c.image_size = h;
    }
    if (p.contains("mean")) c.mean = Floats(p["mean"], w + ".mean");
    if (p.contains("std")) {
      c.std = Floats(p["std"], w + ".std");
      for (const float s : *c.std) Require(s > 0, w + ".std: must be positive");
    }
    if (p.contains("crop_pct") && !p["crop_pct"].is_null()) {
      c.crop_pct = Number(p["crop_pct"], w + ".crop_pct");
      CheckCropPct(*c.crop_pct, w + ".crop_pct");
    }
    if (p.contains("interpolation")) {
      Require(p["interpolation"].is_string(), w + ".interpolation: must be a string");
      c.interpolation = ParseResizeFilter(p["interpolation"].get<std::string>(), w + ".interpolation");
    }
  }
  return c;
}

FloatCheckpoint ReadTimmCheckpoint(const std::string& path, const std::string& config_path) {
  const SafetensorsFile f = ReadSafetensors(path);
  std::optional<TimmConfig> cfg;
  std::string where = path;
  if (!config_path.empty()) {
    where = config_path;
    cfg = ParseTimmConfig(ReadUserFile(config_path, kMaxConfigBytes, "config.json"), config_path);
  } else if (const auto it = f.metadata.find("config"); it != f.metadata.end()) {
    where = path + ": metadata 'config'";
    cfg = ParseTimmConfig(it->second, where);
  }
  const TimmConfig c = cfg.value_or(TimmConfig{});
  TensorReader r(f, path);

  const auto cls = r.Shape("cls_token", 3, "[1, 1, embed_dim]");
  Require(cls[0] == 1 && cls[1] == 1,
          path + ": tensor 'cls_token' has shape " + ShapeText(cls) + ", expected [1, 1, embed_dim]");
  const std::int64_t C = cls[2];
  const auto conv = r.Shape("patch_embed.proj.weight", 4, "[embed_dim, in_chans, patch, patch]");
  Require(conv[0] == C, path + ": tensor 'patch_embed.proj.weight' has shape " + ShapeText(conv) +
                            ", expected [" + std::to_string(C) + ", in_chans, patch, patch]");
  Require(conv[2] == conv[3], path + ": patch_embed.proj.weight: " + std::to_string(conv[2]) + "x" +
                                  std::to_string(conv[3]) +
                                  " patches are not square; intvit runs square patches only");
  const std::int64_t cin = conv[1], P = conv[2];
  const auto pos = r.Shape("pos_embed", 3, "[1, tokens, embed_dim]");
  Require(pos[0] == 1 && pos[2] == C, path + ": tensor 'pos_embed' has shape " + ShapeText(pos) +
                                          ", expected [1, tokens, " + std::to_string(C) + "]");
  const std::int64_t patches = pos[1] - 1;
  const auto grid = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(patches))));
  Require(patches >= 1 && grid * grid == patches,
          path + ": pos_embed holds " + std::to_string(pos[1]) +
              " tokens; a square patch grid plus the cls token needs 1 + g*g");
  std::int64_t depth = 0;
  for (const auto& [name, t] : f.tensors) {
    if (const auto block = BlockIndex(name)) depth = std::max<std::int64_t>(depth, *block + 1);
  }
  Require(depth >= 1, path + ": missing tensor 'blocks.0.norm1.weight' (expected shape [" +
                          std::to_string(C) + "]): no transformer blocks");
  const auto fc1 = r.Shape("blocks.0.mlp.fc1.weight", 2, "[mlp_hidden, " + std::to_string(C) + "]");
  const auto head = r.Shape("head.weight", 2, "[num_classes, " + std::to_string(C) + "]");

  Agree(c.embed_dim, C, "embed_dim", "cls_token", where);
  Agree(c.in_chans, cin, "in_chans", "patch_embed.proj.weight", where);
  Agree(c.patch_size, P, "patch_size", "patch_embed.proj.weight", where);
  Agree(c.image_size, grid * P, "img_size", "pos_embed with patch " + std::to_string(P), where);
  Agree(c.depth, depth, "depth", "the blocks.<i> tensors", where);
  Agree(c.num_classes, head[0], "num_classes", "head.weight", where);
  if (c.mlp_ratio) {
    const auto hidden = static_cast<std::int64_t>(static_cast<double>(C) * *c.mlp_ratio);
    Require(hidden == fc1[0], where + ": mlp_ratio " + std::to_string(*c.mlp_ratio) + " gives " +
                                  std::to_string(hidden) + " hidden units, but " +
                                  "blocks.0.mlp.fc1.weight gives " + std::to_string(fc1[0]));
  }
  if (c.mean) Agree(static_cast<std::int64_t>(c.mean->size()), cin, "the length of mean", "in_chans", where);
  if (c.std) Agree(static_cast<std::int64_t>(c.std->size()), cin, "the length of std", "in_chans", where);

  FloatCheckpoint out;
  ModelConfig& mc = out.vit.config;
  mc.arch = "custom";
  mc.image_size = grid * P, mc.patch_size = P, mc.in_channels = cin, mc.embed_dim = C;
  mc.depth = depth, mc.mlp_hidden = fc1[0], mc.num_classes = head[0];
  if (c.num_heads) {
    mc.num_heads = *c.num_heads;
    out.heads_from = config_path.empty() ? "the file's config metadata" : config_path;
  } else {
    Require(C % kDefaultHeadWidth == 0,
            path + ": embed_dim " + std::to_string(C) +
                " is not a multiple of 64, so the head count cannot be assumed; give --config");
    mc.num_heads = C / kDefaultHeadWidth;
    out.heads_from = "embed_dim / 64 (no config)";
  }
  Require(C % mc.num_heads == 0, where + ": num_heads " + std::to_string(mc.num_heads) +
                                     " does not divide embed_dim " + std::to_string(C));
  ValidateModelConfig(mc, path);

  FloatVit& v = out.vit;
  v.patch_embed.out = C, v.patch_embed.in = mc.patch_dim();
  v.patch_embed.weight = r.Get("patch_embed.proj.weight", {C, cin, P, P});
  v.patch_embed.bias = r.Get("patch_embed.proj.bias", {C});
  v.cls_token = r.Get("cls_token", {1, 1, C});
  v.pos_embed = r.Get("pos_embed", {1, mc.tokens(), C});
  const std::int64_t H = mc.mlp_hidden;
  for (std::int64_t i = 0; i < depth; ++i) {
    const std::string b = "blocks." + std::to_string(i) + ".";
    FloatBlock blk;
    blk.norm1 = Norm(r, b + "norm1", C);
    blk.qkv = Linear(r, b + "attn.qkv", 3 * C, C);
    blk.proj = Linear(r, b + "attn.proj", C, C);
    blk.norm2 = Norm(r, b + "norm2", C);
    blk.fc1 = Linear(r, b + "mlp.fc1", H, C);
    blk.fc2 = Linear(r, b + "mlp.fc2", C, H);
    v.blocks.push_back(std::move(blk));
  }
  v.norm = Norm(r, "norm", C);
  v.head = Linear(r, "head", mc.num_classes, C);
  r.RefuseUnused();
  v.input_mean = c.mean.value_or(InputMean(cin));
  v.input_std = c.std.value_or(InputStd(cin));
  if (c.crop_pct) out.preprocessing.crop_pct = *c.crop_pct;
  if (c.interpolation) out.preprocessing.filter = *c.interpolation;
  return out;
}

std::string TimmConfigJson(const FloatVit& vit, const Preprocessing& prep) {
  const ModelConfig& c = vit.config;
  const std::vector<float> mean = vit.input_mean.empty() ? InputMean(c.in_channels) : vit.input_mean;
  const std::vector<float> std = vit.input_std.empty() ? InputStd(c.in_channels) : vit.input_std;
  nlohmann::ordered_json j;
  j["architecture"] = "intvit_custom_vit";
  j["num_classes"] = c.num_classes;
  j["global_pool"] = "token";
  j["model_args"] = {{"img_size", c.image_size},   {"patch_size", c.patch_size},
                     {"in_chans", c.in_channels},  {"embed_dim", c.embed_dim},
                     {"depth", c.depth},           {"num_heads", c.num_heads},
                     {"mlp_ratio", static_cast<double>(c.mlp_hidden) / static_cast<double>(c.embed_dim)}};
  j["pretrained_cfg"] = {{"input_size", {c.in_channels, c.image_size, c.image_size}},
                         {"mean", mean},
                         {"std", std},
                         {"crop_pct", prep.crop_pct},
                         {"interpolation", ResizeFilterName(prep.filter)}};
  return j.dump(2) + "\n";
}

SafetensorsFile TimmCheckpointFile(const FloatVit& vit, const Preprocessing& prep) {
  const ModelConfig& c = vit.config;
  const std::int64_t C = c.embed_dim;
  SafetensorsFile f;
  auto put = [&](const std::string& name, std::vector<std::int64_t> shape,
                 const std::vector<float>& v) { f.tensors[name] = MakeRawTensor<float>(std::move(shape), v); };
  auto linear = [&](const std::string& name, const FloatLinear& l) {
    put(name + ".weight", {l.out, l.in}, l.weight);
    put(name + ".bias", {l.out}, l.bias);
  };
  auto norm = [&](const std::string& name, const FloatLayerNorm& n) {
    put(name + ".weight", {C}, n.gamma);
    put(name + ".bias", {C}, n.beta);
  };
  put("patch_embed.proj.weight", {C, c.in_channels, c.patch_size, c.patch_size}, vit.patch_embed.weight);
  put("patch_embed.proj.bias", {C}, vit.patch_embed.bias);
  put("cls_token", {1, 1, C}, vit.cls_token);
  put("pos_embed", {1, c.tokens(), C}, vit.pos_embed);
  for (std::size_t i = 0; i < vit.blocks.size(); ++i) {
    const std::string b = "blocks." + std::to_string(i) + ".";
    const FloatBlock& blk = vit.blocks[i];
    norm(b + "norm1", blk.norm1);
    linear(b + "attn.qkv", blk.qkv);
    linear(b + "attn.proj", blk.proj);
    norm(b + "norm2", blk.norm2);
    linear(b + "mlp.fc1", blk.fc1);
    linear(b + "mlp.fc2", blk.fc2);
  }
  norm("norm", vit.norm);
  linear("head", vit.head);
  f.metadata["format"] = "pt";
  f.metadata["config"] = TimmConfigJson(vit, prep);
  return f;
}

}  // namespace intvit::model
