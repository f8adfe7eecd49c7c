// Baselines: named sets of requirements over signals, read from YAML files on a
// search path (CONTRACT.md "Baseline YAML"), and their evaluation against the
// signals a survey produced.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"
#include "status.hpp"

namespace hi {

// A signal name, {signal: X}, {any_of: [...]} or {all_of: [...]}; groups nest.
struct Requirement {
  enum class Kind { signal, any_of, all_of } kind = Kind::signal;
  std::string signal;  // for Kind::signal
  std::vector<Requirement> children;
  std::string why;  // optional `why:`
  std::string file;
  int line = 0;  // where it was written, 1-based
  int column = 0;
};

struct Baseline {
  std::string name, description, file;
  std::vector<Requirement> require;  // the extended baselines' requirements come first
};

struct BaselineEntry {
  std::string name, file;
  std::vector<std::string> shadowed;  // files of the same name later on the search path
};

// The work a load did, so tests can bound it by counting instead of timing.
struct LoadStats {
  std::size_t files_read = 0;
  std::size_t requirements = 0;      // requirement forms, extended ones included
  std::size_t name_comparisons = 0;  // made while looking for duplicate signals
};

// The schema's limits.
inline constexpr std::size_t kMaxBaselineFileBytes = 1024 * 1024;
inline constexpr int kMaxRequirementDepth = 16;  // a top-level requirement is at depth 1
inline constexpr std::size_t kMaxRequirements = 10000;

// Signal and baseline names: [a-z0-9][a-z0-9._-]{0,63}.
bool valid_name(const std::string &name);

// One search path; the first directory holding NAME.yaml wins for NAME.
class BaselineCatalog {
 public:
  explicit BaselineCatalog(std::vector<std::string> dirs);

  // Every baseline on the search path, by name, for `hermes-inspect baselines`.
  std::vector<BaselineEntry> list() const;

  // NAME (looked up on the search path) or a path (anything containing '/' or
  // ending ".yaml"). Errors: "FILE:LINE:COL: message" (the first problem) for an
  // invalid file, "FILE: cannot read: reason" for an unreadable one, and
  // "unknown baseline 'x' (known: catalin, minimal, paranoid)" for an unknown name.
  StatusOr<Baseline> load(const std::string &name_or_path, LoadStats *stats = nullptr) const;

  // For `baseline check FILE`: every problem found, each "FILE:LINE:COL: message",
  // including those of the baselines it extends; empty means valid.
  std::vector<std::string> check(const std::string &file) const;

  // The names on the search path, sorted.
  std::vector<std::string> names() const;

  // The file NAME resolves to: the first NAME.yaml on the search path.
  std::optional<std::string> find(const std::string &name) const;

 private:
  // A path as given, or the file a name resolves to, or the unknown-name error.
  StatusOr<std::string> locate(const std::string &name_or_path) const;

  std::vector<std::string> dirs_;
};

// Why a signal the survey has no result for is absent, by name ("ufw not
// surveyed (--only)"); a signal not listed is one no plugin provides.
using AbsentSignals = std::map<std::string, std::string>;

// Each unmet requirement's text is its unmet part (render_missing), the
// names of `missing` in to_text's notation: an all_of's met parts left out.
BaselineVerdict evaluate(const Baseline &b, const std::vector<SignalResult> &signals,
                         const AbsentSignals &absent = {});

// Every signal the baseline names, in order, each once.
std::vector<std::string> required_signals(const Baseline &b);

// "ufw | firewalld", "a + (b | c)": any_of members joined with " | ", all_of
// with " + ", nested groups parenthesised.
std::string to_text(const Requirement &r);

}  // namespace hi
