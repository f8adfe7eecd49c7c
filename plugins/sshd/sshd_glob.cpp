#include "sshd_glob.hpp"

#include <cerrno>
#include <memory>

#include <dirent.h>
#include <glob.h>

namespace hermes_inspect::sshd {

namespace {

// Owns what glob(3) allocates; globfree is safe on a zeroed or failed glob_t.
class GlobBuffer {
 public:
  GlobBuffer() = default;
  ~GlobBuffer() { ::globfree(&g_); }
  GlobBuffer(const GlobBuffer &) = delete;
  GlobBuffer &operator=(const GlobBuffer &) = delete;

  glob_t *get() { return &g_; }

 private:
  glob_t g_{};
};

struct DirClose {
  void operator()(DIR *d) const { ::closedir(d); }
};

std::string escape_glob(const std::string &literal) {
  std::string out;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The directory glob(3) must list first: the pattern up to the last '/'
// before its first wildcard.
std::string listed_directory(const std::string &pattern) {
  const std::size_t wild = pattern.find_first_of("*?[");
  if (wild == std::string::npos) return "";
  const std::size_t slash = pattern.rfind('/', wild);
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : pattern.substr(0, slash);
}

bool cannot_list(const std::string &host_dir) {
  if (host_dir.empty()) return false;
  const std::unique_ptr<DIR, DirClose> dir(::opendir(host_dir.c_str()));
  return !dir && errno == EACCES;
}

}  // namespace

ConfigSource::Glob glob_under(const std::string &host_root, const std::string &pattern) {
  const std::string prefix = host_root == "/" ? "" : host_root;
  ConfigSource::Glob out;
  const std::string dir = listed_directory(pattern);
  out.permission_denied = !dir.empty() && cannot_list(prefix + dir);
  GlobBuffer g;
  if (::glob((escape_glob(prefix) + pattern).c_str(), 0, nullptr, g.get()) != 0) return out;
  for (std::size_t i = 0; i < g.get()->gl_pathc; ++i) {
    const std::string path = g.get()->gl_pathv[i];
    if (path.compare(0, prefix.size(), prefix) == 0) out.paths.push_back(path.substr(prefix.size()));
  }
  return out;
}

}  // namespace hermes_inspect::sshd
