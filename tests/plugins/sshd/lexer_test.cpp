// The tokenizers against the behaviour of OpenSSH 9.2's misc.c (strdelim,
// argv_split) and servconf.c's line handling.
#include "sshd_lexer.hpp"

#include <catch2/catch.hpp>

using namespace hermes_inspect::sshd;

namespace {

std::vector<std::string> all_tokens(const std::string &line) {
  Delimiter d(line);
  std::vector<std::string> out;
  for (auto t = d.next(); t && !t->empty(); t = d.next()) out.push_back(*t);
  return out;
}

}  // namespace

TEST_CASE("sshd: strdelim splits a keyword from its value on whitespace or one '='", "[sshd][lexer]") {
  CHECK(all_tokens("PasswordAuthentication no") ==
        std::vector<std::string>{"PasswordAuthentication", "no"});
  CHECK(all_tokens("PasswordAuthentication=no") ==
        std::vector<std::string>{"PasswordAuthentication", "no"});
  CHECK(all_tokens("PasswordAuthentication = no") ==
        std::vector<std::string>{"PasswordAuthentication", "no"});
  CHECK(all_tokens("PasswordAuthentication\t=\tno") ==
        std::vector<std::string>{"PasswordAuthentication", "no"});
}

TEST_CASE("sshd: strdelim skips only one '='", "[sshd][lexer]") {
  Delimiter d("PasswordAuthentication == no");
  CHECK(d.next() == "PasswordAuthentication");
  CHECK(d.rest() == "= no");
}

TEST_CASE("sshd: strdelim removes the quotes around a token", "[sshd][lexer]") {
  Delimiter d("\"PasswordAuthentication\" no");
  CHECK(d.next() == "PasswordAuthentication");
  CHECK(d.rest() == "no");
  Delimiter unterminated("\"PasswordAuthentication no");
  CHECK_FALSE(unterminated.next().has_value());
}

TEST_CASE("sshd: strdelim reports the end of the line as an empty token, then NULL", "[sshd][lexer]") {
  Delimiter d("Keyword=");
  CHECK(d.next() == "Keyword");
  CHECK(d.rest() == "");
  CHECK(d.next() == "");
  CHECK_FALSE(d.next().has_value());
  CHECK_FALSE(d.rest().has_value());
}

TEST_CASE("sshd: argv_split handles quotes, escapes and comments", "[sshd][lexer]") {
  using V = std::vector<std::string>;
  CHECK(split_arguments("no") == V{"no"});
  CHECK(split_arguments("\"no\"") == V{"no"});
  CHECK(split_arguments("'without-password'") == V{"without-password"});
  CHECK(split_arguments("n\"o\"") == V{"no"});
  CHECK(split_arguments("\"a b\" c") == V{"a b", "c"});
  CHECK(split_arguments("a\\ b") == V{"a b"});
  CHECK(split_arguments("no # comment") == V{"no"});
  CHECK(split_arguments("no#not-a-comment") == V{"no#not-a-comment"});
  CHECK(split_arguments("# only a comment") == V{});
  CHECK(split_arguments("\"\"") == V{""});
  CHECK_FALSE(split_arguments("\"no").has_value());
  CHECK_FALSE(split_arguments("'no").has_value());
}

TEST_CASE("sshd: lines lose leading blanks and are cut at NUL, keeping line numbers", "[sshd][lexer]") {
  const auto lines = config_lines("  a 1\n\tb 2\r\n\nc 3");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "a 1");
  CHECK(lines[1] == "b 2\r");
  CHECK(lines[2] == "");
  CHECK(lines[3] == "c 3");
  // sshd keeps bytes only up to a NUL, which swallows that line's newline.
  const auto joined = config_lines(std::string("x 1\0junk\ny 2\n", 13));
  CHECK(joined[0] == "x 1y 2");
}

TEST_CASE("sshd: trailing whitespace and form feeds are stripped", "[sshd][lexer]") {
  CHECK(strip_trailing("no \t\r\f") == "no");
  CHECK(strip_trailing(" ") == " ");
  CHECK(strip_trailing("") == "");
}

TEST_CASE("sshd: case-insensitive helpers", "[sshd][lexer]") {
  CHECK(equals_ignore_case("PermitRootLogin", "permitrootlogin"));
  CHECK_FALSE(equals_ignore_case("PermitRootLogin", "permitrootlogins"));
  CHECK(lower("UsePAM") == "usepam");
}
