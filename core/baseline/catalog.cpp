#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "baseline.hpp"
#include "parse.hpp"

namespace hi {

namespace fs = std::filesystem;
using baseline_detail::ParsedFile;
using baseline_detail::Problem;

namespace {

bool is_path(const std::string &name_or_path) {
  const std::string ext = ".yaml";
  return name_or_path.find('/') != std::string::npos ||
         (name_or_path.size() >= ext.size() &&
          name_or_path.compare(name_or_path.size() - ext.size(), ext.size(), ext) == 0);
}

bool regular_file(const fs::path &p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);  // follows symlinks: a linked site baseline counts
}

std::string identity(const std::string &file) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(file, ec);
  return ec ? file : p.string();
}

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string out;
  for (const auto &item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

// "(known: catalin, minimal, paranoid)", for an unknown name.
std::string known_names(const BaselineCatalog &catalog) {
  const auto names = catalog.names();
  return "(known: " + (names.empty() ? std::string("none") : join(names, ", ")) + ")";
}

// Finds duplicate signals across a baseline and what it extends, in
// O(n log n) name comparisons (counted, so tests can hold it to that).
class DuplicateFinder {
 public:
  explicit DuplicateFinder(std::vector<Problem> &problems) : problems_(problems), seen_(Less{&comparisons_}) {}

  // Returns false once past the requirement limit.
  bool visit(const Requirement &r) {
    if (++requirements_ > kMaxRequirements) {
      problems_.push_back(Problem{r.file, r.line, r.column,
                                  "more than " + std::to_string(kMaxRequirements) +
                                      " requirements, extended baselines included"});
      return false;
    }
    if (r.kind == Requirement::Kind::signal) {
      record(r);
      return true;
    }
    for (const auto &child : r.children)
      if (!visit(child)) return false;
    return true;
  }

  std::size_t requirements() const { return requirements_; }
  std::size_t comparisons() const { return comparisons_; }

 private:
  struct Less {
    std::size_t *count;
    bool operator()(const std::string &a, const std::string &b) const {
      ++*count;
      return a < b;
    }
  };

  void record(const Requirement &r) {
    const auto [it, inserted] = seen_.emplace(r.signal, &r);
    if (inserted) return;
    const Requirement &first = *it->second;
    problems_.push_back(Problem{r.file, r.line, r.column,
                                "duplicate requirement '" + r.signal + "' (already required at " + first.file +
                                    ":" + std::to_string(first.line) + ":" + std::to_string(first.column) + ")"});
  }

  std::vector<Problem> &problems_;
  std::size_t comparisons_ = 0;
  std::size_t requirements_ = 0;
  std::map<std::string, const Requirement *, Less> seen_;
};

struct Resolved {
  std::optional<Baseline> baseline;  // set when there are no problems
  std::vector<Problem> problems;
};

// Loads a file and, through the catalog, the chain of baselines it extends.
class Resolver {
 public:
  Resolver(const BaselineCatalog &catalog, LoadStats &stats) : catalog_(catalog), stats_(stats) {}

  Resolved resolve(const std::string &file) {
    ParsedFile parsed = baseline_detail::parse_baseline_file(file);
    ++stats_.files_read;
    Resolved out;
    out.problems = std::move(parsed.problems);
    chain_.push_back({parsed.name, identity(file)});
    std::optional<Baseline> parent = extended(parsed, out.problems);
    chain_.pop_back();

    Baseline b{parsed.name, parsed.description, file, {}};
    if (parent) b.require = std::move(parent->require);
    for (auto &r : parsed.require) b.require.push_back(std::move(r));
    DuplicateFinder finder(out.problems);
    for (const auto &r : b.require)
      if (!finder.visit(r)) break;
    stats_.requirements = finder.requirements();
    stats_.name_comparisons += finder.comparisons();
    if (out.problems.empty()) out.baseline = std::move(b);
    return out;
  }

 private:
  struct Link {
    std::string name, identity;
  };

  std::optional<Baseline> extended(const ParsedFile &parsed, std::vector<Problem> &problems) {
    if (!parsed.extends) return std::nullopt;
    const std::string &name = *parsed.extends;
    auto problem = [&](std::string message) {
      problems.push_back(Problem{parsed.file, parsed.extends_line, parsed.extends_column, std::move(message)});
    };
    const std::optional<std::string> file = catalog_.find(name);
    if (!file) {
      problem("unknown baseline '" + name + "' in extends " + known_names(catalog_));
      return std::nullopt;
    }
    const std::string id = identity(*file);
    const auto cycle_start = std::find_if(chain_.begin(), chain_.end(), [&](const Link &l) { return l.identity == id; });
    if (cycle_start != chain_.end()) {
      std::vector<std::string> names;
      for (auto it = cycle_start; it != chain_.end(); ++it) names.push_back(it->name);
      names.push_back(name);
      problem("cyclic extends: " + join(names, " -> "));
      return std::nullopt;
    }
    Resolved parent = resolve(*file);
    for (auto &p : parent.problems) problems.push_back(std::move(p));
    return std::move(parent.baseline);
  }

  const BaselineCatalog &catalog_;
  LoadStats &stats_;
  std::vector<Link> chain_;
};

}  // namespace

bool valid_name(const std::string &name) {
  if (name.empty() || name.size() > 64) return false;
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_alnum(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return lower_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

BaselineCatalog::BaselineCatalog(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

std::optional<std::string> BaselineCatalog::find(const std::string &name) const {
  if (!valid_name(name)) return std::nullopt;
  for (const auto &dir : dirs_) {
    const fs::path p = fs::path(dir) / (name + ".yaml");
    if (regular_file(p)) return p.string();
  }
  return std::nullopt;
}

std::vector<BaselineEntry> BaselineCatalog::list() const {
  std::map<std::string, BaselineEntry> by_name;
  for (const auto &dir : dirs_) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto &p : files) {
      const std::string name = p.stem().string();
      if (p.extension() != ".yaml" || !valid_name(name) || !regular_file(p)) continue;
      auto [it, inserted] = by_name.try_emplace(name, BaselineEntry{name, p.string(), {}});
      if (!inserted) it->second.shadowed.push_back(p.string());
    }
  }
  std::vector<BaselineEntry> out;
  for (auto &kv : by_name) out.push_back(std::move(kv.second));
  return out;
}

std::vector<std::string> BaselineCatalog::names() const {
  std::vector<std::string> out;
  for (const auto &entry : list()) out.push_back(entry.name);
  return out;
}

StatusOr<std::string> BaselineCatalog::locate(const std::string &name_or_path) const {
  if (is_path(name_or_path)) return name_or_path;
  if (auto found = find(name_or_path)) return *found;
  return Status::failure("unknown baseline '" + name_or_path + "' " + known_names(*this));
}

StatusOr<Baseline> BaselineCatalog::load(const std::string &name_or_path, LoadStats *stats) const {
  const auto file = locate(name_or_path);
  if (!file) return file.status();
  LoadStats local;
  Resolved resolved = Resolver(*this, stats ? *stats : local).resolve(*file);
  if (!resolved.baseline) return Status::failure(resolved.problems.front().render());
  return std::move(*resolved.baseline);
}

std::vector<std::string> BaselineCatalog::check(const std::string &file) const {
  const auto path = locate(file);
  if (!path) return {path.error()};
  LoadStats stats;
  std::vector<std::string> out;
  for (const auto &p : Resolver(*this, stats).resolve(*path).problems) out.push_back(p.render());
  return out;
}

}  // namespace hi
