// The one way to open a file a user names (model file, vector manifest and hex files, arch
// config, image, program): regular files only, with a size cap checked before the first read.
// A FIFO would block forever, a directory or device would read garbage or never end, and an
// unbounded read lets one bad path exhaust memory; each of these is an InputError that names
// the path, never a hang, a crash or an internal error.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace intvit {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` for reading. Throws InputError "<where>: <what>" (where defaults to the path)
// when it does not exist, cannot be opened, is not a regular file (directory, FIFO, device,
// socket) or holds more than max_bytes bytes. `kind` names what the file should be ("image",
// "arch config") in messages. The file is stat'ed before it is opened, and opened
// non-blocking, so a FIFO never blocks.
UniqueFile OpenUserFile(const std::filesystem::path& path, std::uint64_t max_bytes,
                        const std::string& kind, std::string where = {});

// OpenUserFile, then the whole content. Reads at most max_bytes + 1 bytes, so a file that grows
// while it is read is refused rather than followed.
std::string ReadUserFile(const std::filesystem::path& path, std::uint64_t max_bytes,
                         const std::string& kind, std::string where = {});

}  // namespace intvit
