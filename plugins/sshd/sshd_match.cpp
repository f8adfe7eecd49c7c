#include "sshd_match.hpp"

#include "sshd_lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include <arpa/inet.h>
#include <netdb.h>

namespace hermes_inspect::sshd {

namespace {

// An address in network byte order, as addrmatch.c's struct xaddr.
struct Address {
  int family = AF_UNSPEC;
  std::array<std::uint8_t, 16> bytes{};

  std::size_t size() const { return family == AF_INET ? 4 : 16; }
};

std::optional<Address> parse_address(const std::string &text) {
  Address a;
  if (::inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (::inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

struct Network {
  Address base;
  unsigned prefix = 0;
};

// addr_pton_cidr: not_cidr when the entry is no CIDR network at all (it is
// then a wildcard pattern); inconsistent when the prefix is too long for the
// family or host bits are set, which sshd rejects.
enum class CidrParse { network, not_cidr, inconsistent };

bool host_bits_set(const Network &n) {
  for (std::size_t i = 0; i < n.base.size(); ++i) {
    const unsigned bit = static_cast<unsigned>(i) * 8;
    if (bit + 8 <= n.prefix) continue;
    const unsigned keep = n.prefix > bit ? n.prefix - bit : 0;
    const auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : 0xFFu << (8 - keep));
    if ((n.base.bytes[i] & static_cast<std::uint8_t>(~mask)) != 0) return true;
  }
  return false;
}

CidrParse parse_cidr(const std::string &entry, Network *out) {
  const std::size_t slash = entry.find('/');
  const std::string host = entry.substr(0, slash);
  const auto base = parse_address(host);
  if (!base) return CidrParse::not_cidr;
  out->base = *base;
  const unsigned max = base->family == AF_INET ? 32 : 128;
  out->prefix = max;
  if (slash != std::string::npos) {
    const std::string len = entry.substr(slash + 1);
    if (len.empty() || len.size() > 9 || len.find_first_not_of("0123456789") != std::string::npos)
      return CidrParse::not_cidr;
    out->prefix = static_cast<unsigned>(std::stoul(len));
    if (out->prefix > 128) return CidrParse::not_cidr;
    if (out->prefix > max) return CidrParse::inconsistent;
  }
  return host_bits_set(*out) ? CidrParse::inconsistent : CidrParse::network;
}

bool in_network(const Address &a, const Network &n) {
  if (a.family != n.base.family) return false;
  for (unsigned bit = 0; bit < n.prefix; ++bit) {
    const std::size_t byte = bit / 8;
    const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    if ((a.bytes[byte] & mask) != (n.base.bytes[byte] & mask)) return false;
  }
  return true;
}

std::vector<std::string_view> split_commas(std::string_view list) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t comma = list.find(',');
    parts.push_back(list.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    list.remove_prefix(comma + 1);
  }
}

// a2port: a number 0-65535 or a TCP service name; -1 otherwise.
int parse_port(const std::string &text) {
  if (!text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string::npos) {
    const unsigned long port = std::stoul(text);
    return port <= 65535 ? static_cast<int>(port) : -1;
  }
  const servent *se = ::getservbyname(text.c_str(), "tcp");
  return se ? ntohs(static_cast<std::uint16_t>(se->s_port)) : -1;
}

bool is_known_attribute(const std::string &a) {
  static constexpr std::array<const char *, 7> kKnown{
      "user", "group", "host", "address", "localaddress", "localport", "rdomain"};
  for (const char *k : kKnown)
    if (a == k) return true;
  return false;
}

std::optional<std::string> check_criterion(const Criterion &c) {
  if (c.attribute == "address" || c.attribute == "localaddress") {
    if (addr_match_list(std::nullopt, c.argument) != 0)
      return "Invalid Match address argument '" + c.argument + "'";
  }
  if (c.attribute == "localport" && parse_port(c.argument) < 0)
    return "Invalid LocalPort '" + c.argument + "' on Match line";
  return std::nullopt;
}

bool group_matches(const std::vector<std::string> &groups, const std::string &patterns) {
  bool found = false;
  for (const auto &g : groups) {
    const int r = match_pattern_list(g, patterns, false);
    if (r < 0) return false;  // a negated group wins
    if (r > 0) found = true;
  }
  return found;
}

bool address_matches(const std::optional<std::string> &addr, const std::string &patterns) {
  return addr && addr_match_list(addr, patterns) == 1;
}

bool criterion_holds(const Criterion &c, const Connection &conn) {
  const std::string &arg = c.argument;
  if (c.attribute == "user") return conn.user && match_pattern_list(*conn.user, arg, false) == 1;
  if (c.attribute == "group") return conn.user && group_matches(conn.groups, arg);
  if (c.attribute == "host") return conn.host && match_pattern_list(lower(*conn.host), arg, true) == 1;
  if (c.attribute == "address") return address_matches(conn.address, arg);
  if (c.attribute == "localaddress") return address_matches(conn.local_address, arg);
  if (c.attribute == "localport") return conn.local_port && *conn.local_port == parse_port(arg);
  if (c.attribute == "rdomain") return conn.rdomain && match_pattern_list(*conn.rdomain, arg, false) == 1;
  return false;
}

}  // namespace

std::variant<MatchCondition, std::string> parse_match(const std::string &text) {
  MatchCondition condition;
  Delimiter words(text);
  std::size_t attributes = 0;
  for (auto attribute = words.next(); attribute && !attribute->empty(); attribute = words.next()) {
    if ((*attribute)[0] == '#') break;
    ++attributes;
    if (equals_ignore_case(*attribute, "all")) {
      const auto after = words.next();
      if (attributes > 1 || (after && !after->empty() && (*after)[0] != '#'))
        return std::string("'all' cannot be combined with other Match attributes");
      condition.all = true;
      return condition;
    }
    const auto argument = words.next();
    if (!argument || argument->empty() || (*argument)[0] == '#')
      return "Missing Match criteria for " + *attribute;
    Criterion c{lower(*attribute), *argument};
    if (!is_known_attribute(c.attribute)) return "Unsupported Match attribute " + *attribute;
    if (auto bad = check_criterion(c)) return *bad;
    condition.criteria.push_back(std::move(c));
  }
  if (attributes == 0) return std::string("One or more attributes required for Match");
  return condition;
}

bool satisfies(const MatchCondition &condition, const Connection *conn) {
  if (condition.all) return true;
  if (!conn) return false;
  for (const auto &c : condition.criteria)
    if (!criterion_holds(c, *conn)) return false;
  return true;
}

bool satisfiable(const MatchCondition &condition) {
  for (const auto &c : condition.criteria) {
    if (c.attribute == "localport") continue;
    const auto entries = split_commas(c.argument);
    if (std::none_of(entries.begin(), entries.end(),
                     [](std::string_view e) { return e.empty() || e[0] != '!'; }))
      return false;
  }
  return true;
}

bool match_pattern(std::string_view s, std::string_view pattern) {
  // Iterative glob match with single-star backtracking: linear in practice,
  // never exponential on hostile patterns.
  std::size_t si = 0, pi = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (si < s.size()) {
    if (pi < pattern.size() && (pattern[pi] == '?' || pattern[pi] == s[si])) {
      ++si;
      ++pi;
    } else if (pi < pattern.size() && pattern[pi] == '*') {
      star = pi++;
      resume = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++resume;
    } else {
      return false;
    }
  }
  while (pi < pattern.size() && pattern[pi] == '*') ++pi;
  return pi == pattern.size();
}

int match_pattern_list(std::string_view s, std::string_view list, bool lower_patterns) {
  bool positive = false;
  std::size_t i = 0;
  while (i < list.size()) {
    const bool negated = list[i] == '!';
    if (negated) ++i;
    const std::size_t comma = list.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? list.size() : comma;
    std::string sub(list.substr(i, end - i));
    // OpenSSH refuses a sub-pattern of 1023 bytes or more as a whole.
    if (sub.size() >= 1023) return 0;
    if (lower_patterns) sub = lower(sub);
    i = comma == std::string_view::npos ? end : end + 1;
    if (match_pattern(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

int addr_match_list(const std::optional<std::string> &address, std::string_view list) {
  std::optional<Address> addr;
  if (address) {
    addr = parse_address(*address);
    if (!addr) return 0;
  }
  int result = 0;
  for (std::string_view entry : split_commas(list)) {
    const bool negated = !entry.empty() && entry[0] == '!';
    if (negated) entry.remove_prefix(1);
    if (entry.empty()) return -2;
    Network net;
    const std::string text(entry);
    const CidrParse parsed = parse_cidr(text, &net);
    if (parsed == CidrParse::inconsistent) return -2;
    const bool hit = addr && (parsed == CidrParse::network ? in_network(*addr, net)
                                                          : match_pattern(*address, text));
    if (!hit) continue;
    if (negated) return -1;
    result = 1;
  }
  return result;
}

}  // namespace hermes_inspect::sshd
