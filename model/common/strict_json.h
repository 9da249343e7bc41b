// The one strict JSON parser for user files (model metadata, vector manifests, arch configs).
// On top of nlohmann's syntax check it refuses what nlohmann accepts silently:
//   - a NUL byte anywhere (nlohmann stops reading at one, so "{}\0garbage" would be accepted);
//   - anything but whitespace after the JSON value;
//   - a key twice in one object (nlohmann keeps the last one);
//   - nesting deeper than max_depth (deep nesting makes every recursive walk of the tree, in
//     nlohmann and in our readers, overflow the stack).
// Every refusal is one InputError "<where>: ..." (docs/robustness.md lists the rules).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace intvit {

// Works for nlohmann::json and nlohmann::ordered_json.
template <class Json>
Json ParseStrictJson(std::string_view text, const std::string& where, int max_depth);

extern template nlohmann::json ParseStrictJson<nlohmann::json>(std::string_view,
                                                               const std::string&, int);
extern template nlohmann::ordered_json ParseStrictJson<nlohmann::ordered_json>(
    std::string_view, const std::string&, int);

}  // namespace intvit
