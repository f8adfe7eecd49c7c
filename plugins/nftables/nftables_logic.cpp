#include "nftables_logic.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
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

struct Chain {
  std::string family;
  std::string table;
  std::string name;
  std::string type;
  std::string hook;
  std::string policy;
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

std::string chain_key(const std::string &family, const std::string &table,
                      const std::string &name) {
  return family + '\0' + table + '\0' + name;
}

struct Ruleset {
  std::vector<Chain> chains;
  std::map<std::string, std::size_t> chain_index;
  std::size_t tables = 0;
  std::size_t rules = 0;
};

Chain *find_chain(Ruleset &rs, const json &rule) {
  const auto it = rs.chain_index.find(chain_key(string_member(rule, "family"),
                                                string_member(rule, "table"),
                                                string_member(rule, "chain")));
  return it == rs.chain_index.end() ? nullptr : &rs.chains[it->second];
}

void add_item(Ruleset &rs, const json &item) {
  std::string kind;
  const json *body = sole_member(item, &kind);
  if (!body || !body->is_object()) return;
  if (kind == "table") {
    ++rs.tables;
  } else if (kind == "chain") {
    Chain c{string_member(*body, "family"), string_member(*body, "table"),
            string_member(*body, "name"),   string_member(*body, "type"),
            string_member(*body, "hook"),   string_member(*body, "policy"),
            nullptr};
    rs.chain_index[chain_key(c.family, c.table, c.name)] = rs.chains.size();
    rs.chains.push_back(std::move(c));
  } else if (kind == "rule") {
    ++rs.rules;
    // nft lists a chain's rules in evaluation order, after the chain.
    const auto expr = body->find("expr");
    Chain *chain = find_chain(rs, *body);
    if (chain) chain->last_rule_expr = expr == body->end() ? nullptr : &*expr;
  }
}

struct DenyingChain {
  const Chain *chain;
  std::string reason;
};

Verdict default_deny_verdict(const std::vector<DenyingChain> &deny) {
  bool v4 = false;
  bool v6 = false;
  std::string chains;
  for (const auto &d : deny) {
    const Chain &c = *d.chain;
    v4 = v4 || c.family == "inet" || c.family == "ip";
    v6 = v6 || c.family == "inet" || c.family == "ip6";
    if (!chains.empty()) chains += ", ";
    chains += c.family + " " + c.table + "/" + c.name + " " + d.reason;
  }
  std::string coverage = "input default-deny (IPv4 and IPv6)";
  if (!v6) coverage = "input default-deny for IPv4 only (ip family; IPv6 not covered)";
  if (!v4) coverage = "input default-deny for IPv6 only (ip6 family; IPv4 not covered)";
  return Verdict{Status::pass, coverage + ": " + chains, "", false};
}

}  // namespace

Verdict evaluate_ruleset(std::string_view json_text) {
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  const Verdict unreadable{Status::warn,
                           "unexpected output from nft -j: " + quote_output(json_text), "",
                           false};
  if (doc.is_discarded() || !doc.is_object()) return unreadable;
  const auto items = doc.find("nftables");
  if (items == doc.end() || !items->is_array()) return unreadable;

  Ruleset rs;
  for (const auto &item : *items) add_item(rs, item);

  std::vector<DenyingChain> deny;
  for (const auto &c : rs.chains) {
    std::string reason = default_deny_reason(c);
    if (!reason.empty()) deny.push_back(DenyingChain{&c, std::move(reason)});
  }
  if (!deny.empty()) return default_deny_verdict(deny);
  if (rs.tables == 0) return Verdict{Status::fail, "empty ruleset", kEnableFix, false};
  if (rs.rules == 0)
    return Verdict{Status::fail,
                   "no rules loaded (" + std::to_string(rs.tables) +
                       " table(s), no default-deny input chain)",
                   kEnableFix, false};
  return Verdict{Status::warn, "ruleset loaded, input not default-deny", kDefaultDenyFix, false};
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
