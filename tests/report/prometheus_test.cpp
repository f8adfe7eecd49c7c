#include "fixtures.hpp"

#include <algorithm>
#include <set>

using namespace hi;
using namespace hi::report;
using namespace hi::report::fixtures;

namespace {

// promtool check metrics reads the exposition on stdin; the runner gives
// commands /dev/null, so a shell redirects the file.
test::ProcessResult promtool_check(const std::string &exposition) {
  const std::string promtool = test::require_tool("promtool", "prometheus");
  test::TempDir dir;
  const std::string file = dir.write("metrics.prom", exposition);
  return test::run_process({"/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool, file});
}

struct Sample {
  std::string name, labels, value;
};

// Sample lines split into name, {labels} (or "") and value.
std::vector<Sample> samples_of(const std::string &exposition) {
  std::vector<Sample> out;
  for (const auto &line : lines_of(exposition)) {
    if (line.rfind("#", 0) == 0) continue;
    INFO(line);
    const auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    const std::string head = line.substr(0, space);
    const auto brace = head.find('{');
    if (brace != std::string::npos) REQUIRE(head.back() == '}');
    out.push_back({head.substr(0, brace), brace == std::string::npos ? "" : head.substr(brace),
                   line.substr(space + 1)});
  }
  return out;
}

std::string value_of(const std::vector<Sample> &samples, const std::string &name, const std::string &labels) {
  for (const auto &s : samples)
    if (s.name == name && s.labels == labels) return s.value;
  return "";
}

Survey survey_with_every_plugin_state() {
  Survey s = mixed_survey();
  s.plugins = plugins_in_every_state();
  return s;
}

}  // namespace

TEST_CASE("report prometheus: promtool accepts the output, tricky labels included", "[report][prometheus]") {
  const auto [what, s, b] =
      GENERATE(std::make_tuple("mixed", mixed_survey(), satisfied_verdict()),
               std::make_tuple("every plugin state", survey_with_every_plugin_state(), unsatisfied_verdict()),
               std::make_tuple("hostile strings", hostile_survey(), hostile_verdict()),
               std::make_tuple("no signals", survey({}), BaselineVerdict{}));
  INFO(what);
  const std::string out = render_prometheus(s, b, RenderOptions{});
  const auto r = promtool_check(out);
  INFO(out << "\npromtool: " << r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("report prometheus: promtool does reject a broken exposition", "[report][prometheus]") {
  const std::string good = render_prometheus(mixed_survey(), satisfied_verdict(), RenderOptions{});
  REQUIRE(promtool_check(good).exit_code == 0);
  const auto broken = GENERATE(as<std::string>{}, "hermes_inspect_signal_status{signal=\"a\"b\",status=\"pass\"} 1\n",
                               "hermes_inspect_signal_status{signal=\"a\nb\",status=\"pass\"} 1\n",
                               "hermes_inspect_run_duration_seconds 0,141\n");
  const auto r = promtool_check(good + broken);
  INFO(broken << "\npromtool: " << r.out << r.err);
  CHECK(r.exit_code != 0);
}

TEST_CASE("report prometheus: every metric has HELP and TYPE before its samples", "[report][prometheus]") {
  const std::string out = render_prometheus(survey_with_every_plugin_state(), unsatisfied_verdict(), RenderOptions{});
  std::set<std::string> help, type;
  for (const auto &line : lines_of(out)) {
    std::istringstream words(line);
    std::string first, second, name, kind;
    words >> first;
    if (first == "#") {
      words >> second >> name >> kind;
      (second == "HELP" ? help : type).insert(name);
      if (second == "TYPE") CHECK(kind == "gauge");
      continue;
    }
    const std::string metric = first.substr(0, first.find('{'));
    INFO(line);
    CHECK(help.count(metric) == 1);
    CHECK(type.count(metric) == 1);
  }
  for (const char *family : {"hermes_inspect_signal_status", "hermes_inspect_signal_needs_root",
                             "hermes_inspect_signal_duration_seconds", "hermes_inspect_baseline_satisfied",
                             "hermes_inspect_baseline_missing", "hermes_inspect_last_run_timestamp_seconds",
                             "hermes_inspect_run_duration_seconds", "hermes_inspect_plugin_state"})
    CHECK(type.count(family) == 1);
}

TEST_CASE("report prometheus: signal status is one-hot over the four statuses", "[report][prometheus]") {
  Survey s = mixed_survey();
  s.signals[0].needs_root = true;
  s.signals[3].duration_ms = 2500;
  const auto samples = samples_of(render_prometheus(s, satisfied_verdict(), RenderOptions{}));
  for (const auto &r : s.signals) {
    INFO(r.name);
    for (const char *st : {"pass", "warn", "fail", "skip"}) {
      const std::string v = value_of(samples, "hermes_inspect_signal_status",
                                     "{signal=\"" + r.name + "\",status=\"" + st + "\"}");
      CHECK(v == (to_string(r.status) == std::string(st) ? "1" : "0"));
    }
    CHECK(value_of(samples, "hermes_inspect_signal_needs_root", "{signal=\"" + r.name + "\"}") ==
          (r.needs_root ? "1" : "0"));
  }
  CHECK(value_of(samples, "hermes_inspect_signal_duration_seconds", "{signal=\"nftables\"}") == "2.500");
  CHECK(value_of(samples, "hermes_inspect_signal_duration_seconds", "{signal=\"ufw\"}") == "0.120");
}

TEST_CASE("report prometheus: label values are escaped", "[report][prometheus]") {
  const std::string out = render_prometheus(hostile_survey(), unsatisfied_verdict(), RenderOptions{});
  CHECK(out.find("{signal=\"we\\\"ird\\\\name\\nx\",status=\"fail\"} 1\n") != std::string::npos);
  CHECK(out.find("{signal=\"n\xc3\xa4me-\xef\xbf\xbd\",status=\"skip\"} 1\n") != std::string::npos);
  CHECK(out.find("file=\"/opt/plug\\\"ins\\\"/cr\\\\ashy\\n.so\"") != std::string::npos);
  CHECK(out.find('\xff') == std::string::npos);
}

TEST_CASE("report prometheus: baseline satisfaction and what it misses", "[report][prometheus]") {
  const Survey s = mixed_survey();
  const BaselineVerdict unmet = unsatisfied_verdict();
  const auto samples = samples_of(render_prometheus(s, unmet, RenderOptions{}));
  CHECK(value_of(samples, "hermes_inspect_baseline_satisfied", "{baseline=\"minimal\"}") == "0");
  for (const auto &r : s.signals) {
    INFO(r.name);
    const bool missing = std::find(unmet.missing.begin(), unmet.missing.end(), r.name) != unmet.missing.end();
    CHECK(value_of(samples, "hermes_inspect_baseline_missing",
                   "{baseline=\"minimal\",signal=\"" + r.name + "\"}") == (missing ? "1" : "0"));
  }

  // A missing signal no plugin provides has its series too, once.
  Survey without = s;
  without.signals.erase(without.signals.begin() + 7);  // iron-proxy-enabled
  const auto fewer = samples_of(render_prometheus(without, unmet, RenderOptions{}));
  CHECK(std::count_if(fewer.begin(), fewer.end(), [](const Sample &x) {
          return x.name == "hermes_inspect_baseline_missing" &&
                 x.labels == "{baseline=\"minimal\",signal=\"iron-proxy-enabled\"}" && x.value == "1";
        }) == 1);

  const auto met = samples_of(render_prometheus(s, satisfied_verdict(), RenderOptions{}));
  CHECK(value_of(met, "hermes_inspect_baseline_satisfied", "{baseline=\"minimal\"}") == "1");
  for (const auto &x : met)
    if (x.name == "hermes_inspect_baseline_missing") CHECK(x.value == "0");
}

TEST_CASE("report prometheus: plugin state is one-hot per plugin file", "[report][prometheus]") {
  const Survey s = survey_with_every_plugin_state();
  const auto samples = samples_of(render_prometheus(s, satisfied_verdict(), RenderOptions{}));
  for (const auto &p : s.plugins) {
    INFO(p.file);
    int ones = 0;
    for (const char *st : {"ok", "refused", "incompatible", "invalid", "crashed", "timed-out", "shadowed"}) {
      const std::string v = value_of(samples, "hermes_inspect_plugin_state",
                                     "{plugin=\"" + p.name + "\",file=\"" + p.file + "\",state=\"" + st + "\"}");
      CHECK(v == (to_string(p.state) == std::string(st) ? "1" : "0"));
      ones += v == "1";
    }
    CHECK(ones == 1);
  }
}

TEST_CASE("report prometheus: run time and duration", "[report][prometheus]") {
  Survey s = mixed_survey();
  s.started_at += std::chrono::milliseconds(250);
  s.duration_ms = 1141;
  const auto samples = samples_of(render_prometheus(s, satisfied_verdict(), RenderOptions{}));
  CHECK(value_of(samples, "hermes_inspect_last_run_timestamp_seconds", "") ==
        std::to_string(kStartedAt) + ".250");
  CHECK(value_of(samples, "hermes_inspect_run_duration_seconds", "") == "1.141");
}

TEST_CASE("report prometheus: a signal listed twice yields one series", "[report][prometheus]") {
  Survey s = mixed_survey();
  s.signals.push_back(s.signals[1]);
  const auto samples = samples_of(render_prometheus(s, satisfied_verdict(), RenderOptions{}));
  CHECK(std::count_if(samples.begin(), samples.end(), [](const Sample &x) {
          return x.name == "hermes_inspect_signal_status" && x.labels == "{signal=\"ufw\",status=\"fail\"}";
        }) == 1);
}
