// The outcomes the host's command runner reports to a probe, one call each,
// so a plugin's unit tests feed its decide function exactly what run() returns.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace hi::test {

inline hermes_inspect::CommandResult exited(int code, std::string out, std::string err = "") {
  hermes_inspect::CommandResult r;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

inline hermes_inspect::CommandResult not_installed() {
  hermes_inspect::CommandResult r;
  r.not_found = true;
  return r;
}

inline hermes_inspect::CommandResult timed_out_after(uint32_t timeout_ms) {
  hermes_inspect::CommandResult r;
  r.timed_out = true;
  r.timeout_ms = timeout_ms;
  return r;
}

inline hermes_inspect::CommandResult killed_by(int signal_number) {
  hermes_inspect::CommandResult r;
  r.term_signal = signal_number;
  return r;
}

}  // namespace hi::test
