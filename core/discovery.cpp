#include "discovery.hpp"

#include "loader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <deque>
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

std::string owner_distrust(const std::string &path, const struct stat &st, uid_t trusted_uid) {
  if (st.st_uid == 0 || st.st_uid == trusted_uid) return "";
  return path + " is owned by uid " + std::to_string(st.st_uid) + ", not root or uid " + std::to_string(trusted_uid);
}

// Why `st` (the object at `path`) may not be trusted, or "" when it may.
// Writable-by-others is tolerated for a sticky directory above the plugin's own.
std::string distrust_reason(const std::string &path, const struct stat &st, uid_t trusted_uid,
                            bool sticky_ok) {
  if (auto why = owner_distrust(path, st, trusted_uid); !why.empty()) return why;
  const bool writable_by_others = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (!writable_by_others) return "";
  if (sticky_ok && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)) return "";
  return path + " is writable by " + ((st.st_mode & S_IWOTH) ? "others" : "its group") +
         " (mode " + octal_mode(st.st_mode) + ")";
}

// The names in a path, without the root and empty names ("a//b/" is a, b).
std::vector<std::string> components(const std::string &path) {
  std::vector<std::string> parts;
  for (const auto &p : fs::path(path))
    if (p != "/" && !p.empty()) parts.push_back(p.string());
  return parts;
}

std::string child_path(const std::string &dir, const std::string &name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// Opens a path from / one name at a time without following links, and follows
// each symbolic link by hand, so that every directory passed through is
// recorded: the one holding the file (or the last link to it) and every one
// above, including the directories that hold links along the way. Whoever
// can write any of them could swap what gets loaded.
class TrustWalk {
 public:
  struct Dir {
    std::string path;
    struct stat st;
    bool holds_entry;  // holds the plugin file or a link to it: no sticky exception
  };
  struct Link {
    std::string path;
    struct stat st;
  };

  StatusOr<UniqueFd> open(const std::string &absolute) {
    if (auto s = enter_root(); !s) return s;
    std::deque<std::string> todo;
    for (auto &name : components(absolute)) todo.push_back(std::move(name));
    if (todo.empty()) return Status::failure(absolute + " is not a file");
    while (true) {
      const std::string name = std::move(todo.front());
      todo.pop_front();
      const bool last = todo.empty();
      if (name == "." || name == "..") {
        if (name == ".." && stack_.size() > 1) stack_.pop_back();
        if (last) return Status::failure(absolute + " is not a file");
        continue;
      }
      const Level &here = stack_.back();
      const std::string at = child_path(here.path, name);
      struct stat st {};
      if (::fstatat(here.fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return Status::from_errno("stat " + at);
      if (S_ISLNK(st.st_mode)) {
        if (auto s = follow(at, name, st, last, todo); !s) return s;
        continue;
      }
      if (last) return open_file(at, name);
      UniqueFd next(::openat(here.fd.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!next.valid()) return Status::from_errno("open " + at);
      if (auto s = enter(at, std::move(next)); !s) return s;
    }
  }

  const std::string &file_path() const { return file_path_; }
  const std::vector<Dir> &dirs() const { return dirs_; }
  const std::vector<Link> &links() const { return links_; }

 private:
  // As the kernel's own limit on links followed in one lookup.
  static constexpr int kMaxLinks = 40;

  struct Level {
    std::string path;
    UniqueFd fd;
    std::size_t dir_index;
  };

  Status enter_root() {
    stack_.clear();
    UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root.valid()) return Status::from_errno("open /");
    return enter("/", std::move(root));
  }

  Status enter(const std::string &path, UniqueFd fd) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Status::from_errno("stat " + path);
    dirs_.push_back({path, st, false});
    stack_.push_back({path, std::move(fd), dirs_.size() - 1});
    return Status::success();
  }

  // Queues the link's target in place of the link. The link's own directory
  // holds the entry when the link is the last name.
  Status follow(const std::string &at, const std::string &name, const struct stat &st, bool last,
                std::deque<std::string> &todo) {
    if (static_cast<int>(links_.size()) >= kMaxLinks) return Status::failure(at + ": too many levels of symbolic links");
    links_.push_back({at, st});
    if (last) dirs_[stack_.back().dir_index].holds_entry = true;
    std::string target(PATH_MAX, '\0');
    const ssize_t n = ::readlinkat(stack_.back().fd.get(), name.c_str(), target.data(), target.size());
    if (n < 0) return Status::from_errno("read link " + at);
    target.resize(static_cast<std::size_t>(n));
    auto names = components(target);
    todo.insert(todo.begin(), names.begin(), names.end());
    if (!target.empty() && target.front() == '/') return enter_root();
    return Status::success();
  }

  StatusOr<UniqueFd> open_file(const std::string &at, const std::string &name) {
    UniqueFd file(::openat(stack_.back().fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!file.valid()) return Status::from_errno("open " + at);
    dirs_[stack_.back().dir_index].holds_entry = true;
    file_path_ = at;
    return file;
  }

  std::vector<Level> stack_;
  std::vector<Dir> dirs_;
  std::vector<Link> links_;
  std::string file_path_;
};

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
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  if (ec) return Status::failure("resolve " + path + ": " + ec.message());
  TrustWalk walk;
  auto file = walk.open(absolute.string());
  if (!file) return file.status();

  struct stat st {};
  if (::fstat(file->get(), &st) != 0) return Status::from_errno("stat " + walk.file_path());
  if (!S_ISREG(st.st_mode)) return Status::failure(walk.file_path() + " is not a regular file");

  const bool followed_links = !walk.links().empty();
  const std::string via = followed_links ? " (" + path + " points there)" : "";
  if (auto why = distrust_reason(walk.file_path(), st, trusted_uid, false); !why.empty())
    return Status::failure(why + via);
  for (const auto &link : walk.links())
    if (auto why = owner_distrust(link.path, link.st, trusted_uid); !why.empty()) return Status::failure(why + via);
  const auto &dirs = walk.dirs();
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
    if (auto why = distrust_reason(it->path, it->st, trusted_uid, !it->holds_entry); !why.empty())
      return Status::failure(why + via);
  return std::move(*file);
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
