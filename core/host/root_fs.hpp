// Reading files for probes: paths under the inspected root (--root), resolved
// so that symlinks cannot climb out of it, and live host paths such as /proc.
#pragma once

#include "status.hpp"

#include <cstddef>
#include <string>

namespace hi {

struct FileRead {
  int rc = 0;          // hi_rc: HI_OK, HI_ERR_NOT_FOUND, HI_ERR_PERMISSION, ...
  std::string data;    // the contents when rc == HI_OK
  std::string error;   // "open /etc/x: Permission denied" when rc != HI_OK
};

class RootFs {
 public:
  // root is an absolute directory; "/" inspects the running host.
  explicit RootFs(std::string root);

  const std::string &root() const { return root_; }

  // path must be absolute. under_root=false reads the running host's path.
  FileRead read(const std::string &path, bool nofollow, bool under_root, std::size_t max_bytes) const;

  // The host path of an absolute path under the root, normalised lexically
  // ("//", ".", "..", a trailing "/") so it never names anything above the root;
  // "" for a relative, empty or over-long path.
  std::string resolve(const std::string &path) const;

 private:
  std::string root_;
  UniqueFd root_fd_;
};

}  // namespace hi
