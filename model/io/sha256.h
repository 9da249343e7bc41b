// SHA-256 (FIPS 180-4) of a file, for provenance: `intvit vectors` stamps the model file's hash
// into every case it cuts, so a case names the exact weights it came from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace intvit::model {

// 64 lower-case hex digits.
std::string Sha256Hex(std::string_view bytes);
// The same of a file's contents, read in chunks; throws InputError if it cannot be read.
std::string Sha256FileHex(const std::filesystem::path& path);

}  // namespace intvit::model
