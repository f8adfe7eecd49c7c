// Match blocks as OpenSSH 9.x evaluates them (servconf.c match_cfg_line,
// match.c, addrmatch.c): the criteria of one Match line, and whether a
// connection satisfies them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hermes_inspect::sshd {

// One connection as `sshd -T -C user=...,host=...,addr=...` describes it. Like
// sshd's test mode, a criterion on a field that is not given is not satisfied.
struct Connection {
  std::optional<std::string> user;
  std::optional<std::string> host;
  std::optional<std::string> address;
  std::optional<std::string> local_address;
  std::optional<int> local_port;
  std::optional<std::string> rdomain;
  // The user's group names; sshd looks them up itself, so the caller supplies
  // them (empty for a user that does not exist).
  std::vector<std::string> groups;
};

struct Criterion {
  std::string attribute;  // lower-case: user, group, host, address, localaddress, localport, rdomain
  std::string argument;   // pattern list as written
};

struct MatchCondition {
  bool all = false;  // `Match all`: every connection
  std::vector<Criterion> criteria;
};

// Parses the text after `Match`; the error is sshd's reason for a bad Match line.
std::variant<MatchCondition, std::string> parse_match(const std::string &text);

// Whether conn satisfies the condition. No connection is sshd's first,
// connection-less pass, where only `Match all` is satisfied.
bool satisfies(const MatchCondition &condition, const Connection *conn);

// Whether some connection could satisfy the condition: a pattern list of
// negations alone ("!root") never matches, as match_pattern_list and
// addr_match_list only answer 1 for a positive entry.
bool satisfiable(const MatchCondition &condition);

// match.c match_pattern: '*' and '?' wildcards over the whole string.
bool match_pattern(std::string_view s, std::string_view pattern);

// match.c match_pattern_list: 1 when a pattern matches, -1 when a negated
// ('!') one does, 0 otherwise. lower_patterns lower-cases the patterns first.
int match_pattern_list(std::string_view s, std::string_view list, bool lower_patterns);

// addrmatch.c addr_match_list: 1 match, 0 no match, -1 negated match,
// -2 malformed list (an empty entry, or a CIDR network with host bits set).
// No address only checks the list.
int addr_match_list(const std::optional<std::string> &address, std::string_view list);

}  // namespace hermes_inspect::sshd
