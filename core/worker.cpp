#include "worker.hpp"

#include "abi_struct.hpp"
#include "command_runner.hpp"
#include "kept_strings.hpp"
#include "loader.hpp"
#include "protocol.hpp"
#include "root_fs.hpp"
#include "report/text.hpp"

#include <hermes_inspect/plugin.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>
#include <variant>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace hi {
namespace {

constexpr std::size_t kDefaultMaxOutput = 1 << 20;
constexpr std::size_t kDefaultMaxFile = 1 << 20;
constexpr std::size_t kMaxReportText = 1000;
// What one probe can make its worker keep: command output and file contents,
// and the much smaller error messages and resolved paths, each on its own
// budget so a flood of one cannot starve the other.
constexpr std::size_t kDataBudget = std::size_t{512} << 20;
constexpr std::size_t kMessageBudget = std::size_t{16} << 20;
// Static storage, so it too outlives the probe.
constexpr const char *kMessagesSpent = "too many error messages in this probe to keep another";
// The result structs a plugin hands in to be filled, as long as ABI 1.0 lays
// them out: a plugin of any 1.x minor has at least these, so later minors that
// append fields must not raise these minimums.
constexpr std::size_t kCommandResultMin = offsetof(hi_command_result, elapsed_ms) + sizeof(uint32_t);
constexpr std::size_t kFileMin = offsetof(hi_file, len) + sizeof(size_t);
constexpr const char *kSystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A plugin that allocates without bound fails its own allocations instead of
// pressing the host. ASan reserves terabytes of shadow, so it keeps its own cap.
void limit_address_space() {
  if (kAddressSanitizer) return;
  rlimit lim{};
  if (::getrlimit(RLIMIT_AS, &lim) != 0) return;
  constexpr rlim_t cap = rlim_t{4} << 30;
  if (lim.rlim_max == RLIM_INFINITY || lim.rlim_max > cap) {
    lim.rlim_cur = cap;
    ::setrlimit(RLIMIT_AS, &lim);
  }
}

void send(const nlohmann::json &message) {
  const std::string line = protocol::encode(message);
  std::size_t off = 0;
  while (off < line.size()) {
    const ssize_t n = ::write(kWorkerResultFd, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(3);  // the parent is gone
    off += static_cast<std::size_t>(n);
  }
}

// Where to cut text to at most max bytes without splitting a UTF-8 sequence.
std::size_t utf8_cut(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text.size();
  std::size_t cut = max;
  for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++back) --cut;
  return cut;
}

// Plugin text (detail, fix, log lines, ids in messages) as one bounded line of
// valid UTF-8 without C0, C1, line-separator or bidi controls.
std::string one_line(const char *s) {
  const std::string_view text = s ? s : "";
  return report::terminal_safe(text.substr(0, utf8_cut(text, kMaxReportText)), false);
}

class WorkerHost {
 public:
  WorkerHost(const WorkerJob &job, const PluginDescriptor &plugin)
      : job_(job),
        fs_(job.root),
        tool_dirs_(split_path_list(job.tool_path)),
        timeout_text_(std::to_string(job.timeout_ms)) {
    for (const auto &s : plugin.signals) declared_.insert(s.id);
    const char *home = std::getenv("HOME");
    env_ = {"PATH=" + (job.tool_path.empty() ? "" : job.tool_path + ":") + kSystemPath,
            std::string("HOME=") + (home && *home ? home : "/"), "LANG=C", "LC_ALL=C"};
    table_ = hi_host{sizeof(hi_host), HI_ABI_MAJOR, HI_ABI_MINOR, this, &run, &read_file,
                     &resolve_path, &setting, &get_env, &log, &report, &last_error};
  }

  const hi_host *table() const { return &table_; }

 private:
  static WorkerHost &self(void *ctx) { return *static_cast<WorkerHost *>(ctx); }

  // Every message handed out stays readable until probe() returns, so a
  // plugin may compare or report an earlier one after later failures.
  int fail(int rc, std::string why) {
    if (why != last_error_) {
      const char *kept = messages_.keep(std::move(why));
      last_error_ = kept ? kept : kMessagesSpent;
    }
    return rc;
  }

  // A copy of data for the plugin, or nullptr (last_error set) past the budget.
  const char *keep_data(std::string data) {
    const char *kept = data_.keep(std::move(data));
    if (!kept)
      fail(HI_ERR_IO, "this probe has already been handed " + std::to_string(data_.used() >> 20) +
                          " MiB of command output and file contents; no more");
    return kept;
  }

  static int run(void *ctx, const hi_command *cmd, hi_command_result *out) {
    auto &h = self(ctx);
    if (auto problem = abi_struct_problem(cmd, offsetof(hi_command, timeout_ms), "hi_command"))
      return h.fail(HI_ERR_INVALID, "run: " + *problem);
    if (auto problem = abi_struct_problem(out, kCommandResultMin, "hi_command_result"))
      return h.fail(HI_ERR_INVALID, "run: " + *problem);
    const hi_command c = read_abi_struct(cmd);
    if (!c.argv || !c.argv[0]) return h.fail(HI_ERR_INVALID, "run: argv is NULL or empty");
    std::vector<std::string> argv;
    for (auto p = c.argv; *p && argv.size() < 4096; ++p) argv.emplace_back(*p);
    hi_command_result r{};
    const auto exe = find_executable(argv[0], h.tool_dirs_);
    if (!exe) {
      r.not_found = 1;
      r.exit_code = 127;
      r.stdout_data = r.stderr_data = "";
      write_abi_struct(out, r);
      return HI_OK;
    }
    CommandSpec spec;
    spec.argv = argv;
    spec.argv[0] = *exe;
    spec.env = h.env_;
    spec.timeout = std::chrono::milliseconds(c.timeout_ms ? c.timeout_ms : h.job_.timeout_ms);
    spec.max_output = c.max_output_bytes ? c.max_output_bytes : kDefaultMaxOutput;
    spec.on_started = [](pid_t pgid) { send({{"type", "command_group"}, {"pgid", pgid}}); };
    CommandOutcome o = run_command(spec);
    if (o.spawn_error) return h.fail(HI_ERR_IO, *o.spawn_error);
    r.exit_code = o.exit_code;
    r.term_signal = o.term_signal;
    r.timed_out = o.timed_out ? 1 : 0;
    r.stdout_truncated = o.out_truncated ? 1 : 0;
    r.stderr_truncated = o.err_truncated ? 1 : 0;
    r.stdout_len = o.out.size();
    r.stderr_len = o.err.size();
    r.stdout_data = h.keep_data(std::move(o.out));
    r.stderr_data = h.keep_data(std::move(o.err));
    if (!r.stdout_data || !r.stderr_data) return HI_ERR_IO;
    r.elapsed_ms = static_cast<uint32_t>(o.elapsed.count());
    write_abi_struct(out, r);
    return HI_OK;
  }

  static int read_file(void *ctx, const char *path, uint32_t flags, size_t max_bytes, hi_file *out) {
    auto &h = self(ctx);
    if (!path) return h.fail(HI_ERR_INVALID, "read_file: path is NULL");
    if (auto problem = abi_struct_problem(out, kFileMin, "hi_file"))
      return h.fail(HI_ERR_INVALID, "read_file: " + *problem);
    FileRead f = h.fs_.read(path, (flags & HI_READ_NOFOLLOW) != 0, (flags & HI_READ_HOST_PATH) == 0,
                            max_bytes ? max_bytes : kDefaultMaxFile);
    if (f.rc != HI_OK) return h.fail(f.rc, f.error);
    hi_file r{};
    r.len = f.data.size();
    r.data = h.keep_data(std::move(f.data));
    if (!r.data) return HI_ERR_IO;
    write_abi_struct(out, r);
    return HI_OK;
  }

  static const char *resolve_path(void *ctx, const char *path) {
    auto &h = self(ctx);
    if (!path) return nullptr;
    std::string resolved = h.fs_.resolve(path);
    if (resolved.empty()) return nullptr;
    const char *kept = h.messages_.keep(std::move(resolved));
    if (!kept) h.fail(HI_ERR_IO, kMessagesSpent);
    return kept;
  }

  static const char *setting(void *ctx, const char *key) {
    auto &h = self(ctx);
    if (!key) return nullptr;
    const std::string k = key;
    if (k == "root") return h.fs_.root().c_str();
    if (k == "hermes_home") return h.job_.hermes_home.c_str();
    if (k == "timeout_ms") return h.timeout_text_.c_str();
    if (k == "tool_path") return h.job_.tool_path.c_str();
    if (k == "verbose") return h.job_.verbose ? "1" : "0";
    return nullptr;
  }

  static const char *get_env(void *, const char *name) { return name ? std::getenv(name) : nullptr; }

  static void log(void *ctx, int32_t level, const char *message) {
    auto &h = self(ctx);
    if (h.logs_sent_ >= protocol::kMaxLogLines) return;
    ++h.logs_sent_;
    send({{"type", "log"}, {"level", level}, {"message", one_line(message)}});
  }

  static int report(void *ctx, const hi_result *result) {
    auto &h = self(ctx);
    if (auto problem = abi_struct_problem(result, offsetof(hi_result, detail), "hi_result")) {
      // A refused report leaves its signal unreported; say why where the user looks.
      send({{"type", "plugin_error"}, {"message", "report refused: " + *problem}});
      return h.fail(HI_ERR_INVALID, "report: " + *problem);
    }
    const hi_result r = read_abi_struct(result);
    if (!r.signal_id) return h.fail(HI_ERR_INVALID, "report: signal_id is NULL");
    const std::string id = one_line(r.signal_id);
    if (!h.declared_.count(id)) {
      send({{"type", "plugin_error"}, {"message", "reported undeclared signal \"" + id.substr(0, 80) + "\""}});
      return h.fail(HI_ERR_UNDECLARED, "signal " + id + " is not declared");
    }
    if (r.status < HI_STATUS_PASS || r.status > HI_STATUS_SKIP) {
      send({{"type", "plugin_error"}, {"message", "reported status " + std::to_string(r.status) + " for " + id}});
      return h.fail(HI_ERR_INVALID, "status out of range");
    }
    if (!h.reported_.insert(id).second) return HI_OK;  // the first report stands
    static constexpr const char *names[] = {"pass", "fail", "warn", "skip"};
    const auto elapsed = std::chrono::steady_clock::now() - h.start_;
    send({{"type", "result"},
          {"signal", id},
          {"status", names[r.status]},
          {"detail", one_line(r.detail)},
          {"fix", one_line(r.fix)},
          {"needs_root", (r.flags & HI_RESULT_NEEDS_ROOT) != 0},
          {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()}});
    return HI_OK;
  }

  static const char *last_error(void *ctx) { return self(ctx).last_error_; }

  const WorkerJob &job_;
  RootFs fs_;
  std::vector<std::string> tool_dirs_;
  std::vector<std::string> env_;
  std::string timeout_text_;
  std::set<std::string> declared_;
  std::set<std::string> reported_;
  KeptStrings data_{kDataBudget};
  KeptStrings messages_{kMessageBudget};
  const char *last_error_ = "";
  std::size_t logs_sent_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  hi_host table_{};
};

nlohmann::json describe_message(const PluginDescriptor &d) {
  nlohmann::json signals = nlohmann::json::array();
  for (const auto &s : d.signals)
    signals.push_back({{"id", s.id},
                       {"title", s.title},
                       {"description", s.description},
                       {"rationale", s.rationale},
                       {"fix_hint", s.fix_hint},
                       {"commands", s.commands}});
  return {{"type", "describe"},     {"name", d.name},         {"version", d.version},
          {"abi", d.abi},           {"description", d.description}, {"signals", signals}};
}

}  // namespace

void worker_main(const WorkerJob &job) {
  // Programs the probe runs must not inherit the plugin file or the stream.
  ::fcntl(kWorkerPluginFd, F_SETFD, FD_CLOEXEC);
  ::fcntl(kWorkerResultFd, F_SETFD, FD_CLOEXEC);
  limit_address_space();
  // The library stays loaded until _exit: a worker never dlcloses.
  auto loaded = load_plugin(kWorkerPluginFd, job.file, job.name);
  if (auto *failure = std::get_if<LoadFailure>(&loaded)) {
    send({{"type", "load_failed"}, {"state", to_string(failure->state)}, {"message", failure->message}});
    ::_exit(0);
  }
  const auto &plugin = std::get<LoadedPlugin>(loaded).descriptor;
  send(describe_message(plugin));
  if (!job.probe) ::_exit(0);
  WorkerHost host(job, plugin);
  const int rc = plugin.probe(host.table());
  if (rc != 0) send({{"type", "plugin_error"}, {"message", "probe returned " + std::to_string(rc)}});
  send({{"type", "done"}, {"rc", rc}});
  ::_exit(0);
}

}  // namespace hi
