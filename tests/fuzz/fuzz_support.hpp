// What every fuzz target shares: one input describing several named pieces
// (files, a command's streams), the CommandResult a probe would receive, and
// invariant checks that throw, so libFuzzer reports them as crashes and the
// regression driver as failures.
//
// Input format: when the input starts with "== ", each line "== NAME" opens a
// section holding the bytes up to the next such line. Any other input is one
// section with an empty name, so a plain fixture file is a valid seed.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hi::fuzz {

struct Section {
  std::string name;
  std::string text;
};

inline std::string_view as_text(const uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

inline std::vector<Section> split_sections(std::string_view input) {
  constexpr std::string_view kOpen = "== ";
  if (input.substr(0, kOpen.size()) != kOpen) return {Section{"", std::string(input)}};
  std::vector<Section> out;
  std::size_t at = 0;
  while (at < input.size()) {
    const std::size_t name_end = std::min(input.find('\n', at), input.size());
    Section s{std::string(input.substr(at + kOpen.size(), name_end - at - kOpen.size())), ""};
    std::size_t body = std::min(name_end + 1, input.size());
    std::size_t next = input.find("\n== ", body == 0 ? 0 : body - 1);
    next = next == std::string_view::npos ? input.size() : next + 1;
    s.text = std::string(input.substr(body, next - body));
    out.push_back(std::move(s));
    at = next;
  }
  return out;
}

// The text of the first section called name.
inline std::optional<std::string> section(const std::vector<Section> &sections,
                                          std::string_view name) {
  for (const auto &s : sections)
    if (s.name == name) return s.text;
  return std::nullopt;
}

// A small integer from a section's text; bad text reads as fallback.
inline int number_in(const std::optional<std::string> &text, int fallback) {
  if (!text) return fallback;
  try {
    return std::stoi(*text);
  } catch (const std::exception &) {
    return fallback;
  }
}

// Sections "stdout", "stderr", "exit" (a number), "signal" (a number),
// "timeout" and "not-found" (present or not); an unnamed section is stdout of
// a command that exited 0.
inline hermes_inspect::CommandResult command_result(const std::vector<Section> &sections) {
  hermes_inspect::CommandResult r;
  r.timeout_ms = 4000;
  r.out = section(sections, "stdout").value_or(section(sections, "").value_or(""));
  r.err = section(sections, "stderr").value_or("");
  r.exit_code = number_in(section(sections, "exit"), 0);
  r.term_signal = number_in(section(sections, "signal"), 0);
  r.timed_out = section(sections, "timeout").has_value();
  r.not_found = section(sections, "not-found").has_value();
  return r;
}

// A broken invariant: the input exposed a bug.
inline void expect(bool holds, const std::string &what) {
  if (!holds) throw std::logic_error("invariant broken: " + what);
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// SIGNALS.md: a status is one of four, and needs_root comes only with warn.
inline void check_verdict(const hermes_inspect::Verdict &v) {
  using hermes_inspect::Status;
  expect(v.status == Status::pass || v.status == Status::fail || v.status == Status::warn ||
             v.status == Status::skip,
         "status out of range");
  expect(!v.needs_root || v.status == Status::warn, "needs_root without warn: " + v.detail);
  expect(!v.detail.empty(), "empty detail");
}

}  // namespace hi::fuzz
