#include "protocol.hpp"

#include <algorithm>
#include <limits>

namespace hi::protocol {
namespace {

std::string field(const nlohmann::json &m, const char *key) {
  const auto it = m.find(key);
  if (it == m.end() || !it->is_string()) return "";
  const auto &s = it->get_ref<const std::string &>();
  return s.size() > kMaxTextField ? s.substr(0, kMaxTextField) + "..." : s;
}

int64_t number(const nlohmann::json &m, const char *key) {
  const auto it = m.find(key);
  if (it == m.end() || !it->is_number_integer()) return 0;
  return it->get<int64_t>();
}

bool flag(const nlohmann::json &m, const char *key) {
  const auto it = m.find(key);
  return it != m.end() && it->is_boolean() && it->get<bool>();
}

std::vector<SignalInfo> signal_infos(const nlohmann::json &m) {
  std::vector<SignalInfo> out;
  const auto it = m.find("signals");
  if (it == m.end() || !it->is_array()) return out;
  for (const auto &s : *it) {
    if (!s.is_object()) continue;
    SignalInfo info{field(s, "id"),        field(s, "title"),    field(s, "description"),
                    field(s, "rationale"), field(s, "fix_hint"), field(s, "commands")};
    const bool duplicate = std::any_of(out.begin(), out.end(),
                                       [&](const SignalInfo &o) { return o.id == info.id; });
    if (!info.id.empty() && !duplicate) out.push_back(std::move(info));
  }
  return out;
}

}  // namespace

std::string encode(const nlohmann::json &message) {
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void LineParser::feed(std::string_view bytes, std::vector<nlohmann::json> &messages,
                      std::vector<std::string> &errors) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const auto chunk = bytes.substr(0, nl);
    if (!overlong_) {
      pending_.append(chunk);
      if (pending_.size() > kMaxLine) {
        overlong_ = true;
        pending_.clear();
      }
    }
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
    if (overlong_) {
      errors.push_back("result line longer than " + std::to_string(kMaxLine) + " bytes dropped");
    } else {
      auto parsed = nlohmann::json::parse(pending_, nullptr, false);
      if (parsed.is_object())
        messages.push_back(std::move(parsed));
      else
        errors.push_back("malformed result line dropped");
    }
    pending_.clear();
    overlong_ = false;
  }
}

void LineParser::finish(std::vector<std::string> &errors) {
  if (!pending_.empty() || overlong_) errors.push_back("result stream ended mid-line");
  pending_.clear();
  overlong_ = false;
}

void Transcript::add_error(std::string error) {
  if (errors.size() < kMaxErrors) errors.push_back(std::move(error));
}

void Transcript::apply(const nlohmann::json &m) {
  if (!m.is_object()) return add_error("malformed result message");
  const std::string type = field(m, "type");
  if (type == "describe" && !described) {
    described = true;
    plugin.name = field(m, "name");
    plugin.version = field(m, "version");
    plugin.abi = field(m, "abi");
    plugin.description = field(m, "description");
    plugin.signals = signal_infos(m);
  } else if (type == "load_failed") {
    load_failed = true;
    load_state = field(m, "state") == "incompatible" ? PluginState::incompatible : PluginState::invalid;
    load_error = field(m, "message");
  } else if (type == "result") {
    const std::string id = field(m, "signal");
    const auto declared = std::any_of(plugin.signals.begin(), plugin.signals.end(),
                                      [&](const SignalInfo &s) { return s.id == id; });
    const auto status = parse_status(field(m, "status"));
    if (!declared) return add_error("reported undeclared signal \"" + id.substr(0, 80) + "\"");
    if (!status) return add_error("reported an invalid status for " + id);
    const bool repeated = std::any_of(results.begin(), results.end(),
                                      [&](const SignalResult &r) { return r.name == id; });
    if (repeated) return;  // the first report stands
    SignalResult r;
    r.name = id;
    r.status = *status;
    r.detail = field(m, "detail");
    if (auto fix = field(m, "fix"); !fix.empty()) r.fix = std::move(fix);
    r.plugin = plugin.name;
    r.duration_ms = std::max<int64_t>(0, number(m, "duration_ms"));
    r.needs_root = flag(m, "needs_root");
    results.push_back(std::move(r));
  } else if (type == "plugin_error") {
    add_error(field(m, "message"));
  } else if (type == "log") {
    if (logs.size() < kMaxLogLines) logs.push_back(field(m, "message"));
  } else if (type == "command_group") {
    // Range-checked before narrowing: 2^32 + 1 would become 1, and kill(-1) is every process.
    const auto pgid = number(m, "pgid");
    if (pgid > 1 && pgid <= std::numeric_limits<pid_t>::max() && command_groups.size() < 10000)
      command_groups.push_back(static_cast<pid_t>(pgid));
  } else if (type == "done") {
    done = true;
    probe_rc = static_cast<int>(number(m, "rc"));
  } else {
    add_error("unknown result message \"" + type.substr(0, 40) + "\"");
  }
}

}  // namespace hi::protocol
