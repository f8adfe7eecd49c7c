// Shared by the iron-proxy tests: a file reader with the host service's
// contract, and a Hermes home laid out in a TempDir.
#pragma once

#include "iron_proxy.hpp"
#include "status.hpp"
#include "test_support.hpp"

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace iron_proxy_test {

// What hi_host.read_file does for a host path: O_NOFOLLOW on request, regular
// files only, errno mapped to hi_rc. Paths the probe does not mark
// HI_READ_HOST_PATH resolve under an empty --root and so are never found.
inline iron_proxy::FileRead read_host(const std::string &path, uint32_t flags) {
  if ((flags & HI_READ_HOST_PATH) == 0) return {HI_ERR_NOT_FOUND, "", "not under --root"};
  const bool nofollow = (flags & HI_READ_NOFOLLOW) != 0;
  hi::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0)));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return {HI_ERR_NOT_FOUND, "", path + ": not found"};
    if (err == EACCES || err == EPERM) return {HI_ERR_PERMISSION, "", path + ": permission denied"};
    if (err == ELOOP && nofollow) return {HI_ERR_SYMLINK, "", path + " is a symlink"};
    return {HI_ERR_IO, "", path + ": error " + std::to_string(err)};
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return {HI_ERR_IO, "", path + " is not a regular file"};
  iron_proxy::FileRead r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;)
    r.data.append(buf, static_cast<std::size_t>(n));
  return r;
}

}  // namespace iron_proxy_test
