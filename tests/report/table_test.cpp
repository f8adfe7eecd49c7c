#include "fixtures.hpp"
#include "text.hpp"

#include <algorithm>
#include <iterator>

using namespace hi;
using namespace hi::report;
using namespace hi::report::fixtures;

namespace {

const std::string kPass = "\xe2\x9c\x93";   // ✓
const std::string kWarn = "\xe2\x9a\xa0";   // ⚠
const std::string kFail = "\xe2\x9c\x97";   // ✗
const std::string kSkip = "\xe2\x80\x93";   // –
const std::string kDash = "\xe2\x80\x94";   // —

std::string glyph_of(SignalStatus s, bool utf8) {
  switch (s) {
    case SignalStatus::pass: return utf8 ? kPass : "+";
    case SignalStatus::warn: return utf8 ? kWarn : "!";
    case SignalStatus::fail: return utf8 ? kFail : "x";
    case SignalStatus::skip: return utf8 ? kSkip : "-";
  }
  return "?";
}

// The first line of the table row for signal `name`, or "" when it has none.
std::string row_of(const std::string &table, const std::string &name) {
  for (const auto &line : lines_of(table)) {
    const auto space = line.find(' ');
    if (space == std::string::npos) continue;
    const auto rest = line.substr(space + 1);
    if (rest.rfind(name + " ", 0) == 0 || rest == name) return line;
  }
  return "";
}

// Wide enough that no row of the fixtures wraps.
RenderOptions wide(bool all = false) {
  RenderOptions o;
  o.width = 300;
  o.all = all;
  return o;
}

std::size_t column_of(const std::string &line, std::size_t byte) { return display_width(line.substr(0, byte)); }

bool has_line(const std::string &text, const std::string &wanted) {
  const auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

}  // namespace

TEST_CASE("report table: gaps only by default", "[report][table]") {
  const Survey s = mixed_survey();
  const std::string out = render_table(s, satisfied_verdict(), wide());
  INFO(out);
  for (const auto &r : s.signals) {
    INFO(r.name);
    const std::string row = row_of(out, r.name);
    if (r.status == SignalStatus::pass) {
      CHECK(row.empty());
      continue;
    }
    CHECK(row.rfind(glyph_of(r.status, true) + " " + r.name + " ", 0) == 0);
    CHECK(row.find(r.detail) != std::string::npos);
    CHECK(row.find(r.fix.value_or(kDash)) != std::string::npos);
  }
  CHECK(out.find("all signals pass") == std::string::npos);
}

TEST_CASE("report table: the header names the columns", "[report][table]") {
  const std::string out = render_table(mixed_survey(), satisfied_verdict(), RenderOptions{});
  const std::string header = lines_of(out).at(0);
  const auto signal = header.find("Signal"), detail = header.find("Detail"), action = header.find("Action");
  REQUIRE(signal != std::string::npos);
  REQUIRE(detail != std::string::npos);
  REQUIRE(action != std::string::npos);
  CHECK((signal < detail && detail < action));
}

TEST_CASE("report table: --all lists the passing signals too", "[report][table]") {
  const Survey s = mixed_survey();
  RenderOptions o;
  o.all = true;
  const std::string out = render_table(s, satisfied_verdict(), o);
  INFO(out);
  for (const auto &r : s.signals) {
    INFO(r.name);
    CHECK(row_of(out, r.name).rfind(glyph_of(r.status, true) + " " + r.name + " ", 0) == 0);
  }
}

TEST_CASE("report table: rows keep the survey's order", "[report][table]") {
  const Survey s = mixed_survey();
  const std::string out = render_table(s, satisfied_verdict(), wide(true));
  INFO(out);
  std::size_t previous = 0;
  for (const auto &r : s.signals) {
    INFO(r.name);
    const std::string row = row_of(out, r.name);
    REQUIRE_FALSE(row.empty());
    const std::size_t at = out.find(row);
    CHECK(at > previous);
    previous = at;
  }
}

TEST_CASE("report table: with no gap, one line says so", "[report][table]") {
  const Survey s = all_pass_survey();
  const std::string gaps = render_table(s, satisfied_verdict(), RenderOptions{});
  INFO(gaps);
  CHECK(has_line(gaps, kPass + " all signals pass (pass --all to list them)"));
  CHECK(gaps.find("Detail") == std::string::npos);
  for (const auto &r : s.signals) CHECK(row_of(gaps, r.name).empty());

  RenderOptions o;
  o.all = true;
  const std::string all = render_table(s, satisfied_verdict(), o);
  INFO(all);
  CHECK(all.find("all signals pass") == std::string::npos);
  for (const auto &r : s.signals) CHECK_FALSE(row_of(all, r.name).empty());
}

TEST_CASE("report table: a survey without signals does not claim they all pass", "[report][table]") {
  const std::string out = render_table(survey({}), satisfied_verdict(), RenderOptions{});
  INFO(out);
  CHECK(out.find("all signals pass") == std::string::npos);
  CHECK(has_line(out, kSkip + " no signals were reported"));
  CHECK(has_line(out, "Signals  0 pass  0 warn  0 fail  0 skip"));
}

TEST_CASE("report table: the counts line covers all signals", "[report][table]") {
  CHECK(has_line(render_table(mixed_survey(), satisfied_verdict(), RenderOptions{}),
                 "Signals  7 pass  1 warn  1 fail  1 skip"));
  const Survey other = survey({signal("a", SignalStatus::fail, "x"), signal("b", SignalStatus::fail, "y"),
                               signal("c", SignalStatus::pass, "z"), signal("d", SignalStatus::warn, "w"),
                               signal("e", SignalStatus::warn, "v"), signal("f", SignalStatus::warn, "u")});
  CHECK(has_line(render_table(other, satisfied_verdict(), RenderOptions{}),
                 "Signals  1 pass  3 warn  2 fail  0 skip"));
}

TEST_CASE("report table: the baseline line, satisfied", "[report][table]") {
  const std::string out = render_table(all_pass_survey(), satisfied_verdict(), RenderOptions{});
  INFO(out);
  CHECK(lines_of(out).back() == kPass + " minimal baseline satisfied");
  CHECK(out.find("NOT") == std::string::npos);
}

TEST_CASE("report table: the baseline line, not satisfied, with OR-groups and notes", "[report][table]") {
  const auto lines = lines_of(render_table(mixed_survey(), unsatisfied_verdict(), wide()));
  const std::string expected = kFail + " minimal baseline NOT satisfied " + kDash +
                               " missing: ufw | firewalld | nftables | tailscale, iron-proxy-enabled";
  const auto it = std::find(lines.begin(), lines.end(), expected);
  INFO(Catch::Detail::stringify(lines));
  REQUIRE(it != lines.end());
  // Under it, each unmet requirement's reason, then its notes.
  REQUIRE(lines.end() - it == 4);
  CHECK(*(it + 1) == "  ufw | firewalld | nftables | tailscale: one firewall or a private mesh as the perimeter");
  CHECK(*(it + 2) == "  iron-proxy-enabled: agent egress goes through the proxy");
  CHECK(*(it + 3) == "  no plugin provides iron-proxy-enabled");
}

TEST_CASE("report table: without unmet details the missing signals are listed", "[report][table]") {
  BaselineVerdict b = unsatisfied_verdict();
  b.unmet.clear();
  CHECK(has_line(render_table(mixed_survey(), b, wide()),
                 kFail + " minimal baseline NOT satisfied " + kDash +
                     " missing: ufw, firewalld, nftables, tailscale, iron-proxy-enabled"));
}

TEST_CASE("report table: long details and actions wrap within their columns", "[report][table]") {
  const int width = GENERATE(80, 60, 100, 132);
  std::string detail, action;
  for (int i = 10; i < 70; ++i) detail += "detail" + std::to_string(i) + " ";
  for (int i = 10; i < 30; ++i) action += "act" + std::to_string(i) + " ";
  Survey s = mixed_survey();
  s.signals[1].detail = detail;
  s.signals[1].fix = action;
  s.signals[2].detail = "unbroken-" + std::string(150, 'w');
  RenderOptions o;
  o.width = width;
  const std::string out = render_table(s, unsatisfied_verdict(), o);
  INFO("width " << width << "\n" << out);
  const auto lines = lines_of(out);
  for (const auto &line : lines) {
    INFO(line);
    CHECK(display_width(line) <= static_cast<std::size_t>(width));
  }

  // Every word survives whole, in order, and starts in its column.
  const auto detail_column = lines.at(0).find("Detail");
  const auto action_column = lines.at(0).find("Action");
  std::vector<std::string> detail_seen, action_seen;
  for (const auto &line : lines) {
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      if (w.rfind("detail", 0) == 0) detail_seen.push_back(w);
      if (w.rfind("act", 0) == 0) action_seen.push_back(w);
    }
    const auto d = line.find(" detail");
    if (d != std::string::npos) CHECK(column_of(line, d + 1) == detail_column);
    const auto a = line.find(" act");
    if (a != std::string::npos) CHECK(column_of(line, a + 1) == action_column);
  }
  std::istringstream expected_detail(detail), expected_action(action);
  CHECK(detail_seen == std::vector<std::string>(std::istream_iterator<std::string>(expected_detail), {}));
  CHECK(action_seen == std::vector<std::string>(std::istream_iterator<std::string>(expected_action), {}));

  // The unbroken word is cut, in its column, and only because it is wider
  // than the column.
  std::vector<std::string> pieces;
  for (const auto &line : lines) {
    const auto at = line.find(" unbroken-") != std::string::npos ? line.find(" unbroken-") : line.find(" www");
    if (at == std::string::npos) continue;
    CHECK(column_of(line, at + 1) == detail_column);
    pieces.push_back(line.substr(at + 1, line.find(' ', at + 1) - at - 1));
  }
  CHECK(pieces.size() > 1);
  std::string joined;
  for (const auto &piece : pieces) joined += piece;
  CHECK(joined == s.signals[2].detail);
}

TEST_CASE("report table: every line fits the width even with long names and notes", "[report][table]") {
  Survey s = mixed_survey();
  s.signals[1].name = "a-very-long-third-party-signal-name-that-will-not-fit";
  BaselineVerdict b = unsatisfied_verdict();
  b.unmet[1].notes.push_back(std::string(30, 'n') + " " + std::string(100, 'm'));
  for (int i = 0; i < 20; ++i) b.unmet[0].text += " | other-firewall-" + std::to_string(i);
  s.plugins.push_back(plugin("broken", PluginState::invalid, std::string(200, 'e')));
  const std::string out = render_table(s, b, RenderOptions{});
  INFO(out);
  for (const auto &line : lines_of(out)) {
    INFO(line);
    CHECK(display_width(line) <= 80);
  }
  CHECK(out.find("other-firewall-19") != std::string::npos);
}

TEST_CASE("report table: ASCII mode prints only ASCII", "[report][table]") {
  Survey s = mixed_survey();
  s.signals[4].detail = "caf\xc3\xa9 \xe2\x80\x94 \xff";
  RenderOptions o = wide(true);
  o.utf8 = false;
  const std::string out = render_table(s, unsatisfied_verdict(), o);
  INFO(out);
  CHECK(std::all_of(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
  for (const auto &r : s.signals) {
    INFO(r.name);
    CHECK(row_of(out, r.name).rfind(glyph_of(r.status, false) + " " + r.name + " ", 0) == 0);
  }
  CHECK(row_of(out, "firewalld").find("  -") != std::string::npos);
  CHECK(row_of(out, "fail2ban").find("caf? ? ?") != std::string::npos);
  CHECK(has_line(out, "x minimal baseline NOT satisfied - missing: ufw | firewalld | nftables | tailscale, "
                      "iron-proxy-enabled"));
}

TEST_CASE("report table: ANSI colour only when asked", "[report][table]") {
  RenderOptions o;
  o.all = true;
  const std::string plain = render_table(mixed_survey(), unsatisfied_verdict(), o);
  CHECK(plain.find('\x1b') == std::string::npos);
  o.color = true;
  const std::string coloured = render_table(mixed_survey(), unsatisfied_verdict(), o);
  CHECK(coloured.find("\x1b[31m" + kFail + "\x1b[0m ufw") != std::string::npos);
  CHECK(coloured.find("\x1b[32m" + kPass + "\x1b[0m tailscale") != std::string::npos);
}

TEST_CASE("report table: a plugin's control characters never reach the terminal", "[report][table]") {
  const std::string out = render_table(hostile_survey(), hostile_verdict(), wide());
  INFO(out);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find('\a') == std::string::npos);
  CHECK(out.find(std::string(1, '\0')) == std::string::npos);
  CHECK(out.find("\xff") == std::string::npos);
  CHECK(out.find("\"quoted\" back\\slash tab here") != std::string::npos);
  CHECK_FALSE(row_of(out, "we\"ird\\name x").empty());
}

TEST_CASE("report table: every plugin that did not run gets a line", "[report][table]") {
  Survey s = all_pass_survey();
  s.plugins = plugins_in_every_state();
  const std::string out = render_table(s, satisfied_verdict(), wide());
  INFO(out);
  for (const auto &p : s.plugins) {
    INFO(p.name << " " << to_string(p.state));
    const std::string line = kWarn + " plugin " + p.name + " (" + p.file + ") " + to_string(p.state);
    if (p.state == PluginState::ok)
      CHECK(out.find(line) == std::string::npos);
    else
      CHECK(has_line(out, line + ": " + *p.error));
  }
}

TEST_CASE("report table: words are cut only when they must be", "[report][table]") {
  const std::string path = "/etc/fail2ban/jail.local";
  Survey s = mixed_survey();
  s.signals[4].detail = "the sshd jail is not enabled although sshd is running and accepting password logins";
  s.signals[4].fix = "enable the sshd jail in " + path;
  RenderOptions o;
  o.all = true;
  const std::string out = render_table(s, satisfied_verdict(), o);
  INFO(out);
  CHECK(out.find(path) != std::string::npos);
  for (const auto &line : lines_of(out)) CHECK(display_width(line) <= 80);
}
