#include "compiler/lower/dram_layout.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>
#include <stdexcept>

#include "model/common/error.h"

namespace intvit::compiler {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the DRAM image is written with host byte order, which must be little-endian");

using model::DType;

// 2-D view of a tensor shape: the last axis is the columns.
std::pair<std::int64_t, std::int64_t> As2d(const std::vector<std::int64_t>& shape) {
  if (shape.empty()) return {1, 1};
  std::int64_t rows = 1;
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) rows *= shape[i];
  return {rows, shape.back()};
}

class Builder {
 public:
  Builder(const model::Graph& g, const std::vector<Group>& groups, Program& p)
      : g_(g), groups_(groups), p_(p) {}

  DramTensor Region(const std::string& name, const std::string& kind, DType dtype,
                    const std::vector<std::int64_t>& shape) {
    const auto [rows, cols] = As2d(shape);
    const std::uint64_t bytes = static_cast<std::uint64_t>(rows * cols * model::DTypeSize(dtype));
    end_ = AlignUp(end_, kDramAlign);
    DramTensor t{name, end_, rows, cols, dtype, static_cast<std::uint64_t>(cols * model::DTypeSize(dtype))};
    p_.memory.dram.push_back({name, kind, end_, bytes, dtype, shape});
    end_ += bytes;
    return t;
  }

  void Fill(std::uint64_t addr, const void* data, std::size_t bytes) {
    if (image_.size() < addr + bytes) image_.resize(addr + bytes);
    std::memcpy(image_.data() + addr, data, bytes);
  }

  void FillTensor(std::uint64_t addr, const model::Tensor& t) {
    switch (t.dtype()) {
      case DType::kInt8: return FillSpan(addr, t.Span<std::int8_t>());
      case DType::kInt16: return FillSpan(addr, t.Span<std::int16_t>());
      case DType::kInt32: return FillSpan(addr, t.Span<std::int32_t>());
      case DType::kInt64: return FillSpan(addr, t.Span<std::int64_t>());
      default: throw InputError("constant " + std::string(model::DTypeName(t.dtype())) +
                                " tensors are not supported in DRAM");
    }
  }
  template <typename T>
  void FillSpan(std::uint64_t addr, std::span<const T> s) {
    Fill(addr, s.data(), s.size_bytes());
  }

  std::uint64_t Pairs(const std::string& name, const std::vector<model::Dyadic>& mult) {
    const DramTensor t = Region(name, "requant", DType::kInt64,
                                {static_cast<std::int64_t>(mult.size()), 2});
    std::vector<std::int64_t> v;
    for (const auto& d : mult) v.push_back(d.m), v.push_back(d.e);
    FillSpan<std::int64_t>(t.addr, v);
    return t.addr;
  }

  DramLayout Build() {
    DramLayout L;
    // Constants that instructions read: weights, biases, pos_embed. The cls token goes into
    // cls_concat below.
    for (std::size_t id = 0; id < g_.tensors.size(); ++id) {
      const model::TensorInfo& info = g_.tensors[id];
      if (!info.is_constant || info.name == "cls_token") continue;
      const std::string kind = info.name.ends_with(".weight") ? "weight"
                               : info.name.ends_with(".bias") ? "bias"
                                                              : "constant";
      const DramTensor t = Region(info.name, kind, info.dtype, info.shape);
      FillTensor(t.addr, g_.Constant(static_cast<int>(id)));
      L.tensors[static_cast<int>(id)] = t;
    }
    std::set<std::string> done;
    for (const auto& n : g_.nodes) {
      if (n.kind == model::OpKind::kRequant && done.insert(n.params_key).second) {
        const model::RequantParams& rp = g_.params.requants.at(n.params_key);
        RequantRef ref{&rp, Pairs(n.params_key + ".me", rp.mult), 0};
        if (rp.HasResidual()) ref.res_addr = Pairs(n.params_key + ".res_me", rp.mult_res);
        L.requants[n.params_key] = ref;
      }
      if (n.kind == model::OpKind::kLayerNorm && done.insert(n.params_key).second) {
        const auto& b = g_.params.layernorms.at(n.params_key).bias_int;
        const DramTensor t = Region(n.params_key + ".bias_int", "layernorm", DType::kInt64,
                                    {static_cast<std::int64_t>(b.size())});
        FillSpan<std::int64_t>(t.addr, b);
        L.ln_bias_int[n.params_key] = t.addr;
      }
    }
    L.read_only_end = AlignUp(end_, kDramAlign);
    // The image, then the activations each group writes.
    const model::TensorInfo& in = g_.tensors.at(g_.input);
    L.tensors[g_.input] = Region(in.name, "input", in.dtype, in.shape);
    p_.input_tensor = in.name;
    for (std::size_t k = 0; k < groups_.size(); ++k) {
      const model::TensorInfo& info = g_.tensors.at(groups_[k].output);
      L.tensors[groups_[k].output] = Region(info.name, "activation", info.dtype, info.shape);
      AddCheck(L.tensors[groups_[k].output], info.name, k);
    }
    p_.output_tensor = g_.tensors.at(g_.output).name;
    AddViews(L);
    std::stable_sort(p_.checks.begin(), p_.checks.end(),
                     [](const CheckedTensor& a, const CheckedTensor& b) { return a.layer < b.layer; });
    p_.memory.dram_bytes = AlignUp(end_, kDramAlign);
    image_.resize(p_.memory.dram_bytes);
    p_.dram_image = std::move(image_);
    return L;
  }

 private:
  // Groups become layers one to one, so a group's index is its layer.
  void AddCheck(const DramTensor& t, const std::string& name, std::size_t group) {
    p_.checks.push_back({name, static_cast<int>(group), t.addr, t.dtype, t.rows, t.cols, t.pitch});
  }

  // patch_embed.qact is rows 1.. of cls_concat (whose row 0 is the cls token, preloaded);
  // cls_select is row 0 of its input.
  void AddViews(DramLayout& L) {
    for (std::size_t k = 0; k < groups_.size(); ++k) {
      for (int ni : groups_[k].nodes) {
        const model::Node& n = g_.nodes[ni];
        if (n.kind == model::OpKind::kConcatCls) {
          const DramTensor& cat = L.tensors.at(n.output);
          const model::Tensor& cls = g_.Constant(n.inputs.at(1));
          FillTensor(cat.addr, cls);
          DramTensor view = cat;
          view.name = g_.tensors[n.inputs[0]].name;
          view.addr = cat.addr + cat.pitch;
          view.rows = cat.rows - 1;
          L.tensors[n.inputs[0]] = view;
          AddCheck(view, view.name, k);
        }
        if (n.kind == model::OpKind::kTakeClsRow) {
          DramTensor view = L.tensors.at(n.inputs.at(0));
          view.name = g_.tensors[n.output].name;
          view.rows = 1;
          L.tensors[n.output] = view;
          AddCheck(view, view.name, k);
        }
      }
    }
  }

  const model::Graph& g_;
  const std::vector<Group>& groups_;
  Program& p_;
  std::uint64_t end_ = 0;
  std::vector<std::uint8_t> image_;
};

}  // namespace

const DramTensor& DramLayout::Of(const model::Graph& g, int tensor) const {
  auto it = tensors.find(tensor);
  if (it == tensors.end()) {
    throw std::logic_error("tensor " + g.tensors.at(tensor).name + " has no DRAM location");
  }
  return it->second;
}

DramLayout LayOutDram(const model::Graph& g, const std::vector<Group>& groups, Program& p) {
  return Builder(g, groups, p).Build();
}

}  // namespace intvit::compiler
