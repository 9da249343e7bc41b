// The one way intvit writes a file: under a temporary name in the same folder, then renamed
// into place. A crash, a kill -9 or a full disk leaves the old file or the new one, never half
// of one (rename(2) within a folder is atomic). docs/robustness.md §Writing.
//
// The temporary is "<folder>/.<name>.tmp.<pid>.<n>"; it is removed when the write fails. It
// is not fsync'ed: the guarantee is against the process dying, not against the machine losing
// power (syncing each of the 230k files `intvit vectors` can write would cost minutes).
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

namespace intvit {

// Writes `bytes` as the whole content of `path`. Throws InputError naming the path when the
// temporary cannot be created or written, or the rename fails; the old file is then untouched.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// For writers that open the file themselves: calls write(temporary path), then renames the
// temporary into place. If write throws, the temporary is removed, `path` is untouched and the
// exception propagates. `write` must close what it opened before it returns.
void WriteFileVia(const std::filesystem::path& path,
                  const std::function<void(const std::filesystem::path& tmp)>& write);

}  // namespace intvit
