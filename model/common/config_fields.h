// A typed, strict schema for JSON configs (ModelConfig now, ArchConfig and RunConfig later).
// Each struct lists its fields once: a dotted key ("array.rows"), a one-line description, the
// member, and the legal range. From that list come the strict parser (unknown keys are errors),
// `-p key=value` overrides, the nested JSON dump (effective_config.json), and `info` tables.
// nlohmann's _WITH_DEFAULT macros would silently accept typos; this does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/common/error.h"

namespace intvit {

template <class S>
struct ConfigField {
  std::string key;          // dotted path
  std::string description;  // one line, shown by `intvit info`
  // Assigns from JSON; throws InputError naming `where` and the key on a type or range error.
  std::function<void(S&, const nlohmann::json&, const std::string& where)> set;
  std::function<nlohmann::json(const S&)> get;
};

namespace config_detail {
std::string Where(const std::string& where, const std::string& key);
std::int64_t ToInt(const nlohmann::json& v, const std::string& at, std::int64_t lo,
                   std::int64_t hi);
bool ToBool(const nlohmann::json& v, const std::string& at);
std::string ToChoice(const nlohmann::json& v, const std::string& at,
                     const std::vector<std::string>& choices);
// Flattens nested objects into dotted keys; arrays and scalars are leaves.
void Flatten(const nlohmann::json& j, const std::string& prefix,
             std::vector<std::pair<std::string, nlohmann::json>>& out);
// Parses the right-hand side of `-p key=value`: JSON if it parses, else a string.
nlohmann::json ParseOverrideValue(const std::string& text);
std::string KnownKeys(const std::vector<std::string>& keys);
// The offset of the first byte of `text` that is not part of a well-formed UTF-8 sequence (no
// overlong forms, no surrogates, nothing above U+10FFFF), or text.size() if there is none.
std::size_t FirstInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == text.size(); }
}  // namespace config_detail

template <class S, class M>
ConfigField<S> IntField(std::string key, std::string description, M S::*member, std::int64_t lo,
                        std::int64_t hi) {
  return {key, std::move(description),
          [member, key, lo, hi](S& s, const nlohmann::json& v, const std::string& where) {
            s.*member = static_cast<M>(
                config_detail::ToInt(v, config_detail::Where(where, key), lo, hi));
          },
          [member](const S& s) { return nlohmann::json(static_cast<std::int64_t>(s.*member)); }};
}

template <class S>
ConfigField<S> BoolField(std::string key, std::string description, bool S::*member) {
  return {key, std::move(description),
          [member, key](S& s, const nlohmann::json& v, const std::string& where) {
            s.*member = config_detail::ToBool(v, config_detail::Where(where, key));
          },
          [member](const S& s) { return nlohmann::json(s.*member); }};
}

template <class S>
ConfigField<S> ChoiceField(std::string key, std::string description, std::string S::*member,
                           std::vector<std::string> choices) {
  return {key, std::move(description),
          [member, key, choices](S& s, const nlohmann::json& v, const std::string& where) {
            s.*member = config_detail::ToChoice(v, config_detail::Where(where, key), choices);
          },
          [member](const S& s) { return nlohmann::json(s.*member); }};
}

// Applies every key of `j` to `s`. Unknown keys are InputErrors that list the known ones.
template <class S>
void ApplyConfigJson(S& s, const std::vector<ConfigField<S>>& fields, const nlohmann::json& j,
                     const std::string& where) {
  Require(j.is_object(), where + ": expected a JSON object");
  std::vector<std::pair<std::string, nlohmann::json>> flat;
  config_detail::Flatten(j, "", flat);
  for (const auto& [key, value] : flat) {
    const ConfigField<S>* field = nullptr;
    for (const auto& f : fields) {
      if (f.key == key) field = &f;
    }
    if (field == nullptr) {
      std::vector<std::string> keys;
      for (const auto& f : fields) keys.push_back(f.key);
      throw InputError(where + ": unknown key '" + key + "' (known keys: " +
                       config_detail::KnownKeys(keys) + ")");
    }
    field->set(s, value, where);
  }
}

// Applies one `key=value` override.
template <class S>
void ApplyConfigOverride(S& s, const std::vector<ConfigField<S>>& fields,
                         const std::string& assignment) {
  // Config strings are printed as JSON (info, effective_config.json), and JSON text is UTF-8.
  Require(config_detail::IsValidUtf8(assignment),
          "-p: the override is not valid UTF-8 text (byte " +
              std::to_string(config_detail::FirstInvalidUtf8(assignment)) + ")");
  const auto eq = assignment.find('=');
  Require(eq != std::string::npos && eq > 0,
          "override '" + assignment + "' must have the form key.path=value");
  const std::string key = assignment.substr(0, eq);
  nlohmann::json nested;
  nlohmann::json* cursor = &nested;
  std::size_t start = 0;
  while (true) {
    const auto dot = key.find('.', start);
    cursor = &(*cursor)[key.substr(start, dot - start)];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  *cursor = config_detail::ParseOverrideValue(assignment.substr(eq + 1));
  ApplyConfigJson(s, fields, nested, "-p " + assignment);
}

// The nested JSON of every field (effective_config.json).
template <class S>
nlohmann::json ConfigToJson(const S& s, const std::vector<ConfigField<S>>& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : fields) j[nlohmann::json::json_pointer("/" + [&] {
    std::string p = f.key;
    for (auto& c : p) if (c == '.') c = '/';
    return p;
  }())] = f.get(s);
  return j;
}

// A three-column text table: key, value, description.
template <class S>
std::string DescribeConfig(const S& s, const std::vector<ConfigField<S>>& fields) {
  std::size_t wk = 0, wv = 0;
  std::vector<std::string> values;
  for (const auto& f : fields) {
    values.push_back(f.get(s).dump());
    wk = std::max(wk, f.key.size());
    wv = std::max(wv, values.back().size());
  }
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += fields[i].key + std::string(wk - fields[i].key.size() + 2, ' ') + values[i] +
           std::string(wv - values[i].size() + 2, ' ') + fields[i].description + "\n";
  }
  return out;
}

}  // namespace intvit
