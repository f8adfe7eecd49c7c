// The four renderings of a survey (CONTRACT.md: table, JSON, JSON lines,
// Prometheus) and the atomic write behind --output.
#pragma once

#include "model.hpp"
#include "status.hpp"

#include <string>

namespace hi::report {

struct RenderOptions {
  bool all = false;        // table: list passing signals too
  bool color = false;      // ANSI colour (the CLI decides: terminal, NO_COLOR, --no-color)
  bool utf8 = true;        // false: ASCII glyphs
  int width = 80;          // terminal columns for wrapping; below 40 counts as 40
  std::string tool_version;
};

inline constexpr int kSchemaVersion = 1;

std::string render_table(const Survey &s, const BaselineVerdict &b, const RenderOptions &o);
std::string render_json(const Survey &s, const BaselineVerdict &b, const RenderOptions &o);
std::string render_jsonl(const Survey &s, const BaselineVerdict &b, const RenderOptions &o);
std::string render_prometheus(const Survey &s, const BaselineVerdict &b, const RenderOptions &o);

// Writes content to path atomically: temp file in the same dir, fsync, rename.
// Error names the file. The file is left mode 0644: node_exporter's textfile
// collector usually runs as its own user and must be able to read it.
Status write_atomically(const std::string &path, const std::string &content);

}  // namespace hi::report
