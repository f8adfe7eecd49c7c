#include "fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace hi;
using namespace hi::report;
using namespace hi::report::fixtures;
using nlohmann::json;

namespace {

const std::string kReplacement = "\xef\xbf\xbd";

json parsed(const std::string &text) {
  INFO(text);
  auto doc = json::parse(text, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

RenderOptions options() {
  RenderOptions o;
  o.tool_version = "9.8.7";
  return o;
}

Survey survey_with_every_plugin_state() {
  Survey s = mixed_survey();
  s.plugins = plugins_in_every_state();
  return s;
}

// Debian's python3-jsonschema installs for Debian's interpreter, whatever
// python3 comes first on PATH.
constexpr const char *kPython = "/usr/bin/python3";

// Runs the real validator (jsonschema 4.10's CLI: -i INSTANCE SCHEMA) on text.
test::ProcessResult validate(const std::string &text) {
  test::TempDir dir;
  const std::string instance = dir.write("report.json", text);
  return test::run_process({kPython, "-m", "jsonschema", "-i", instance, HI_REPORT_SCHEMA});
}

void require_validator() {
  const auto r = test::run_process({kPython, "-m", "jsonschema", "--version"});
  INFO("python3 -m jsonschema unavailable (install python3-jsonschema): " << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("report json: the CONTRACT.md shape", "[report][json]") {
  const Survey s = survey_with_every_plugin_state();
  const BaselineVerdict b = unsatisfied_verdict();
  const json doc = parsed(render_json(s, b, options()));

  CHECK(doc.at("schema_version") == 1);
  CHECK(doc.at("tool") == json{{"name", "hermes-inspect"}, {"version", "9.8.7"}});
  CHECK(doc.at("host") == json{{"hostname", "vps-1"}, {"root", "/"}});
  CHECK(doc.at("started_at") == "2026-11-29T08:00:00Z");
  CHECK(doc.at("duration_ms") == s.duration_ms);
  CHECK(doc.at("baseline") == "minimal");
  CHECK(doc.at("satisfied") == false);
  CHECK(doc.at("missing") == json(b.missing));
  CHECK(doc.at("baseline_file") == b.file);

  const json &signals = doc.at("signals");
  REQUIRE(signals.size() == s.signals.size());
  for (std::size_t i = 0; i < s.signals.size(); ++i) {
    const SignalResult &r = s.signals[i];
    INFO(r.name);
    CHECK(signals[i].at("name") == r.name);
    CHECK(signals[i].at("status") == to_string(r.status));
    CHECK(signals[i].at("detail") == r.detail);
    CHECK(signals[i].at("fix") == (r.fix ? json(*r.fix) : json(nullptr)));
    CHECK(signals[i].at("plugin") == r.plugin);
    CHECK(signals[i].at("duration_ms") == r.duration_ms);
    CHECK(signals[i].at("needs_root") == r.needs_root);
  }

  const json &plugins = doc.at("plugins");
  REQUIRE(plugins.size() == s.plugins.size());
  for (std::size_t i = 0; i < s.plugins.size(); ++i) {
    const PluginRecord &p = s.plugins[i];
    INFO(p.name);
    CHECK(plugins[i].at("name") == p.name);
    CHECK(plugins[i].at("file") == p.file);
    CHECK(plugins[i].at("version") == p.version);
    CHECK(plugins[i].at("abi") == p.abi);
    CHECK(plugins[i].at("state") == to_string(p.state));
    CHECK(plugins[i].at("error") == (p.error ? json(*p.error) : json(nullptr)));
    CHECK(plugins[i].at("signals").size() == p.signals.size());
  }
  CHECK(plugins[5].at("state") == "timed-out");

  REQUIRE(doc.at("unmet").size() == b.unmet.size());
  CHECK(doc.at("unmet")[0].at("requirement") == b.unmet[0].text);
  CHECK(doc.at("unmet")[0].at("why") == b.unmet[0].why);
  CHECK(doc.at("unmet")[1].at("notes") == json(b.unmet[1].notes));
}

TEST_CASE("report json: started_at is RFC 3339 UTC whatever the time", "[report][json]") {
  Survey s = mixed_survey();
  s.started_at = std::chrono::system_clock::from_time_t(951782400) + std::chrono::milliseconds(999);
  CHECK(parsed(render_json(s, satisfied_verdict(), options())).at("started_at") == "2000-02-29T00:00:00Z");
}

TEST_CASE("report json: hostile strings still make one valid document", "[report][json]") {
  const Survey s = hostile_survey();
  std::string out;
  REQUIRE_NOTHROW(out = render_json(s, hostile_verdict(), options()));
  const json doc = parsed(out);
  const std::string detail = doc.at("signals")[0].at("detail");
  CHECK(detail == doc.at("signals")[0].at("fix"));
  CHECK(detail.find("bad" + kReplacement + " utf8 " + kReplacement + " cut") == 0);
  CHECK(detail.find(std::string("nul") + '\0' + " esc\x1b[31m red \a bell\r\n") != std::string::npos);
  CHECK(detail.find("\"quoted\" back\\slash tab\there \xe2\x9c\x93 ok") != std::string::npos);
  CHECK(detail.find('\xff') == std::string::npos);
  CHECK(doc.at("signals")[1].at("name") == "we\"ird\\name\nx");
  CHECK(doc.at("signals")[2].at("name") == "n\xc3\xa4me-" + kReplacement);
  CHECK(doc.at("host").at("root") == "/srv/\"root\"\n");
  CHECK(doc.at("plugins").back().at("file") == "/opt/plug\"ins\"/cr\\ashy\n.so");
  CHECK(doc.at("baseline") == detail);
  CHECK(doc.at("missing").back() == detail);
  CHECK(doc.at("unmet").back().at("notes").at(0) == detail);
}

TEST_CASE("report json: the schema ships with the build", "[report][json][schema]") {
  CHECK(test::read_text(HI_REPORT_SCHEMA) == test::read_text(HI_REPORT_SCHEMA_SOURCE));
  CHECK(parsed(test::read_text(HI_REPORT_SCHEMA)).at("properties").at("schema_version").at("const") == kSchemaVersion);
}

TEST_CASE("report json: render_json output validates against report.schema.json", "[report][json][schema]") {
  require_validator();
  const auto [name, s, b] = GENERATE(
      std::make_tuple("mixed, satisfied", mixed_survey(), satisfied_verdict()),
      std::make_tuple("every plugin state, unsatisfied", survey_with_every_plugin_state(), unsatisfied_verdict()),
      std::make_tuple("hostile strings", hostile_survey(), hostile_verdict()),
      std::make_tuple("no signals", survey({}), BaselineVerdict{}));
  INFO(name);
  const auto r = validate(render_json(s, b, options()));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("report json: the schema rejects documents that break the contract", "[report][json][schema]") {
  require_validator();
  const json good = parsed(render_json(survey_with_every_plugin_state(), unsatisfied_verdict(), options()));
  REQUIRE(validate(good.dump()).exit_code == 0);

  const auto [what, patch] = GENERATE(
      std::make_pair("unknown status", json{{"op", "replace"}, {"path", "/signals/0/status"}, {"value", "ok"}}),
      std::make_pair("fix neither string nor null", json{{"op", "replace"}, {"path", "/signals/1/fix"}, {"value", 3}}),
      std::make_pair("no satisfied", json{{"op", "remove"}, {"path", "/satisfied"}}),
      std::make_pair("signal without detail", json{{"op", "remove"}, {"path", "/signals/2/detail"}}),
      std::make_pair("renamed signal field", json{{"op", "add"}, {"path", "/signals/0/state"}, {"value", "pass"}}),
      std::make_pair("unknown plugin state", json{{"op", "replace"}, {"path", "/plugins/1/state"}, {"value", "running"}}),
      std::make_pair("timed_out spelt with _", json{{"op", "replace"}, {"path", "/plugins/5/state"}, {"value", "timed_out"}}),
      std::make_pair("schema_version 2", json{{"op", "replace"}, {"path", "/schema_version"}, {"value", 2}}),
      std::make_pair("local time", json{{"op", "replace"}, {"path", "/started_at"}, {"value", "2026-11-29T09:00:00+01:00"}}),
      std::make_pair("missing not a list", json{{"op", "replace"}, {"path", "/missing"}, {"value", "ufw"}}),
      std::make_pair("duplicate missing", json{{"op", "add"}, {"path", "/missing/-"}, {"value", "ufw"}}),
      std::make_pair("needs_root as text", json{{"op", "replace"}, {"path", "/signals/0/needs_root"}, {"value", "no"}}),
      std::make_pair("host without root", json{{"op", "remove"}, {"path", "/host/root"}}));
  INFO(what);
  const json bad = good.patch(json::array({patch}));
  REQUIRE(bad != good);
  const auto r = validate(bad.dump());
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("report jsonl: one valid object per signal per line", "[report][jsonl]") {
  const Survey s = GENERATE(mixed_survey(), hostile_survey());
  const BaselineVerdict b = unsatisfied_verdict();
  const std::string out = render_jsonl(s, b, options());
  REQUIRE_FALSE(out.empty());
  CHECK(out.back() == '\n');
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == s.signals.size());
  const json whole = parsed(render_json(s, b, options()));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    const json line = parsed(lines[i]);
    CHECK(line.at("host") == whole.at("host").at("hostname"));
    CHECK(line.at("timestamp") == "2026-11-29T08:00:00Z");
    CHECK(line.at("baseline") == "minimal");
    CHECK(line.at("satisfied") == false);
    CHECK(line.at("schema_version") == 1);
    for (const char *field : {"name", "status", "detail", "fix", "plugin", "duration_ms", "needs_root"})
      CHECK(line.at(field) == whole.at("signals")[i].at(field));
  }
}

TEST_CASE("report jsonl: no signals, no lines", "[report][jsonl]") {
  CHECK(render_jsonl(survey({}), satisfied_verdict(), options()).empty());
}
