#include "root_fs.hpp"

#include <hermes_inspect/plugin.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hi {
namespace {

int rc_for_errno(int err, bool nofollow) {
  switch (err) {
    case ENOENT:
    case ENOTDIR: return HI_ERR_NOT_FOUND;
    case EACCES:
    case EPERM: return HI_ERR_PERMISSION;
    case ELOOP: return nofollow ? HI_ERR_SYMLINK : HI_ERR_IO;
    default: return HI_ERR_IO;
  }
}

FileRead failure(int rc, std::string message) { return FileRead{rc, {}, std::move(message)}; }

// openat2 with RESOLVE_IN_ROOT treats the root as "/" for absolute symlinks and
// "..", as a chroot would, without needing privileges. Kernels without openat2
// open `resolved`, the lexical resolution, instead.
int open_in_root(int root_fd, const std::string &resolved, const std::string &path, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const std::string relative = path.substr(path.find_first_not_of('/') == std::string::npos
                                               ? path.size()
                                               : path.find_first_not_of('/'));
  const long fd = ::syscall(SYS_openat2, root_fd, relative.empty() ? "." : relative.c_str(), &how,
                            sizeof how);
  if (fd >= 0 || errno != ENOSYS) return static_cast<int>(fd);
  return ::open(resolved.c_str(), flags);
}

}  // namespace

RootFs::RootFs(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_.empty()) root_ = "/";
  root_fd_.reset(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
}

FileRead RootFs::read(const std::string &path, bool nofollow, bool under_root,
                      std::size_t max_bytes) const {
  if (path.empty() || path.front() != '/') return failure(HI_ERR_INVALID, "not an absolute path: " + path);
  const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0);
  const std::string shown = under_root ? resolve(path) : path;
  if (shown.empty()) return failure(HI_ERR_INVALID, "path longer than PATH_MAX: " + path.substr(0, 80) + "...");
  if (under_root && !root_fd_.valid()) return failure(HI_ERR_NOT_FOUND, "open root " + root_ + ": not a directory");
  UniqueFd fd(under_root ? open_in_root(root_fd_.get(), shown, path, flags) : ::open(path.c_str(), flags));
  if (!fd.valid()) {
    const int err = errno;
    const int rc = rc_for_errno(err, nofollow);
    if (rc == HI_ERR_SYMLINK) return failure(rc, shown + " is a symlink; refusing to follow it");
    return failure(rc, Status::from_errno("open " + shown, err).message());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return failure(HI_ERR_IO, Status::from_errno("stat " + shown).message());
  if (!S_ISREG(st.st_mode)) return failure(HI_ERR_IO, shown + " is not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    return failure(HI_ERR_TOO_LARGE, shown + " is larger than " + std::to_string(max_bytes) + " bytes");
  // /proc files report size 0: read to EOF, one byte past the cap to notice excess.
  FileRead result;
  std::array<char, 16384> buf{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return failure(rc_for_errno(err, false), Status::from_errno("read " + shown, err).message());
    }
    result.data.append(buf.data(), static_cast<std::size_t>(n));
    if (result.data.size() > max_bytes)
      return failure(HI_ERR_TOO_LARGE, shown + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  result.rc = HI_OK;
  return result;
}

std::string RootFs::resolve(const std::string &path) const {
  if (path.empty() || path.front() != '/' || path.size() >= PATH_MAX) return "";
  // Lexically, as the kernel does under RESOLVE_IN_ROOT: ".." at the top stays
  // at the top, so no spelling of a path names anything outside the root.
  std::vector<std::string_view> parts;
  const std::string_view text = path;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('/', at), text.size());
    const std::string_view part = text.substr(at, end - at);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = end + 1;
  }
  std::string resolved = root_ == "/" ? "" : root_;
  for (const auto part : parts) resolved.append("/").append(part);
  return resolved.empty() ? "/" : resolved;
}

}  // namespace hi
