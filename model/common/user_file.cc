#include "model/common/user_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/common/error.h"

namespace intvit {
namespace {

// What a non-regular file is, for the message.
std::string KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

void CheckStat(const struct stat& st, const std::string& where, std::uint64_t max_bytes,
               const std::string& kind) {
  if (!S_ISREG(st.st_mode)) {
    throw InputError(where + ": is " + KindOf(st.st_mode) + "; the " + kind +
                     " must be a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    throw InputError(where + ": is " + std::to_string(st.st_size) + " bytes; the " + kind +
                     " may be at most " + std::to_string(max_bytes) + " bytes");
  }
}

}  // namespace

UniqueFile OpenUserFile(const std::filesystem::path& path, std::uint64_t max_bytes,
                        const std::string& kind, std::string where) {
  if (where.empty()) where = path.string();
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    throw InputError(where + ": cannot open (" + std::strerror(errno) + ")");
  }
  CheckStat(st, where, max_bytes, kind);
  // Non-blocking, so that a FIFO swapped in after the stat still cannot block the open; the
  // fstat then sees what was really opened.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw InputError(where + ": cannot open (" + std::strerror(errno) + ")");
  }
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw InputError(where + ": cannot stat (" + std::strerror(err) + ")");
  }
  try {
    CheckStat(st, where, max_bytes, kind);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  UniqueFile f(::fdopen(fd, "rb"));
  if (!f) {
    ::close(fd);
    throw InputError(where + ": cannot open (" + std::strerror(errno) + ")");
  }
  return f;
}

std::string ReadUserFile(const std::filesystem::path& path, std::uint64_t max_bytes,
                         const std::string& kind, std::string where) {
  if (where.empty()) where = path.string();
  const UniqueFile f = OpenUserFile(path, max_bytes, kind, where);
  struct stat st{};
  std::string text;
  if (::fstat(::fileno(f.get()), &st) == 0) text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const std::uint64_t left = max_bytes - text.size();  // never read past max_bytes + 1
    const std::size_t n = std::fread(buf, 1, left < sizeof buf ? left + 1 : sizeof buf, f.get());
    if (n == 0) break;
    text.append(buf, n);
    if (text.size() > max_bytes) {
      throw InputError(where + ": grew past " + std::to_string(max_bytes) +
                       " bytes while being read (the limit for the " + kind + ")");
    }
  }
  if (std::ferror(f.get())) {
    throw InputError(where + ": read error (" + std::string(std::strerror(errno)) + ")");
  }
  return text;
}

}  // namespace intvit
