// The JSON report (CONTRACT.md "JSON", schema_version 1) and its one-line-per-
// signal form for log shippers.
#include "report.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

namespace hi::report {
namespace {

// Keys keep the order CONTRACT.md shows, for people reading the document.
using Json = nlohmann::ordered_json;

// Never throws on a plugin's bytes: invalid UTF-8 becomes U+FFFD.
std::string dump(const Json &doc, int indent) {
  return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

template <typename T>
Json or_null(const std::optional<T> &value) {
  return value ? Json(*value) : Json(nullptr);
}

// RFC 3339 in UTC, to the second: "2026-11-29T08:00:00Z".
std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, n);
}

void add_signal_fields(Json &j, const SignalResult &r) {
  j["name"] = r.name;
  j["status"] = to_string(r.status);
  j["detail"] = r.detail;
  j["fix"] = or_null(r.fix);
  j["plugin"] = r.plugin;
  j["duration_ms"] = r.duration_ms;
  j["needs_root"] = r.needs_root;
}

Json signal_json(const SignalResult &r) {
  Json j = Json::object();
  add_signal_fields(j, r);
  return j;
}

Json plugin_json(const PluginRecord &p) {
  Json signals = Json::array();
  for (const auto &info : p.signals) signals.push_back(info.id);
  return Json{{"name", p.name},          {"file", p.file},         {"version", p.version},
              {"abi", p.abi},            {"state", to_string(p.state)}, {"error", or_null(p.error)},
              {"signals", signals},      {"duration_ms", p.duration_ms}};
}

Json unmet_json(const UnmetRequirement &u) {
  return Json{{"requirement", u.text}, {"why", u.why}, {"notes", u.notes}};
}

Json document(const Survey &s, const BaselineVerdict &b, const RenderOptions &o) {
  Json doc = Json::object();
  doc["schema_version"] = kSchemaVersion;
  doc["tool"] = Json{{"name", "hermes-inspect"}, {"version", o.tool_version}};
  doc["host"] = Json{{"hostname", s.hostname}, {"root", s.root}};
  doc["started_at"] = rfc3339_utc(s.started_at);
  doc["duration_ms"] = s.duration_ms;
  doc["signals"] = Json::array();
  for (const auto &r : s.signals) doc["signals"].push_back(signal_json(r));
  doc["baseline"] = b.name;
  doc["satisfied"] = b.satisfied;
  doc["missing"] = b.missing;
  doc["baseline_file"] = b.file;
  doc["unmet"] = Json::array();
  for (const auto &u : b.unmet) doc["unmet"].push_back(unmet_json(u));
  doc["plugins"] = Json::array();
  for (const auto &p : s.plugins) doc["plugins"].push_back(plugin_json(p));
  return doc;
}

}  // namespace

std::string render_json(const Survey &s, const BaselineVerdict &b, const RenderOptions &o) {
  return dump(document(s, b, o), 2) + "\n";
}

std::string render_jsonl(const Survey &s, const BaselineVerdict &b, const RenderOptions &o) {
  const std::string started_at = rfc3339_utc(s.started_at);
  std::string out;
  for (const auto &r : s.signals) {
    Json line = Json::object();
    line["schema_version"] = kSchemaVersion;
    line["tool_version"] = o.tool_version;
    line["host"] = s.hostname;
    line["timestamp"] = started_at;
    line["baseline"] = b.name;
    line["satisfied"] = b.satisfied;
    add_signal_fields(line, r);
    out += dump(line, -1) + "\n";
  }
  return out;
}

}  // namespace hi::report
