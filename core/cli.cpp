#include "cli.hpp"

#include "baseline.hpp"
#include "discovery.hpp"
#include "process.hpp"
#include "report.hpp"
#include "supervisor.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <hermes_inspect/plugin.h>

#include <algorithm>
#include <climits>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include <langinfo.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace hi {
namespace {

namespace fs = std::filesystem;

constexpr const char *kVersion = HI_VERSION;
// A plugin's deadline is the command timeout plus this, so a probe whose one
// command hangs still reports "timed out" itself before the worker is killed.
constexpr std::chrono::milliseconds kDeadlineMargin{2000};
constexpr const char *kSiteBaselineDir = "/etc/hermes-inspect/baselines";

// Where this executable lives decides where its bundled plugins and baselines
// are: the build tree and every install prefix share one layout.
struct Layout {
  std::string plugin_dir;
  std::string baseline_dir;
};

Layout locate_self() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path prefix = exe.parent_path().parent_path();
  return {(prefix / "lib/hermes-inspect/plugins").string(),
          (prefix / "share/hermes-inspect/baselines").string()};
}

std::string default_hermes_home() {
  if (const char *h = std::getenv("HERMES_HOME"); h && *h) return h;
  const char *home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd *pw = ::getpwuid(::geteuid());
    home = pw ? pw->pw_dir : "/";
  }
  return std::string(home) + "/.hermes";
}

// A relative home is resolved against the working directory here: plugins
// receive it as a setting and must not guess what it was relative to.
std::string absolute_hermes_home(const std::string &flag) {
  const fs::path home = flag.empty() ? default_hermes_home() : flag;
  if (home.is_absolute()) return home.string();
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  return ec ? home.string() : (cwd / home).lexically_normal().string();
}

std::string default_tool_path() {
  const char *path = std::getenv("PATH");
  return std::string(path && *path ? path : "/usr/local/bin:/usr/bin:/bin") +
         ":/usr/local/sbin:/usr/sbin:/sbin";
}

std::string hostname() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string join(const std::vector<std::string> &items, const char *sep) {
  std::string out;
  for (const auto &i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// Flags shared by every subcommand that loads plugins.
struct PluginFlags {
  std::vector<std::string> plugins_dirs;
  std::vector<std::string> baselines_dirs;
  std::string root = "/";
  std::string hermes_home;
  std::string tool_path;
  double timeout_seconds = 4;
  unsigned jobs = 0;
  bool allow_untrusted = false;
  bool verbose = false;

  void declare(CLI::App &app) {
    app.add_option("--plugins-dir", plugins_dirs, "Search DIR for plugins before the default dirs (repeatable)");
    app.add_option("--baselines-dir", baselines_dirs, "Search DIR for baselines before the default dirs (repeatable)");
    app.add_option("--root", root, "Read configuration files under DIR (default /)");
    app.add_option("--hermes-home", hermes_home, "Hermes home (default: $HERMES_HOME, else ~/.hermes)");
    app.add_option("--tool-path", tool_path,
                   "Where probed tools are looked up, DIR[:DIR...] (default: $PATH then /usr/local/sbin:/usr/sbin:/sbin)");
    app.add_option("--timeout", timeout_seconds, "Seconds each external command may take (default 4)")
        ->check(CLI::Range(0.05, 3600.0));
    app.add_option("--jobs", jobs, "Plugins probed at once (default: all)")->check(CLI::Range(1u, 4096u));
    app.add_flag("--allow-untrusted-plugins", allow_untrusted,
                 "Skip the plugin trust check (plugin development only)");
    app.add_flag("--verbose", verbose, "Show plugin diagnostics and timings on stderr");
  }

  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds(static_cast<int64_t>(std::llround(timeout_seconds * 1000)));
  }
};

struct Inventory {
  std::vector<PluginCandidate> candidates;
  std::vector<PluginRun> runs;
  std::optional<int> interrupted_by;
};

// Every subcommand that loads plugins comes through here, so none can load an
// unchecked plugin without saying so.
void warn_untrusted(const PluginFlags &flags) {
  if (flags.allow_untrusted)
    std::cerr << "hermes-inspect: WARNING: --allow-untrusted-plugins: plugin trust checks are OFF; "
                 "any plugin file found runs as uid "
              << ::geteuid() << ". Use this only while developing a plugin.\n";
}

std::vector<PluginCandidate> discover(const PluginFlags &flags, const Layout &layout) {
  warn_untrusted(flags);
  DiscoveryOptions discovery{plugin_search_path(flags.plugins_dirs, std::getenv("HERMES_INSPECT_PLUGIN_PATH"),
                                                layout.plugin_dir),
                             ::geteuid(), flags.allow_untrusted};
  std::vector<std::string> warnings;
  auto candidates = discover_plugins(discovery, warnings);
  for (const auto &w : warnings) std::cerr << "hermes-inspect: warning: " << w << "\n";
  return candidates;
}

// probe=false only loads each plugin and reads its descriptor.
Inventory run_plugins(std::vector<PluginCandidate> candidates, const PluginFlags &flags, bool probe) {
  Inventory inv;
  inv.candidates = std::move(candidates);
  SupervisorOptions options;
  options.job_template.probe = probe;
  options.job_template.root = flags.root;
  options.job_template.hermes_home = absolute_hermes_home(flags.hermes_home);
  options.job_template.tool_path = flags.tool_path.empty() ? default_tool_path() : flags.tool_path;
  options.job_template.timeout_ms = static_cast<uint32_t>(flags.timeout().count());
  options.job_template.verbose = flags.verbose;
  options.deadline = flags.timeout() + kDeadlineMargin;
  options.jobs = flags.jobs;
  auto result = run_workers(inv.candidates, options);
  inv.runs = std::move(result.runs);
  inv.interrupted_by = result.interrupted_by;
  return inv;
}

Inventory inspect_plugins(const PluginFlags &flags, const Layout &layout, bool probe) {
  return run_plugins(discover(flags, layout), flags, probe);
}

std::vector<std::string> baseline_dirs(const PluginFlags &flags, const Layout &layout) {
  std::vector<std::string> dirs = flags.baselines_dirs;
  dirs.emplace_back(kSiteBaselineDir);
  dirs.push_back(layout.baseline_dir);
  return dirs;
}

std::set<std::string> provided_signals(const std::vector<PluginRun> &runs) {
  std::set<std::string> ids;
  for (const auto &r : runs)
    for (const auto &s : r.record.signals) ids.insert(s.id);
  return ids;
}

void print_verbose(const std::vector<PluginRun> &runs) {
  for (const auto &r : runs) {
    std::cerr << "[" << r.record.name << "] " << to_string(r.record.state) << " in " << r.record.duration_ms
              << " ms (" << r.record.file << ")";
    if (r.record.error) std::cerr << ": " << *r.record.error;
    std::cerr << "\n";
    for (const auto &d : r.record.diagnostics) std::cerr << "[" << r.record.name << "]   " << d << "\n";
    for (const auto &s : r.results)
      std::cerr << "[" << r.record.name << "]   " << s.name << ": " << to_string(s.status) << " after "
                << s.duration_ms << " ms\n";
  }
}

bool utf8_locale() {
  std::setlocale(LC_CTYPE, "");
  const char *codeset = ::nl_langinfo(CODESET);
  return codeset && std::string(codeset) == "UTF-8";
}

int terminal_width() {
  winsize ws{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

int exit_for_interrupt(int sig) {
  std::cerr << "hermes-inspect: interrupted (" << signal_name(sig)
            << "); every probe was stopped and nothing was written\n";
  return 128 + sig;
}

// ---- run ---------------------------------------------------------------

struct RunFlags {
  PluginFlags plugins;
  std::string baseline = "minimal";
  std::string format = "table";
  bool json = false;
  bool all = false;
  std::string output;
  std::vector<std::string> only;
  bool strict = false;
  bool no_color = false;
};

// --only: describe every plugin, then keep for probing only those providing a
// named signal, plus those that could not be loaded, so no problem disappears.
// The signals of the plugins left out go to left_out, so the report can say
// they were not surveyed rather than that no plugin provides them.
std::optional<int> select_only(const std::vector<std::string> &only, const PluginFlags &flags,
                               std::vector<PluginCandidate> &candidates, AbsentSignals &left_out) {
  Inventory described = run_plugins(std::move(candidates), flags, false);
  if (described.interrupted_by) return exit_for_interrupt(*described.interrupted_by);
  const auto known = provided_signals(described.runs);
  for (const auto &name : only) {
    if (!known.count(name)) {
      std::cerr << "hermes-inspect: unknown signal '" << name << "' in --only (known: "
                << join(std::vector<std::string>(known.begin(), known.end()), ", ") << ")\n";
      return 2;
    }
  }
  candidates.clear();
  for (std::size_t i = 0; i < described.candidates.size(); ++i) {
    const auto &record = described.runs[i].record;
    const bool wanted = std::any_of(record.signals.begin(), record.signals.end(), [&](const SignalInfo &s) {
      return std::find(only.begin(), only.end(), s.id) != only.end();
    });
    if (wanted || record.state != PluginState::ok) {
      candidates.push_back(std::move(described.candidates[i]));
      continue;
    }
    for (const auto &s : record.signals) left_out.emplace(s.id, s.id + " not surveyed (--only)");
  }
  return std::nullopt;
}

int cmd_run(RunFlags &f, const Layout &layout) {
  if (f.json) f.format = "json";
  const BaselineCatalog catalog(baseline_dirs(f.plugins, layout));
  auto baseline = catalog.load(f.baseline);
  if (!baseline) {
    std::cerr << "hermes-inspect: " << baseline.error() << "\n";
    return 2;
  }

  Survey survey;
  survey.hostname = hostname();
  survey.root = f.plugins.root;
  survey.started_at = std::chrono::system_clock::now();
  const auto started = std::chrono::steady_clock::now();

  auto candidates = discover(f.plugins, layout);
  AbsentSignals left_out;
  if (!f.only.empty())
    if (auto code = select_only(f.only, f.plugins, candidates, left_out)) return *code;
  Inventory inv = run_plugins(std::move(candidates), f.plugins, true);
  if (inv.interrupted_by) return exit_for_interrupt(*inv.interrupted_by);
  if (f.plugins.verbose) print_verbose(inv.runs);

  survey.signals = collect_signals(inv.runs);
  for (auto &r : inv.runs) survey.plugins.push_back(std::move(r.record));
  survey.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  const BaselineVerdict verdict = evaluate(*baseline, survey.signals, left_out);

  report::RenderOptions ro;
  ro.all = f.all;
  ro.utf8 = utf8_locale();
  ro.color = !f.no_color && !std::getenv("NO_COLOR") && f.output.empty() && ::isatty(STDOUT_FILENO);
  ro.width = terminal_width();
  ro.tool_version = kVersion;
  std::string text;
  if (f.format == "json") text = report::render_json(survey, verdict, ro);
  else if (f.format == "jsonl") text = report::render_jsonl(survey, verdict, ro);
  else if (f.format == "prometheus") text = report::render_prometheus(survey, verdict, ro);
  else text = report::render_table(survey, verdict, ro);

  if (auto sig = TerminationSignalBlock::pending()) return exit_for_interrupt(*sig);
  if (!f.output.empty()) {
    if (auto st = report::write_atomically(f.output, text); !st) {
      std::cerr << "hermes-inspect: " << st.message() << "\n";
      return 2;
    }
  } else {
    std::cout << text << std::flush;
  }
  return f.strict && !verdict.satisfied ? 1 : 0;
}

// ---- list, explain, baselines, baseline check ----------------------------

nlohmann::json plugin_json(const PluginRecord &p) {
  nlohmann::json signals = nlohmann::json::array();
  for (const auto &s : p.signals) signals.push_back(s.id);
  return {{"name", p.name},
          {"file", p.file},
          {"version", p.version},  // "" until loaded, as in `run --json`
          {"abi", p.abi},
          {"state", to_string(p.state)},
          {"error", p.error ? nlohmann::json(*p.error) : nlohmann::json(nullptr)},
          {"signals", signals}};
}

std::string dump(const nlohmann::json &j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int cmd_list(const PluginFlags &flags, bool json, const Layout &layout) {
  Inventory inv = inspect_plugins(flags, layout, false);
  if (inv.interrupted_by) return exit_for_interrupt(*inv.interrupted_by);
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto &r : inv.runs) out.push_back(plugin_json(r.record));
    std::cout << dump({{"plugins", out}});
    return 0;
  }
  for (const auto &r : inv.runs) {
    const auto &p = r.record;
    std::cout << p.name << "  " << to_string(p.state);
    if (!p.version.empty()) std::cout << "  v" << p.version << "  ABI " << p.abi;
    std::cout << "\n  file: " << p.file << "\n";
    if (!p.signals.empty()) {
      std::vector<std::string> ids;
      for (const auto &s : p.signals) ids.push_back(s.id);
      std::cout << "  signals: " << join(ids, ", ") << "\n";
    }
    if (p.error) std::cout << "  problem: " << *p.error << "\n";
  }
  return 0;
}

int cmd_explain(const std::string &signal, const PluginFlags &flags, const Layout &layout) {
  Inventory inv = inspect_plugins(flags, layout, false);
  if (inv.interrupted_by) return exit_for_interrupt(*inv.interrupted_by);
  for (const auto &r : inv.runs) {
    for (const auto &s : r.record.signals) {
      if (s.id != signal) continue;
      std::cout << s.id << (s.title.empty() ? "" : ": " + s.title) << "\n"
                << "  plugin: " << r.record.name << " " << r.record.version << " (" << r.record.file << ")\n\n";
      if (!s.description.empty()) std::cout << "What it checks\n  " << s.description << "\n\n";
      if (!s.rationale.empty()) std::cout << "Why it matters\n  " << s.rationale << "\n\n";
      if (!s.fix_hint.empty()) std::cout << "How to fix\n  " << s.fix_hint << "\n\n";
      std::cout << "Commands it runs (grant these to a monitoring user in sudoers)\n";
      if (s.commands.empty()) std::cout << "  (none: it reads files only)\n";
      std::istringstream lines(s.commands);
      for (std::string line; std::getline(lines, line);)
        if (!line.empty()) std::cout << "  " << line << "\n";
      return 0;
    }
  }
  const auto known = provided_signals(inv.runs);
  std::cerr << "hermes-inspect: unknown signal '" << signal << "' (known: "
            << join(std::vector<std::string>(known.begin(), known.end()), ", ") << ")\n";
  return 2;
}

int cmd_baselines(const PluginFlags &flags, bool json, const Layout &layout) {
  const BaselineCatalog catalog(baseline_dirs(flags, layout));
  const auto entries = catalog.list();
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto &e : entries) out.push_back({{"name", e.name}, {"file", e.file}, {"shadowed", e.shadowed}});
    std::cout << dump({{"baselines", out}});
    return 0;
  }
  for (const auto &e : entries) {
    std::cout << e.name << "  " << e.file << "\n";
    for (const auto &s : e.shadowed) std::cout << "  overrides " << s << "\n";
  }
  return 0;
}

int cmd_baseline_check(const std::vector<std::string> &files, const PluginFlags &flags, const Layout &layout) {
  const BaselineCatalog catalog(baseline_dirs(flags, layout));
  std::optional<std::set<std::string>> provided;
  bool all_valid = true;
  for (const auto &file : files) {
    const auto problems = catalog.check(file);
    for (const auto &p : problems) std::cout << p << "\n";
    if (!problems.empty()) {
      all_valid = false;
      continue;
    }
    auto baseline = catalog.load(file);
    if (!baseline) {
      std::cout << baseline.error() << "\n";
      all_valid = false;
      continue;
    }
    if (!provided) {
      Inventory inv = inspect_plugins(flags, layout, false);
      provided = provided_signals(inv.runs);
    }
    for (const auto &name : required_signals(*baseline))
      if (!provided->count(name))
        std::cout << file << ": warning: no installed plugin provides signal '" << name << "'\n";
    std::cout << file << ": ok\n";
  }
  return all_valid ? 0 : 1;
}

}  // namespace

int run_cli(int argc, char **argv) {
  // Held until exit: an interruption is handled, never a half-done survey or report.
  const TerminationSignalBlock blocked;
  const Layout layout = locate_self();
  CLI::App app{"hermes-inspect: is this host's perimeter locked down?", "hermes-inspect"};
  app.set_version_flag("--version", std::string("hermes-inspect ") + kVersion + " (plugin ABI " +
                                        std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR) + ")");
  app.require_subcommand(1);

  RunFlags run;
  auto *run_cmd = app.add_subcommand("run", "Survey the host, evaluate one baseline, report");
  run.plugins.declare(*run_cmd);
  run_cmd->add_option("--baseline", run.baseline, "Baseline NAME or FILE.yaml (default: minimal)");
  run_cmd->add_option("--format", run.format, "table|json|jsonl|prometheus (default: table)")
      ->check(CLI::IsMember({"table", "json", "jsonl", "prometheus"}));
  run_cmd->add_flag("--json", run.json, "Same as --format json");
  run_cmd->add_flag("--all", run.all, "Table: show passing signals too");
  run_cmd->add_option("--output", run.output, "Write the report to FILE atomically");
  run_cmd->add_option("--only", run.only, "Run only the plugins providing these signals")->delimiter(',');
  run_cmd->add_flag("--strict", run.strict, "Exit 1 when the baseline is not satisfied");
  run_cmd->add_flag("--no-color", run.no_color, "No colour (also: NO_COLOR set, or not a terminal)");

  PluginFlags list_flags;
  bool list_json = false;
  auto *list_cmd = app.add_subcommand("list", "Plugins found: file, name, version, ABI, signals, problems");
  list_flags.declare(*list_cmd);
  list_cmd->add_flag("--json", list_json, "JSON output");

  PluginFlags baselines_flags;
  bool baselines_json = false;
  auto *baselines_cmd = app.add_subcommand("baselines", "Baselines found, with the file each comes from");
  baselines_flags.declare(*baselines_cmd);
  baselines_cmd->add_flag("--json", baselines_json, "JSON output");

  PluginFlags check_flags;
  std::vector<std::string> check_files;
  auto *baseline_cmd = app.add_subcommand("baseline", "Work with baseline files");
  baseline_cmd->require_subcommand(1);
  auto *check_cmd = baseline_cmd->add_subcommand("check", "Validate baseline YAML (errors as FILE:LINE:COL: message)");
  check_flags.declare(*check_cmd);
  check_cmd->add_option("FILE", check_files, "Baseline files")->required();

  PluginFlags explain_flags;
  std::string explain_signal;
  auto *explain_cmd = app.add_subcommand("explain", "What a signal checks, why, the fix, the commands it runs");
  explain_flags.declare(*explain_cmd);
  explain_cmd->add_option("SIGNAL", explain_signal, "Signal name")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return 2;
  }

  if (*run_cmd) return cmd_run(run, layout);
  if (*list_cmd) return cmd_list(list_flags, list_json, layout);
  if (*baselines_cmd) return cmd_baselines(baselines_flags, baselines_json, layout);
  if (*check_cmd) return cmd_baseline_check(check_files, check_flags, layout);
  if (*explain_cmd) return cmd_explain(explain_signal, explain_flags, layout);
  return 2;
}

}  // namespace hi
