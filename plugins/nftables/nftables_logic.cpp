#include "nftables_logic.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hermes_inspect::nftables {
namespace {

using nlohmann::json;

const char *const kEnableFix =
    "load a ruleset whose input chain has `policy drop;` (/etc/nftables.conf), then "
    "systemctl enable --now nftables";
const char *const kDefaultDenyFix =
    "add `policy drop;` to the input base chain (type filter hook input) in "
    "/etc/nftables.conf, allowing SSH first";
const char *const kLead = "ruleset loaded, input not default-deny";

// A dormant table's chains are not attached to their hooks: they filter nothing.
enum class TableState { active, dormant, unknown };

struct Table {
  std::string family;
  std::string name;
  TableState state = TableState::active;
  std::string flags_seen;  // how nft printed flags that name no known flag
};

struct Chain {
  std::string family;
  std::string table;
  std::string name;
  std::string type;
  std::string hook;
  std::string policy;
  std::size_t rules = 0;
  const json *last_rule_expr = nullptr;
};

std::string string_member(const json &object, const char *key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// The value of a one-key object such as {"drop": null}, keyed by `key`.
const json *sole_member(const json &object, std::string *key) {
  if (!object.is_object() || object.size() != 1) return nullptr;
  *key = object.begin().key();
  return &object.begin().value();
}

bool is_verdict_drop_or_reject(const json &statement) {
  std::string key;
  if (!sole_member(statement, &key)) return false;
  return key == "drop" || key == "reject";
}

// Statements that act on every packet without deciding whether the rule matches.
bool is_unconditional_statement(const json &statement) {
  std::string key;
  if (!sole_member(statement, &key)) return false;
  return key == "counter" || key == "log";
}

// A rule that drops or rejects every packet reaching it: only the verdict,
// possibly after counter/log statements. Any match, limit or other expression
// makes it conditional.
bool is_unconditional_drop(const json *expr) {
  if (!expr || !expr->is_array() || expr->empty()) return false;
  if (!is_verdict_drop_or_reject(expr->back())) return false;
  for (std::size_t i = 0; i + 1 < expr->size(); ++i)
    if (!is_unconditional_statement((*expr)[i])) return false;
  return true;
}

bool filters_host_input(const Chain &c) {
  const bool family_ok = c.family == "inet" || c.family == "ip" || c.family == "ip6";
  const bool type_ok = c.type.empty() || c.type == "filter";
  return family_ok && type_ok && c.hook == "input";
}

// Why the chain is default-deny, or "" when it is not.
std::string default_deny_reason(const Chain &c) {
  if (!filters_host_input(c)) return {};
  if (c.policy == "drop") return "policy drop";
  if (is_unconditional_drop(c.last_rule_expr)) return "final rule drops everything";
  return {};
}

// nft prints a table's flags as one name or a list of names. Before nft 1.1.0
// a table with exactly one flag (dormant or owner) got a freed value instead
// (table_flags_json(): some other string of the listing, or the listing cut
// short), so anything that is not known flag names may hide `dormant`.
void read_table_flags(const json &table, Table *t) {
  const auto flags = table.find("flags");
  if (flags == table.end()) return;
  std::vector<std::string> names;
  if (flags->is_string()) names.push_back(flags->get<std::string>());
  if (flags->is_array())
    for (const auto &name : *flags)
      names.push_back(name.is_string() ? name.get<std::string>() : std::string());
  bool all_known = flags->is_string() || flags->is_array();
  for (const auto &name : names) {
    if (name == "dormant") {
      t->state = TableState::dormant;
      return;
    }
    all_known = all_known && (name == "owner" || name == "persist");
  }
  if (all_known) return;
  t->state = TableState::unknown;
  const std::string shown = flags->dump();
  t->flags_seen = flags->is_string() ? quote_output(flags->get<std::string>(), 40)
                  : shown.size() <= 40 ? shown
                                       : quote_output(shown, 40);
}

std::string key_of(const std::string &family, const std::string &table,
                   const std::string &name = "") {
  return family + '\0' + table + '\0' + name;
}

struct Ruleset {
  std::vector<Table> tables;
  std::map<std::string, std::size_t> table_index;
  std::vector<Chain> chains;
  std::map<std::string, std::size_t> chain_index;
};

Chain *find_chain(Ruleset &rs, const json &rule) {
  const auto it = rs.chain_index.find(key_of(string_member(rule, "family"),
                                             string_member(rule, "table"),
                                             string_member(rule, "chain")));
  return it == rs.chain_index.end() ? nullptr : &rs.chains[it->second];
}

// A chain whose table is not listed counts as active: the kernel keeps no
// chain outside a table, so nothing says it is dormant.
const Table *table_of(const Ruleset &rs, const Chain &c) {
  const auto it = rs.table_index.find(key_of(c.family, c.table));
  return it == rs.table_index.end() ? nullptr : &rs.tables[it->second];
}

void add_item(Ruleset &rs, const json &item) {
  std::string kind;
  const json *body = sole_member(item, &kind);
  if (!body || !body->is_object()) return;
  if (kind == "table") {
    Table t{string_member(*body, "family"), string_member(*body, "name"), TableState::active, ""};
    read_table_flags(*body, &t);
    rs.table_index[key_of(t.family, t.name)] = rs.tables.size();
    rs.tables.push_back(std::move(t));
  } else if (kind == "chain") {
    Chain c{string_member(*body, "family"), string_member(*body, "table"),
            string_member(*body, "name"),   string_member(*body, "type"),
            string_member(*body, "hook"),   string_member(*body, "policy"),
            0,                              nullptr};
    rs.chain_index[key_of(c.family, c.table, c.name)] = rs.chains.size();
    rs.chains.push_back(std::move(c));
  } else if (kind == "rule") {
    // nft lists a chain's rules in evaluation order, after the chain.
    const auto expr = body->find("expr");
    Chain *chain = find_chain(rs, *body);
    if (!chain) return;
    ++chain->rules;
    chain->last_rule_expr = expr == body->end() ? nullptr : &*expr;
  }
}

// nft before 1.1.0 can also stop listing, still exiting 0, right where a
// table's only flag belongs: the text ends in `, "flags": `. What came before
// is whole, so the document is closed after that table and read as far as it
// goes; the cut table is marked.
std::optional<json> read_cut_listing(std::string_view text) {
  const auto trim = [](std::string_view s) {
    const auto end = s.find_last_not_of(" \t\r\n");
    return s.substr(0, end == std::string_view::npos ? 0 : end + 1);
  };
  std::string_view head = trim(text);
  constexpr std::string_view kFlagsKey = "\"flags\":";
  if (head.size() < kFlagsKey.size() || head.substr(head.size() - kFlagsKey.size()) != kFlagsKey)
    return std::nullopt;
  head = trim(head.substr(0, head.size() - kFlagsKey.size()));
  if (head.empty() || head.back() != ',') return std::nullopt;
  head.remove_suffix(1);
  json doc = json::parse(std::string(head) + "}}]}", nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  const auto items = doc.find("nftables");
  if (items == doc.end() || !items->is_array() || items->empty()) return std::nullopt;
  std::string kind;
  if (!sole_member(items->back(), &kind) || kind != "table") return std::nullopt;
  return doc;
}

std::string count(std::size_t n, const char *noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string chain_name(const Chain &c) { return c.family + " " + c.table + "/" + c.name; }
std::string table_name(const Table &t) { return t.family + " " + t.name; }

struct DenyingChain {
  const Chain *chain;
  std::string reason;
};

Verdict default_deny_verdict(const std::vector<DenyingChain> &deny, const std::string &cut) {
  bool v4 = false;
  bool v6 = false;
  std::string chains;
  for (const auto &d : deny) {
    const Chain &c = *d.chain;
    v4 = v4 || c.family == "inet" || c.family == "ip";
    v6 = v6 || c.family == "inet" || c.family == "ip6";
    if (!chains.empty()) chains += ", ";
    chains += chain_name(c) + " " + d.reason;
  }
  std::string coverage = "input default-deny (IPv4 and IPv6)";
  if (!v6) coverage = "input default-deny for IPv4 only (ip family; IPv6 not covered)";
  if (!v4) coverage = "input default-deny for IPv6 only (ip6 family; IPv4 not covered)";
  std::string detail = coverage + ": " + chains;
  if (!cut.empty()) detail += " (" + cut + ")";
  return Verdict{Status::pass, detail, "", false};
}

// What one input base chain that protects nothing looks like.
std::string describe_open_chain(const Ruleset &rs, const Chain &c, std::string *fix) {
  const Table *t = table_of(rs, c);
  if (!default_deny_reason(c).empty() && t) {
    *fix = "nft list table " + table_name(*t) + ": if it says `flags dormant`, make the table "
           "active with `nft add table " + table_name(*t) + "` and remove that flag from "
           "/etc/nftables.conf";
    if (t->state == TableState::dormant)
      return "input chain " + chain_name(c) + " is default-deny but table " + table_name(*t) +
             " is dormant";
    return "input chain " + chain_name(c) + " is default-deny but table " + table_name(*t) +
           " may be dormant (nft -j printed its flags as " + t->flags_seen + ")";
  }
  std::string seen = "input chain " + chain_name(c) + " " +
                     (c.policy.empty() ? std::string("no policy") : "policy " + c.policy) + ", ";
  if (c.rules == 0) return seen + "no rules";
  return seen + count(c.rules, "rule") + ", no final rule dropping everything";
}

// The warn for a non-empty ruleset whose input is not default-deny: the
// spec's words, then what each input base chain looks like.
Verdict open_input_verdict(const Ruleset &rs, const std::string &cut) {
  std::string fix = kDefaultDenyFix;
  std::vector<std::string> seen;
  for (const auto &c : rs.chains)
    if (filters_host_input(c)) seen.push_back(describe_open_chain(rs, c, &fix));
  if (seen.empty())
    seen.push_back(count(rs.tables.size(), "table") + ", " + count(rs.chains.size(), "chain") +
                   ", no inet/ip/ip6 filter chain on the input hook");
  if (!cut.empty()) seen.push_back(cut);
  std::string detail = std::string(kLead) + ": ";
  for (std::size_t i = 0; i < seen.size(); ++i) detail += (i ? "; " : "") + seen[i];
  return Verdict{Status::warn, detail, fix, false};
}

}  // namespace

Verdict evaluate_ruleset(std::string_view json_text) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  bool cut = false;
  if (doc.is_discarded()) {
    if (auto whole_part = read_cut_listing(json_text)) {
      doc = std::move(*whole_part);
      cut = true;
    }
  }
  const Verdict unreadable{Status::warn,
                           "unexpected output from nft -j: " + quote_output(json_text), "",
                           false};
  if (doc.is_discarded() || !doc.is_object()) return unreadable;
  const auto items = doc.find("nftables");
  if (items == doc.end() || !items->is_array()) return unreadable;

  Ruleset rs;
  for (const auto &item : *items) add_item(rs, item);
  std::string note;
  if (cut) {
    rs.tables.back().state = TableState::unknown;
    note = "nft -j stopped listing at the flags of table " + table_name(rs.tables.back());
  }

  std::vector<DenyingChain> deny;
  for (const auto &c : rs.chains) {
    const Table *t = table_of(rs, c);
    if (t && t->state != TableState::active) continue;
    std::string reason = default_deny_reason(c);
    if (!reason.empty()) deny.push_back(DenyingChain{&c, std::move(reason)});
  }
  if (!deny.empty()) return default_deny_verdict(deny, note);
  if (rs.tables.empty()) return Verdict{Status::fail, "empty ruleset", kEnableFix, false};
  return open_input_verdict(rs, note);
}

Verdict decide(const CommandResult &result) {
  if (auto v = unavailable_tool_verdict(result, "nft", kInstallFix)) return *v;
  if (result.exit_code != 0) {
    const std::string &said = result.err.empty() ? result.out : result.err;
    if (said.find("Operation not permitted") != std::string::npos)
      return Verdict{Status::warn, "needs root: nft -j list ruleset: Operation not permitted",
                     "run as root, or allow `nft -j list ruleset` in sudoers", true};
    return Verdict{Status::warn,
                   "nft exited " + std::to_string(result.exit_code) + ": " + quote_output(said),
                   "", false};
  }
  return evaluate_ruleset(result.out);
}

}  // namespace hermes_inspect::nftables
