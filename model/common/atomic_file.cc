#include "model/common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "model/common/error.h"

namespace intvit {
namespace {

namespace fs = std::filesystem;

fs::path TempPathFor(const fs::path& path) {
  static std::atomic<unsigned long> counter{0};
  const std::string name = "." + path.filename().string() + ".tmp." +
                           std::to_string(::getpid()) + "." + std::to_string(counter++);
  return path.parent_path() / name;
}

void RemoveQuietly(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
}

void RenameIntoPlace(const fs::path& tmp, const fs::path& path) {
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    RemoveQuietly(tmp);
    throw InputError(path.generic_string() + ": cannot write (rename into place: " +
                     ec.message() + ")");
  }
}

}  // namespace

void WriteFileAtomically(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = TempPathFor(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw InputError(path.generic_string() + ": cannot write (" + std::strerror(errno) + ")");
  }
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      RemoveQuietly(tmp);
      throw InputError(path.generic_string() + ": cannot write (" + std::strerror(err) + ")");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    RemoveQuietly(tmp);
    throw InputError(path.generic_string() + ": cannot write (" + std::strerror(err) + ")");
  }
  RenameIntoPlace(tmp, path);
}

void WriteFileVia(const fs::path& path, const std::function<void(const fs::path& tmp)>& write) {
  const fs::path tmp = TempPathFor(path);
  try {
    write(tmp);
  } catch (...) {
    RemoveQuietly(tmp);
    throw;
  }
  std::error_code ec;
  if (!fs::is_regular_file(tmp, ec)) {
    RemoveQuietly(tmp);
    throw InputError(path.generic_string() + ": cannot write (nothing was written)");
  }
  RenameIntoPlace(tmp, path);
}

}  // namespace intvit
