// Reading one baseline file into requirements, collecting every problem.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "baseline.hpp"

namespace hi::baseline_detail {

struct Problem {
  std::string file;
  int line = 0;  // 0: the problem has no position (the file cannot be read)
  int column = 0;
  std::string message;

  std::string render() const;  // "FILE:LINE:COL: message"
};

struct ParsedFile {
  std::string file;
  std::string name;  // the file stem; a `name:` that differs is a problem
  std::string description;
  std::optional<std::string> extends;
  int extends_line = 0;
  int extends_column = 0;
  std::vector<Requirement> require;  // the well-formed ones
  std::vector<Problem> problems;
};

// The stem of a baseline file name: "/etc/x/site.yaml" -> "site".
std::string baseline_stem(const std::string &path);

ParsedFile parse_baseline_file(const std::string &path);

}  // namespace hi::baseline_detail
