// Header-only C++17 helpers over plugin.h: value types for commands and verdicts,
// a Host wrapper that copies core-owned memory into std::string, and the entry
// and exception-catching boilerplate. Optional: plugin.h alone is the ABI.
#ifndef HERMES_INSPECT_PROBE_HPP
#define HERMES_INSPECT_PROBE_HPP

#include <hermes_inspect/plugin.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hermes_inspect {

enum class Status : int32_t {
  pass = HI_STATUS_PASS,
  fail = HI_STATUS_FAIL,
  warn = HI_STATUS_WARN,
  skip = HI_STATUS_SKIP
};

inline const char *to_string(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::warn: return "warn";
    case Status::skip: return "skip";
  }
  return "skip";
}

// What a probe decided about one signal.
struct Verdict {
  Status status = Status::skip;
  std::string detail;
  std::string fix;
  bool needs_root = false;
};

// A finished command, copied out of the core's memory. Exactly one of these
// holds: not_found (nothing on the tool path), !start_error.empty() (found but
// never started: run() failed, e.g. "exec /usr/sbin/ufw: Exec format error"),
// timed_out, term_signal != 0, or exited() with exit_code.
struct CommandResult {
  bool not_found = false;
  bool timed_out = false;
  int exit_code = -1;
  int term_signal = 0;
  std::string out;
  std::string err;
  uint32_t timeout_ms = 0;  // the limit it ran under
  std::string start_error;  // why it could not be started (hi_host.last_error); "" when it was

  bool exited() const { return !not_found && start_error.empty() && !timed_out && term_signal == 0; }
  bool succeeded() const { return exited() && exit_code == 0; }
};

// At most `max` bytes of tool output for a detail line: first line kept,
// control characters replaced, an ellipsis when cut.
inline std::string quote_output(std::string_view text, std::size_t max = 80) {
  std::string out;
  bool cut = false;
  for (char c : text) {
    if (out.size() >= max) {
      cut = true;
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // Never end inside a UTF-8 sequence.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  if (cut) out += "...";
  return "\"" + out + "\"";
}

inline std::string seconds_text(uint32_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
}

// The outcomes every tool-backed probe treats the same way (SIGNALS.md, general
// rules): tool missing -> skip with the install hint; hung -> skip; present but
// could not be started, or killed by a signal -> warn, as a tool that is there
// but broken says nothing about the host. Returns nothing when the command ran
// to an exit code.
inline std::optional<Verdict> unavailable_tool_verdict(const CommandResult &r,
                                                        const std::string &tool,
                                                        const std::string &install_fix) {
  if (r.not_found) return Verdict{Status::skip, tool + " not installed", install_fix, false};
  if (!r.start_error.empty())
    return Verdict{Status::warn, "could not run " + tool + ": " + r.start_error, "", false};
  if (r.timed_out)
    return Verdict{Status::skip, "timed out after " + seconds_text(r.timeout_ms), "", false};
  if (r.term_signal != 0)
    return Verdict{Status::warn, tool + " killed by signal " + std::to_string(r.term_signal), "",
                   false};
  return std::nullopt;
}

// Why a file could not be read.
struct FileError {
  int code = HI_OK;  // hi_rc
  std::string message;
};

// The host-services table as a C++ object. Cheap to copy; valid during probe().
class Host {
 public:
  explicit Host(const hi_host *host) : host_(host) {}

  // A command that could not be started comes back with start_error set (and
  // exited() false), never as an exit code.
  CommandResult run(const std::vector<std::string> &argv, uint32_t timeout_ms = 0,
                    uint32_t max_output_bytes = 0) const {
    std::vector<const char *> args;
    args.reserve(argv.size() + 1);
    for (const auto &a : argv) args.push_back(a.c_str());
    args.push_back(nullptr);
    hi_command cmd{sizeof(hi_command), args.data(), timeout_ms, max_output_bytes};
    hi_command_result res{};
    res.struct_size = sizeof(res);
    CommandResult r;
    r.timeout_ms = timeout_ms != 0 ? timeout_ms : default_timeout_ms();
    if (host_->run(host_->ctx, &cmd, &res) != HI_OK) {
      const char *why = host_->last_error(host_->ctx);
      r.start_error = why && *why ? why : "the host refused to run it";
      return r;
    }
    r.not_found = res.not_found != 0;
    r.timed_out = res.timed_out != 0;
    r.exit_code = res.exit_code;
    r.term_signal = res.term_signal;
    if (res.stdout_data) r.out.assign(res.stdout_data, res.stdout_len);
    if (res.stderr_data) r.err.assign(res.stderr_data, res.stderr_len);
    return r;
  }

  // The file's contents, or nothing with *error filled in.
  std::optional<std::string> read_file(const std::string &path, uint32_t flags = 0,
                                       std::size_t max_bytes = 0,
                                       FileError *error = nullptr) const {
    hi_file f{};
    f.struct_size = sizeof(f);
    const int rc = host_->read_file(host_->ctx, path.c_str(), flags, max_bytes, &f);
    if (rc != HI_OK) {
      if (error) *error = FileError{rc, host_->last_error(host_->ctx)};
      return std::nullopt;
    }
    return std::string(f.data, f.len);
  }

  std::string resolve_path(const std::string &path) const {
    const char *p = host_->resolve_path(host_->ctx, path.c_str());
    return p ? p : "";
  }

  std::string setting(const char *key) const {
    const char *v = host_->setting(host_->ctx, key);
    return v ? v : "";
  }

  std::optional<std::string> env(const char *name) const {
    const char *v = host_->getenv(host_->ctx, name);
    if (!v) return std::nullopt;
    return std::string(v);
  }

  uint32_t default_timeout_ms() const {
    const std::string t = setting("timeout_ms");
    try {
      return t.empty() ? 4000u : static_cast<uint32_t>(std::stoul(t));
    } catch (const std::exception &) {
      return 4000u;
    }
  }

  void log(hi_log_level level, const std::string &message) const {
    host_->log(host_->ctx, level, message.c_str());
  }

  int report(const char *signal_id, const Verdict &v) const {
    hi_result r{sizeof(hi_result),       signal_id,
                static_cast<int32_t>(v.status), v.detail.c_str(),
                v.fix.c_str(),           v.needs_root ? HI_RESULT_NEEDS_ROOT : 0u};
    return host_->report(host_->ctx, &r);
  }

 private:
  const hi_host *host_;
};

// Runs fn(Host&) and turns any exception into a logged error and a non-zero
// return, so nothing C++ crosses the C boundary.
template <typename Fn>
int guarded_probe(const hi_host *host, Fn &&fn) noexcept {
  try {
    Host h(host);
    std::forward<Fn>(fn)(h);
    return 0;
  } catch (const std::exception &e) {
    host->log(host->ctx, HI_LOG_ERROR, e.what());
  } catch (...) {
    host->log(host->ctx, HI_LOG_ERROR, "probe threw a non-standard exception");
  }
  return 1;
}

}  // namespace hermes_inspect

// Defines the one exported entry point, returning DESC (a static hi_plugin_desc).
#define HI_DEFINE_PLUGIN(DESC)                                                     \
  extern "C" HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) {     \
    return &(DESC);                                                                \
  }

#endif  // HERMES_INSPECT_PROBE_HPP
