#include "model/common/strict_json.h"

#include <set>
#include <vector>

#include "model/common/error.h"

namespace intvit {
namespace {

// A key from the file, cut short and made printable so that a hostile file cannot flood or
// garble a message.
std::string ShowKey(const std::string& s) {
  constexpr std::size_t kMax = 80;
  std::string out;
  for (char c : s.substr(0, kMax)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out + (s.size() > kMax ? "..." : "");
}

}  // namespace

template <class Json>
Json ParseStrictJson(std::string_view text, const std::string& where, int max_depth) {
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    throw InputError(where + ": not valid JSON: NUL byte at offset " + std::to_string(nul));
  }
  std::vector<std::set<std::string>> open_objects;
  const auto check = [&](int depth, typename Json::parse_event_t event, Json& parsed) {
    if (depth > max_depth) {
      throw InputError(where + ": not valid JSON: nested deeper than " +
                       std::to_string(max_depth) + " levels");
    }
    switch (event) {
      case Json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key: {
        const auto& key = parsed.template get_ref<const std::string&>();
        if (!open_objects.empty() && !open_objects.back().insert(key).second) {
          throw InputError(where + ": " + ShowKey(key) + ": duplicate key in one JSON object");
        }
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    // Strict: anything but whitespace after the value is a parse error.
    return Json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range for 1e999
    std::string what = e.what();
    if (const auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    throw InputError(where + ": not valid JSON: " + what);
  }
}

template nlohmann::json ParseStrictJson<nlohmann::json>(std::string_view, const std::string&,
                                                        int);
template nlohmann::ordered_json ParseStrictJson<nlohmann::ordered_json>(std::string_view,
                                                                        const std::string&, int);

}  // namespace intvit
