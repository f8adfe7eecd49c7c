#include "sshd_glob.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

namespace hermes_inspect::sshd {

namespace {

struct DirClose {
  void operator()(DIR *d) const { ::closedir(d); }
};

// glibc's __glob_pattern_type: '*' and '?' are wildcards, '[' only with a
// closing ']', and a backslash takes the next character literally.
bool has_wildcard(const std::string &component) {
  bool open_bracket = false;
  for (std::size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '\\') {
      ++i;
    } else if (c == '*' || c == '?') {
      return true;
    } else if (c == '[') {
      open_bracket = true;
    } else if (c == ']' && open_bracket) {
      return true;
    }
  }
  return false;
}

std::string unescape(const std::string &component) {
  std::string out;
  for (std::size_t i = 0; i < component.size(); ++i) {
    if (component[i] == '\\' && i + 1 < component.size()) ++i;
    out.push_back(component[i]);
  }
  return out;
}

std::vector<std::string> components_of(const std::string &pattern) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t end = std::min(pattern.find('/', at), pattern.size());
    if (end > at) parts.push_back(pattern.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

std::string child_of(const std::string &dir, const std::string &name) {
  return (dir == "/" ? "" : dir) + "/" + name;
}

// glob(3) by hand, one component at a time, because glob(3) drops EACCES on
// a literal component (it only lstat()s it) and never says so: this user may
// be unable to see a file sshd, running as root, would include.
class Walk {
 public:
  Walk(std::string prefix, std::vector<std::string> parts)
      : prefix_(std::move(prefix)), parts_(std::move(parts)) {}

  ConfigSource::Glob run() {
    if (!parts_.empty()) step("/", 0);
    std::sort(out_.paths.begin(), out_.paths.end());
    for (const auto &path : out_.paths) {
      struct stat st {};
      if (::stat(host(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) out_.directories.insert(path);
    }
    return std::move(out_);
  }

 private:
  std::string host(const std::string &path) const { return prefix_ + path; }

  void deny(const std::string &path, bool listing) {
    if (!out_.denied.empty()) return;
    out_.denied = path;
    out_.denied_listing = listing;
  }

  void step(const std::string &dir, std::size_t index) {
    const std::string &part = parts_[index];
    if (!has_wildcard(part)) {
      found(child_of(dir, unescape(part)), index);
      return;
    }
    const std::unique_ptr<DIR, DirClose> listing(::opendir(host(dir).c_str()));
    if (!listing) {
      if (errno == EACCES) deny(dir, true);
      return;
    }
    std::vector<std::string> names;
    while (const dirent *e = ::readdir(listing.get()))
      if (::fnmatch(part.c_str(), e->d_name, FNM_PERIOD) == 0) names.emplace_back(e->d_name);
    std::sort(names.begin(), names.end());
    for (const auto &name : names) found(child_of(dir, name), index);
  }

  void found(const std::string &path, std::size_t index) {
    if (index + 1 < parts_.size()) {
      step(path, index + 1);
      return;
    }
    // glob(3) checks a literal last component with lstat: a dangling symlink
    // is a match, and sshd then fails to open it.
    struct stat st {};
    if (::lstat(host(path).c_str(), &st) == 0) {
      out_.paths.push_back(path);
    } else if (errno == EACCES) {
      deny(path, false);
    }
  }

  std::string prefix_;
  std::vector<std::string> parts_;
  ConfigSource::Glob out_;
};

}  // namespace

ConfigSource::Glob glob_under(const std::string &host_root, const std::string &pattern) {
  std::string prefix = host_root;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return Walk(prefix, components_of(pattern)).run();
}

}  // namespace hermes_inspect::sshd
