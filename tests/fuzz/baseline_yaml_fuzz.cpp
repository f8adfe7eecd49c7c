// Baseline files, loaded and checked as `run --baseline FILE` and `baseline
// check FILE` do. Each section is a file NAME.yaml in one directory of the
// search path, so `extends` chains and cycles resolve among them; an unnamed
// input is fuzz.yaml. The first file is the one loaded.
#include "baseline.hpp"
#include "fuzz_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

namespace {

namespace fs = std::filesystem;
using hi::fuzz::expect;

// A directory of its own per input, removed with its files.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "hi-fuzz-baseline.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;

  const fs::path &path() const { return path_; }

 private:
  fs::path path_;
};

std::string write_file(const fs::path &dir, const std::string &name, const std::string &text) {
  const fs::path file = dir / (name + ".yaml");
  std::ofstream(file, std::ios::binary) << text;
  return file.string();
}

// "FILE:LINE:COL: message" with a positive line and column, or "FILE: message".
bool well_formed(const std::string &message, const std::string &dir) {
  if (message.rfind(dir + "/", 0) != 0) return false;
  const auto yaml = message.find(".yaml:", dir.size());
  if (yaml == std::string::npos) return false;
  const std::string rest = message.substr(yaml + 6);
  if (rest.rfind(" ", 0) == 0) return true;
  char *end = nullptr;
  const long line = std::strtol(rest.c_str(), &end, 10);
  if (line < 1 || *end != ':') return false;
  const long column = std::strtol(end + 1, &end, 10);
  return column >= 1 && std::string_view(end).substr(0, 2) == ": ";
}

std::size_t depth_of(const hi::Requirement &r) {
  std::size_t deepest = 0;
  for (const auto &c : r.children) deepest = std::max(deepest, depth_of(c));
  return deepest + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const ScratchDir dir;
  std::string first;
  for (const auto &s : hi::fuzz::split_sections(hi::fuzz::as_text(data, size))) {
    const std::string name = s.name.empty() ? "fuzz" : s.name;
    if (!hi::valid_name(name)) continue;
    const std::string file = write_file(dir.path(), name, s.text);
    if (first.empty()) first = file;
  }
  if (first.empty()) return 0;

  const hi::BaselineCatalog catalog({dir.path().string()});
  hi::LoadStats stats;
  const auto loaded = catalog.load(first, &stats);
  const auto problems = catalog.check(first);
  expect(loaded.ok() == problems.empty(), "load and check disagree on " + first);
  for (const auto &p : problems) expect(well_formed(p, dir.path().string()), "malformed message: " + p);
  if (!loaded.ok()) {
    expect(loaded.error() == problems.front(), "load's error is not check's first problem");
    return 0;
  }
  expect(stats.requirements <= hi::kMaxRequirements, "more requirements than the limit");
  for (const auto &r : loaded->require)
    expect(depth_of(r) <= static_cast<std::size_t>(hi::kMaxRequirementDepth), "nested too deep");
  const auto verdict = hi::evaluate(*loaded, {});
  expect(!verdict.satisfied, "satisfied with no signals at all");
  return 0;
}
