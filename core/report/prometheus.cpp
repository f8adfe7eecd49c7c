// The Prometheus text exposition format (0.0.4) for node_exporter's textfile
// collector: every metric a gauge, one-hot series so that a status change
// flips values instead of making series appear and vanish.
#include "report.hpp"
#include "text.hpp"

#include <array>
#include <charconv>
#include <set>
#include <utility>

namespace hi::report {
namespace {

using Labels = std::vector<std::pair<std::string_view, std::string>>;

constexpr std::array<SignalStatus, 4> kStatuses{SignalStatus::pass, SignalStatus::warn,
                                                SignalStatus::fail, SignalStatus::skip};
constexpr std::array<PluginState, 7> kStates{PluginState::ok,       PluginState::refused,
                                             PluginState::incompatible, PluginState::invalid,
                                             PluginState::crashed,  PluginState::timed_out,
                                             PluginState::shadowed};

// Label values are UTF-8 with backslash, double quote and newline escaped.
std::string label_value(std::string_view raw) {
  std::string out;
  for (char c : repair_utf8(raw)) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Fixed notation with millisecond precision, independent of the C locale
// (a decimal comma would break the format).
std::string seconds(int64_t milliseconds) {
  char text[64];
  const double value = static_cast<double>(milliseconds) / 1000.0;
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 3).ptr;
  return std::string(text, end);
}

class Exposition {
 public:
  void family(std::string_view name, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" gauge\n");
  }

  void sample(std::string_view name, const Labels &labels, std::string_view value) {
    out_.append(name);
    if (!labels.empty()) {
      out_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out_ += ',';
        out_.append(labels[i].first).append("=\"").append(label_value(labels[i].second)).append("\"");
      }
      out_ += '}';
    }
    out_.append(" ").append(value).append("\n");
  }

  void flag(std::string_view name, const Labels &labels, bool on) { sample(name, labels, on ? "1" : "0"); }

  std::string str() && { return std::move(out_); }

 private:
  std::string out_;
};

// The signals with their first occurrence only: a duplicated series would make
// the whole file unreadable to the collector.
std::vector<const SignalResult *> distinct_signals(const Survey &s) {
  std::set<std::string> seen;
  std::vector<const SignalResult *> out;
  for (const auto &r : s.signals)
    if (seen.insert(r.name).second) out.push_back(&r);
  return out;
}

void signal_metrics(Exposition &e, const std::vector<const SignalResult *> &signals) {
  e.family("hermes_inspect_signal_status",
           "Status of each signal, one-hot over pass, warn, fail and skip.");
  for (const auto *r : signals)
    for (auto st : kStatuses)
      e.flag("hermes_inspect_signal_status", {{"signal", r->name}, {"status", to_string(st)}}, r->status == st);
  e.family("hermes_inspect_signal_needs_root", "1 when the signal could not be fully probed without root.");
  for (const auto *r : signals) e.flag("hermes_inspect_signal_needs_root", {{"signal", r->name}}, r->needs_root);
  e.family("hermes_inspect_signal_duration_seconds", "Time taken to probe the signal.");
  for (const auto *r : signals)
    e.sample("hermes_inspect_signal_duration_seconds", {{"signal", r->name}}, seconds(r->duration_ms));
}

// Every surveyed signal gets a series (1 when the baseline misses it), and so
// does every missing signal that no plugin provides.
void baseline_metrics(Exposition &e, const BaselineVerdict &b,
                      const std::vector<const SignalResult *> &signals) {
  e.family("hermes_inspect_baseline_satisfied", "1 when the evaluated baseline is satisfied.");
  e.flag("hermes_inspect_baseline_satisfied", {{"baseline", b.name}}, b.satisfied);
  e.family("hermes_inspect_baseline_missing",
           "1 when the signal is listed as missing by the baseline, 0 when it is not.");
  const std::set<std::string> missing(b.missing.begin(), b.missing.end());
  std::set<std::string> done;
  for (const auto *r : signals) {
    done.insert(r->name);
    e.flag("hermes_inspect_baseline_missing", {{"baseline", b.name}, {"signal", r->name}}, missing.count(r->name) > 0);
  }
  for (const auto &name : b.missing)
    if (done.insert(name).second)
      e.flag("hermes_inspect_baseline_missing", {{"baseline", b.name}, {"signal", name}}, true);
}

// Plugins are told apart by file too: a shadowed plugin shares its name with
// the one that shadows it.
void plugin_metrics(Exposition &e, const Survey &s) {
  e.family("hermes_inspect_plugin_state",
           "State of each plugin file, one-hot over ok, refused, incompatible, invalid, crashed, "
           "timed-out and shadowed.");
  std::set<std::string> seen;
  for (const auto &p : s.plugins) {
    if (!seen.insert(p.file).second) continue;
    for (auto st : kStates)
      e.flag("hermes_inspect_plugin_state", {{"plugin", p.name}, {"file", p.file}, {"state", to_string(st)}},
             p.state == st);
  }
}

}  // namespace

std::string render_prometheus(const Survey &s, const BaselineVerdict &b, const RenderOptions &o) {
  Exposition e;
  e.family("hermes_inspect_info", "The inspector that wrote these metrics; always 1.");
  e.sample("hermes_inspect_info", {{"version", o.tool_version}}, "1");
  const auto signals = distinct_signals(s);
  signal_metrics(e, signals);
  baseline_metrics(e, b, signals);
  plugin_metrics(e, s);
  const auto started_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.started_at.time_since_epoch()).count();
  e.family("hermes_inspect_last_run_timestamp_seconds", "When the last survey started, in seconds since the epoch.");
  e.sample("hermes_inspect_last_run_timestamp_seconds", {}, seconds(started_ms));
  e.family("hermes_inspect_run_duration_seconds", "Time taken by the last survey.");
  e.sample("hermes_inspect_run_duration_seconds", {}, seconds(s.duration_ms));
  return std::move(e).str();
}

}  // namespace hi::report
