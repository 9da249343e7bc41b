#include "model/common/config_fields.h"

#include <algorithm>

#include "model/common/strict_json.h"

namespace intvit::config_detail {
namespace {
// No config nests deeper than a few levels.
constexpr int kMaxConfigDepth = 16;
}  // namespace


std::string Where(const std::string& where, const std::string& key) {
  return where + ": " + key;
}

std::int64_t ToInt(const nlohmann::json& v, const std::string& at, std::int64_t lo,
                   std::int64_t hi) {
  Require(v.is_number_integer(), at + " must be an integer, got " + v.dump());
  Require(v.is_number_unsigned() ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi)
                                 : true,
          at + " = " + v.dump() + " is out of range [" + std::to_string(lo) + ", " +
              std::to_string(hi) + "]");
  const auto x = v.get<std::int64_t>();
  Require(x >= lo && x <= hi, at + " = " + v.dump() + " is out of range [" + std::to_string(lo) +
                                  ", " + std::to_string(hi) + "]");
  return x;
}

bool ToBool(const nlohmann::json& v, const std::string& at) {
  Require(v.is_boolean(), at + " must be true or false, got " + v.dump());
  return v.get<bool>();
}

std::string ToChoice(const nlohmann::json& v, const std::string& at,
                     const std::vector<std::string>& choices) {
  Require(v.is_string(), at + " must be a string, got " + v.dump());
  const auto s = v.get<std::string>();
  for (const auto& c : choices) {
    if (c == s) return s;
  }
  throw InputError(at + " = \"" + s + "\" is not one of: " + KnownKeys(choices));
}

void Flatten(const nlohmann::json& j, const std::string& prefix,
             std::vector<std::pair<std::string, nlohmann::json>>& out) {
  // Parsed files are depth-capped already; this also bounds a `-p a.b.c...=v` key.
  Require(std::count(prefix.begin(), prefix.end(), '.') < kMaxConfigDepth,
          "'" + prefix.substr(0, 80) + "...' nests deeper than " +
              std::to_string(kMaxConfigDepth) + " levels");
  if (j.is_object() && !(j.empty() && !prefix.empty())) {
    for (const auto& [k, v] : j.items()) Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  out.emplace_back(prefix, j);
}

nlohmann::json ParseOverrideValue(const std::string& text) {
  // The strict parser (depth-capped, so Flatten cannot recurse without bound); what it refuses
  // stays a string, which the field's type check then names.
  try {
    return ParseStrictJson<nlohmann::json>(text, "-p", kMaxConfigDepth);
  } catch (const InputError&) {
    return nlohmann::json(text);
  }
}

std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned c = b(0);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xbf;  // the allowed range of the second byte (RFC 3629, table 3-7)
    if (c < 0x80) {
      n = 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return i;
    }
    if (i + n > text.size()) return i;
    for (std::size_t k = 1; k < n; ++k) {
      const unsigned min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xbf;
      if (b(k) < min || b(k) > max) return i;
    }
    i += n;
  }
  return text.size();
}

std::string KnownKeys(const std::vector<std::string>& keys) {
  std::string s;
  for (std::size_t i = 0; i < keys.size(); ++i) s += (i ? ", " : "") + keys[i];
  return s;
}

}  // namespace intvit::config_detail
