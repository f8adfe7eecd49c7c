#include "discovery.hpp"

#include "loader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hi {
namespace fs = std::filesystem;
namespace {

constexpr const char *kDropInDir = "/usr/local/lib/hermes-inspect/plugins";

std::string octal_mode(mode_t mode) {
  std::ostringstream s;
  s << std::oct << (mode & 07777);
  return s.str();
}

// Why `st` (the object at `path`) may not be trusted, or "" when it may.
// Writable-by-others is tolerated for a sticky directory above the plugin's own.
std::string distrust_reason(const std::string &path, const struct stat &st, uid_t trusted_uid,
                            bool sticky_ok) {
  if (st.st_uid != 0 && st.st_uid != trusted_uid)
    return path + " is owned by uid " + std::to_string(st.st_uid) + ", not root or uid " +
           std::to_string(trusted_uid);
  const bool writable_by_others = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (!writable_by_others) return "";
  if (sticky_ok && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)) return "";
  return path + " is writable by " + ((st.st_mode & S_IWOTH) ? "others" : "its group") +
         " (mode " + octal_mode(st.st_mode) + ")";
}

std::vector<std::string> components(const std::string &absolute) {
  std::vector<std::string> parts;
  for (const auto &p : fs::path(absolute))
    if (p != "/" && !p.empty()) parts.push_back(p.string());
  return parts;
}

std::vector<fs::path> so_files(const std::string &dir, std::error_code &ec) {
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.size() > 3 && name.front() != '.' && name.compare(name.size() - 3, 3, ".so") == 0)
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> plugin_search_path(const std::vector<std::string> &cli_dirs,
                                            const char *env_path, const std::string &bundled_dir) {
  std::vector<std::string> dirs = cli_dirs;
  if (env_path) {
    std::stringstream s(env_path);
    for (std::string d; std::getline(s, d, ':');)
      if (!d.empty()) dirs.push_back(d);
  }
  dirs.emplace_back(kDropInDir);
  dirs.push_back(bundled_dir);
  return dirs;
}

StatusOr<UniqueFd> open_trusted(const std::string &path, uid_t trusted_uid) {
  char real[PATH_MAX];
  if (!::realpath(path.c_str(), real)) return Status::from_errno("resolve " + path);
  const std::string real_path = real;
  const auto parts = components(real_path);
  if (parts.empty()) return Status::failure(path + " is not a file");

  UniqueFd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return Status::from_errno("open /");
  std::vector<std::pair<std::string, struct stat>> dirs;
  std::string walked;
  for (std::size_t i = 0;; ++i) {
    struct stat st {};
    if (::fstat(dir.get(), &st) != 0) return Status::from_errno("stat " + (walked.empty() ? "/" : walked));
    dirs.emplace_back(walked.empty() ? "/" : walked, st);
    if (i + 1 == parts.size()) break;
    walked += "/" + parts[i];
    UniqueFd next(::openat(dir.get(), parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) return Status::from_errno("open " + walked);
    dir = std::move(next);
  }
  UniqueFd file(::openat(dir.get(), parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!file.valid()) return Status::from_errno("open " + real_path);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return Status::from_errno("stat " + real_path);
  if (!S_ISREG(st.st_mode)) return Status::failure(real_path + " is not a regular file");

  const std::string via = real_path == path ? "" : " (" + path + " points there)";
  if (auto why = distrust_reason(real_path, st, trusted_uid, false); !why.empty()) return Status::failure(why + via);
  // The plugin's own directory must pass outright; above it a sticky dir (like /tmp) may be shared.
  for (std::size_t i = dirs.size(); i-- > 0;) {
    const bool own_dir = i + 1 == dirs.size();
    if (auto why = distrust_reason(dirs[i].first, dirs[i].second, trusted_uid, !own_dir); !why.empty())
      return Status::failure(why + via);
  }
  return file;
}

std::vector<PluginCandidate> discover_plugins(const DiscoveryOptions &options,
                                              std::vector<std::string> &warnings) {
  std::vector<PluginCandidate> found;
  std::map<std::string, std::string> first_by_name;
  std::set<std::string> seen_dirs;
  for (const auto &dir : options.dirs) {
    std::error_code ec;
    // A directory named twice (say --plugins-dir and the bundled dir) is read once.
    if (const auto canonical = fs::weakly_canonical(dir, ec); !seen_dirs.insert(ec ? dir : canonical.string()).second)
      continue;
    auto files = so_files(dir, ec);
    if (ec) {
      if (ec != std::errc::no_such_file_or_directory || dir != kDropInDir)
        warnings.push_back("plugins dir " + dir + ": " + ec.message());
      continue;
    }
    for (const auto &file : files) {
      PluginCandidate c;
      c.record.file = fs::absolute(file).lexically_normal().string();
      c.record.name = file.stem().string();
      if (auto first = first_by_name.find(c.record.name); first != first_by_name.end()) {
        c.record.state = PluginState::shadowed;
        c.record.error = "shadowed by " + first->second;
        found.push_back(std::move(c));
        continue;
      }
      first_by_name.emplace(c.record.name, c.record.file);
      if (!valid_id(c.record.name.c_str())) {
        c.record.state = PluginState::invalid;
        c.record.error = "file name " + file.filename().string() +
                         " is not a plugin name ([a-z0-9][a-z0-9._-]*.so)";
        found.push_back(std::move(c));
        continue;
      }
      auto fd = open_trusted(c.record.file, options.trusted_uid);
      if (!fd && options.allow_untrusted) {
        c.record.error = "untrusted, loaded anyway (--allow-untrusted-plugins): " + fd.error();
        UniqueFd raw(::open(c.record.file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!raw.valid()) {
          c.record.state = PluginState::invalid;
          c.record.error = Status::from_errno("open " + c.record.file).message();
        }
        c.fd = std::move(raw);
      } else if (!fd) {
        c.record.state = PluginState::refused;
        c.record.error = "refused: " + fd.error();
      } else {
        c.fd = std::move(*fd);
      }
      found.push_back(std::move(c));
    }
  }
  return found;
}

}  // namespace hi
