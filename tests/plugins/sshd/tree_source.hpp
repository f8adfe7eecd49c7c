// ConfigSource implementations for tests: a directory tree standing in for the
// inspected root, and a wrapper that injects read failures.
#pragma once

#include "sshd_config.hpp"
#include "sshd_glob.hpp"

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hi::test::sshd {

using hermes_inspect::sshd::ConfigSource;

// Files under root: "/etc/ssh/sshd_config" is root + "/etc/ssh/sshd_config".
class TreeSource : public ConfigSource {
 public:
  explicit TreeSource(std::string root) : root_(std::move(root)) {}

  File read(const std::string &path) const override {
    const std::string full = root_ + path;
    const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return failure(errno);
    Fd closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return failure(errno);
    if (static_cast<std::size_t>(st.st_size) > hermes_inspect::sshd::kMaxFileBytes)
      return File{Outcome::too_large, "", "too large"};
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0) return failure(errno);
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    return File{Outcome::ok, std::move(text), ""};
  }

  Glob glob(const std::string &pattern) const override {
    return hermes_inspect::sshd::glob_under(root_, pattern);
  }

 private:
  struct Fd {
    int fd;
    ~Fd() { ::close(fd); }
  };

  static File failure(int err) {
    if (err == ENOENT) return File{Outcome::not_found, "", std::strerror(err)};
    if (err == EACCES) return File{Outcome::permission, "", std::strerror(err)};
    return File{Outcome::error, "", std::strerror(err)};
  }

  std::string root_;
};

// Answers chosen paths with a given outcome, everything else from the tree.
// As root every file is readable, so permission problems are injected here.
class FaultySource : public ConfigSource {
 public:
  FaultySource(const ConfigSource &inner, std::map<std::string, Outcome> faults,
               std::set<std::string> glob_denied = {})
      : inner_(inner), faults_(std::move(faults)), glob_denied_(std::move(glob_denied)) {}

  File read(const std::string &path) const override {
    if (auto it = faults_.find(path); it != faults_.end())
      return File{it->second, "", "injected failure"};
    return inner_.read(path);
  }

  Glob glob(const std::string &pattern) const override {
    Glob g = inner_.glob(pattern);
    if (glob_denied_.count(pattern) != 0) {
      g = Glob{};
      g.denied = pattern.substr(0, pattern.rfind('/'));
      g.denied_listing = true;
    }
    return g;
  }

 private:
  const ConfigSource &inner_;
  std::map<std::string, Outcome> faults_;
  std::set<std::string> glob_denied_;
};

}  // namespace hi::test::sshd
