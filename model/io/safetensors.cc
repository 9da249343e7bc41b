#include "model/io/safetensors.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <system_error>

#include "model/common/atomic_file.h"
#include "model/common/user_file.h"

namespace intvit::model {
namespace {

using nlohmann::json;

constexpr std::string_view kMetadataKey = "__metadata__";
// Largest model file read, in bytes (DeiT-Base with its reference tensors is about 100 MB).
constexpr std::uint64_t kSafetensorsMaxFileBytes = std::uint64_t{4} << 30;

// Product of dims, or nullopt if a dim is negative or the product overflows int64. A shape
// that overflows is rejected even when a later dim is zero, as the reference reader does.
std::optional<std::int64_t> CheckedNumElements(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0 || (d != 0 && n > INT64_MAX / d)) return std::nullopt;
    n *= d;
  }
  return n;
}

// 'name' for a message: single-quoted, bytes outside printable ASCII as \xNN, and cut short
// so that a hostile name cannot make the one-line message huge.
std::string Quote(std::string_view name) {
  constexpr std::size_t kMaxShown = 80;
  std::string s = "'";
  for (std::size_t i = 0; i < name.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c >= 0x20 && c < 0x7F) {
      s += static_cast<char>(c);
    } else {
      constexpr char kHex[] = "0123456789abcdef";
      s += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return s + (name.size() > kMaxShown ? "'..." : "'");
}

std::string ShapeString(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return s + "]";
}

std::string SupportedDTypes() {
  std::string s;
  for (DType t : {DType::kInt8, DType::kUint8, DType::kInt16, DType::kUint16, DType::kInt32,
                  DType::kInt64, DType::kFloat32}) {
    s += (s.empty() ? "" : ", ") + std::string(DTypeSafetensorsName(t));
  }
  return s;
}

// One header entry as read, before its bytes are copied out of the data buffer.
struct Entry {
  std::string name;
  DType dtype = DType::kUint8;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// Streams the JSON header into entries and metadata, enforcing the schema as it goes: a
// top-level object whose values are tensor entries {dtype, shape, data_offsets} or the
// "__metadata__" object of strings. No JSON tree is built, so memory stays proportional to
// what is kept, and nesting beyond the schema is refused at its first bracket.
class HeaderReader final : public nlohmann::json_sax<json> {
 public:
  HeaderReader(const std::string& source, std::uint64_t buffer_size)
      : source_(source), buffer_size_(buffer_size) {}

  std::vector<Entry>& entries() { return entries_; }
  std::map<std::string, std::string>& metadata() { return metadata_; }

  bool null() override { return Unexpected("null"); }
  bool boolean(bool) override { return Unexpected("a boolean"); }
  bool number_integer(number_integer_t v) override {
    return Integer(v, v < 0 ? 0 : static_cast<std::uint64_t>(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    return Integer(v > static_cast<std::uint64_t>(INT64_MAX) ? -1 : static_cast<std::int64_t>(v),
                   v);
  }
  bool number_float(number_float_t, const string_t& s) override {
    return Unexpected("the non-integer number " + s);
  }
  bool binary(binary_t&) override { return Unexpected("binary data"); }

  bool string(string_t& s) override {
    if (state_ == State::kMetadata) {
      metadata_[metadata_key_] = std::move(s);
      return true;
    }
    if (state_ == State::kEntry && field_ == Field::kDtype) {
      std::optional<DType> t = DTypeFromSafetensorsName(s);
      if (!t)
        Fail(Where() + "unsupported dtype " + Quote(s) + " (supported: " + SupportedDTypes() + ")");
      entry_.dtype = *t;
      return true;
    }
    return Unexpected("a string");
  }

  bool start_object(std::size_t) override {
    if (state_ == State::kStart) {
      state_ = State::kTop;
    } else if (state_ == State::kTop && in_metadata_key_) {
      state_ = State::kMetadata;
    } else if (state_ == State::kTop) {
      state_ = State::kEntry;
      fields_seen_.clear();
    } else {
      return Unexpected("an object");
    }
    return true;
  }

  bool key(string_t& k) override {
    switch (state_) {
      case State::kTop:
        if (!top_keys_.insert(k).second) {
          Fail(k == kMetadataKey ? "duplicate key '__metadata__'" : "duplicate tensor " + Quote(k));
        }
        in_metadata_key_ = (k == kMetadataKey);
        entry_ = Entry{k, DType::kUint8, {}, 0, 0};
        break;
      case State::kMetadata:
        if (metadata_.count(k)) Fail("duplicate __metadata__ key " + Quote(k));
        metadata_key_ = std::move(k);
        break;
      case State::kEntry:
        if (k == "dtype") {
          field_ = Field::kDtype;
        } else if (k == "shape") {
          field_ = Field::kShape;
        } else if (k == "data_offsets") {
          field_ = Field::kOffsets;
        } else {
          Fail(Where() + "unknown field " + Quote(k));
        }
        if (!fields_seen_.insert(k).second) Fail(Where() + "duplicate field " + Quote(k));
        break;
      default:
        break;  // Keys only occur in objects, and every other object is refused on entry.
    }
    return true;
  }

  bool end_object() override {
    if (state_ == State::kEntry) {
      for (const char* f : {"dtype", "shape", "data_offsets"}) {
        if (!fields_seen_.count(f)) Fail(Where() + "missing field '" + f + "'");
      }
      CheckEntry();
      entries_.push_back(std::move(entry_));
      state_ = State::kTop;
    } else if (state_ == State::kMetadata) {
      state_ = State::kTop;
    } else {
      state_ = State::kDone;
    }
    return true;
  }

  bool start_array(std::size_t) override {
    if (state_ == State::kEntry && field_ == Field::kShape) {
      state_ = State::kShape;
    } else if (state_ == State::kEntry && field_ == Field::kOffsets) {
      state_ = State::kOffsets;
      offsets_seen_ = 0;
    } else {
      return Unexpected("an array");
    }
    return true;
  }

  bool end_array() override {
    if (state_ == State::kOffsets && offsets_seen_ != 2) {
      Fail(Where() + "data_offsets must be [begin, end], got " + std::to_string(offsets_seen_) +
           " numbers");
    }
    state_ = State::kEntry;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    Fail(std::string("header is not valid JSON: ") + e.what());
  }

 private:
  enum class State { kStart, kTop, kEntry, kShape, kOffsets, kMetadata, kDone };
  enum class Field { kDtype, kShape, kOffsets };

  [[noreturn]] void Fail(const std::string& what) const { throw InputError(source_ + ": " + what); }

  std::string Where() const { return "tensor " + Quote(entry_.name) + ": "; }

  // A JSON value of the wrong type for where it appears.
  bool Unexpected(const std::string& got) const {
    switch (state_) {
      case State::kStart:
      case State::kDone:
        Fail("header must be a JSON object, got " + got);
      case State::kTop:
        if (in_metadata_key_) Fail("__metadata__ must be an object of strings, got " + got);
        Fail(Where() + "entry must be an object, got " + got);
      case State::kMetadata:
        Fail("__metadata__ value of " + Quote(metadata_key_) + " must be a string, got " + got);
      case State::kEntry:
        if (field_ == Field::kDtype) Fail(Where() + "dtype must be a string, got " + got);
        Fail(Where() + (field_ == Field::kShape ? "shape" : "data_offsets") +
             " must be an array of non-negative integers, got " + got);
      case State::kShape:
      case State::kOffsets:
        Fail(Where() + (state_ == State::kShape ? "shape" : "data_offsets") +
             " must hold non-negative integers, got " + got);
    }
    Fail("unexpected " + got);
  }

  // `signed_value` is -1 when the value does not fit int64; `unsigned_value` is 0 when negative.
  bool Integer(std::int64_t signed_value, std::uint64_t unsigned_value) {
    if (state_ == State::kShape) {
      if (signed_value < 0) {
        Fail(Where() + "shape has negative or out-of-range dimension " +
             (unsigned_value ? std::to_string(unsigned_value) : std::to_string(signed_value)));
      }
      if (entry_.shape.size() == kSafetensorsMaxRank) {
        Fail(Where() + "shape has more than " + std::to_string(kSafetensorsMaxRank) +
             " dimensions");
      }
      entry_.shape.push_back(signed_value);
      return true;
    }
    if (state_ == State::kOffsets) {
      if (signed_value < 0 && unsigned_value == 0) {
        Fail(Where() + "data_offsets must hold non-negative integers, got " +
             std::to_string(signed_value));
      }
      if (offsets_seen_ == 2) Fail(Where() + "data_offsets must be [begin, end], got more numbers");
      (offsets_seen_++ == 0 ? entry_.begin : entry_.end) = unsigned_value;
      return true;
    }
    return Unexpected("a number");
  }

  // Checks one complete entry on its own; coverage of the buffer is checked once all are read.
  void CheckEntry() const {
    const Entry& e = entry_;
    std::optional<std::int64_t> numel = CheckedNumElements(e.shape);
    const std::uint64_t size = static_cast<std::uint64_t>(DTypeSize(e.dtype));
    if (!numel || static_cast<std::uint64_t>(*numel) > UINT64_MAX / size) {
      Fail(Where() + "shape " + ShapeString(e.shape) + " has too many elements");
    }
    const std::string offsets =
        "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "]";
    if (e.begin > e.end) Fail(Where() + offsets + " have begin > end");
    if (e.end > buffer_size_) {
      Fail(Where() + offsets + " extend past the " + std::to_string(buffer_size_) +
           "-byte data buffer");
    }
    const std::uint64_t want = static_cast<std::uint64_t>(*numel) * size;
    if (e.end - e.begin != want) {
      Fail(Where() + offsets + " span " + std::to_string(e.end - e.begin) + " bytes but shape " +
           ShapeString(e.shape) + " of " + std::string(DTypeSafetensorsName(e.dtype)) + " needs " +
           std::to_string(want));
    }
  }

  const std::string& source_;
  const std::uint64_t buffer_size_;
  State state_ = State::kStart;
  Field field_ = Field::kDtype;
  bool in_metadata_key_ = false;
  std::set<std::string> top_keys_;
  std::set<std::string> fields_seen_;
  int offsets_seen_ = 0;
  std::string metadata_key_;
  Entry entry_;
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

std::uint64_t LoadLittleEndian64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::int64_t RawTensor::NumElements() const { return CheckedNumElements(shape).value_or(-1); }

SafetensorsFile ParseSafetensors(std::span<const std::uint8_t> file,
                                 const std::string& source_name) {
  const auto fail = [&](const std::string& what) { throw InputError(source_name + ": " + what); };
  if (file.size() < 8) {
    fail("file is " + std::to_string(file.size()) +
         " bytes, shorter than the 8-byte header length field");
  }
  const std::uint64_t header_size = LoadLittleEndian64(file.data());
  const std::uint64_t rest = file.size() - 8;
  if (header_size > kSafetensorsMaxHeaderBytes) {
    fail("header length " + std::to_string(header_size) + " exceeds the limit of " +
         std::to_string(kSafetensorsMaxHeaderBytes) + " bytes");
  }
  if (header_size > rest) {
    fail("header length " + std::to_string(header_size) + " exceeds the " + std::to_string(rest) +
         " bytes that follow the length field");
  }
  const std::span<const std::uint8_t> header = file.subspan(8, header_size);
  const std::span<const std::uint8_t> buffer = file.subspan(8 + header_size);
  if (header.empty() || header[0] != '{') fail("header must be a JSON object starting with '{'");
  // nlohmann stops at a NUL byte as if the input ended there, which would let anything after it
  // through; only the JSON object and space padding may fill the header.
  if (const auto nul = std::find(header.begin(), header.end(), std::uint8_t{0});
      nul != header.end()) {
    fail("header is not valid JSON: NUL byte at offset " +
         std::to_string(nul - header.begin()));
  }

  HeaderReader reader(source_name, buffer.size());
  json::sax_parse(header.begin(), header.end(), &reader);

  // The standard requires the tensors to tile the buffer exactly: sorted by offsets, each one
  // begins where the previous ended, and the last ends at the end of the file.
  std::vector<Entry>& entries = reader.entries();
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t covered = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    if (e.begin < covered) {
      fail("tensors " + Quote(entries[i - 1].name) + " and " + Quote(e.name) +
           " overlap in the data buffer");
    }
    if (e.begin > covered) {
      fail("bytes [" + std::to_string(covered) + ", " + std::to_string(e.begin) +
           ") of the data buffer belong to no tensor (gap before tensor " + Quote(e.name) + ")");
    }
    covered = e.end;
  }
  if (covered != buffer.size()) {
    fail("trailing bytes: the data buffer has " + std::to_string(buffer.size()) +
         " bytes but the tensors cover only " + std::to_string(covered));
  }

  SafetensorsFile out;
  out.metadata = std::move(reader.metadata());
  for (Entry& e : entries) {
    const auto data = buffer.subspan(e.begin, e.end - e.begin);
    out.tensors.emplace(std::move(e.name),
                        RawTensor{e.dtype, std::move(e.shape), {data.begin(), data.end()}});
  }
  return out;
}

SafetensorsFile ReadSafetensors(const std::string& path) {
  const std::string bytes = ReadUserFile(path, kSafetensorsMaxFileBytes, "model file");
  return ParseSafetensors(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), path);
}

std::vector<std::uint8_t> SerializeSafetensors(const SafetensorsFile& file) {
  json header = json::object();
  if (!file.metadata.empty()) header[std::string(kMetadataKey)] = file.metadata;
  std::uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {  // std::map: sorted by name
    Require(name != kMetadataKey, "cannot write a tensor named '__metadata__'");
    std::optional<std::int64_t> numel = CheckedNumElements(t.shape);
    const std::uint64_t size = static_cast<std::uint64_t>(DTypeSize(t.dtype));
    Require(numel && static_cast<std::uint64_t>(*numel) <= UINT64_MAX / size &&
                t.shape.size() <= kSafetensorsMaxRank,
            "cannot write tensor " + Quote(name) + ": invalid shape " + ShapeString(t.shape));
    Require(static_cast<std::uint64_t>(*numel) * size == t.bytes.size(),
            "cannot write tensor " + Quote(name) + ": " + std::to_string(t.bytes.size()) +
                " bytes do not match shape " + ShapeString(t.shape) + " of " +
                std::string(DTypeSafetensorsName(t.dtype)));
    header[name] = {{"dtype", DTypeSafetensorsName(t.dtype)},
                    {"shape", t.shape},
                    {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::type_error& e) {
    throw InputError(std::string("cannot write safetensors header: ") + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  Require(text.size() <= kSafetensorsMaxHeaderBytes, "cannot write: safetensors header too large");

  std::vector<std::uint8_t> out;
  out.reserve(8 + text.size() + offset);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(text.size() >> (8 * i)));
  out.insert(out.end(), text.begin(), text.end());
  for (const auto& [name, t] : file.tensors) out.insert(out.end(), t.bytes.begin(), t.bytes.end());
  return out;
}

void WriteSafetensors(const std::string& path, const SafetensorsFile& file) {
  const std::vector<std::uint8_t> bytes = SerializeSafetensors(file);
  WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                             bytes.size()));
}

}  // namespace intvit::model
