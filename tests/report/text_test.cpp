#include "text.hpp"

#include <catch2/catch.hpp>

using hi::report::display_width;
using hi::report::repair_utf8;
using hi::report::terminal_safe;
using hi::report::wrap;

TEST_CASE("report text: repair_utf8 keeps valid text and replaces each invalid sequence", "[report][text]") {
  const std::string replacement = "\xef\xbf\xbd";
  CHECK(repair_utf8("plain \xe2\x9c\x93 \xf0\x9f\x94\x92") == "plain \xe2\x9c\x93 \xf0\x9f\x94\x92");
  CHECK(repair_utf8("a\xff" "b") == "a" + replacement + "b");
  CHECK(repair_utf8("cut \xe2\x9c") == "cut " + replacement + replacement);
  CHECK(repair_utf8("\xc0\xaf") == replacement + replacement);       // overlong '/'
  CHECK(repair_utf8("\xed\xa0\x80") == replacement + replacement + replacement);  // surrogate
  CHECK(repair_utf8("\xf4\x90\x80\x80") == replacement + replacement + replacement + replacement);
}

TEST_CASE("report text: terminal_safe neutralises controls and, in ASCII, non-ASCII", "[report][text]") {
  CHECK(terminal_safe("a\nb\tc\x1b[31md\x7f" "e", false) == "a b c [31md e");
  CHECK(terminal_safe("x\xc2\x9by", false) == "x y");                // C1 CSI
  CHECK(terminal_safe("ab\xe2\x80\xae" "cd", false) == "ab cd");     // right-to-left override
  CHECK(terminal_safe("bad\xff", false) == "bad\xef\xbf\xbd");
  CHECK(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93\xff", true) == "caf? ??");
}

TEST_CASE("report text: display_width counts columns, not bytes", "[report][text]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("ufw") == 3);
  CHECK(display_width("\xe2\x9c\x93 \xe2\x9a\xa0 \xe2\x80\x94") == 5);  // ✓ ⚠ —
  CHECK(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);                // 日本
  CHECK(display_width("e\xcc\x81") == 1);                               // e + combining acute
}

TEST_CASE("report text: wrap breaks at spaces and cuts only words wider than the width", "[report][text]") {
  CHECK(wrap("", 10) == std::vector<std::string>{""});
  CHECK(wrap("one two three", 20) == std::vector<std::string>{"one two three"});
  CHECK(wrap("one two three", 7) == std::vector<std::string>{"one two", "three"});
  CHECK(wrap("one two three", 8) == std::vector<std::string>{"one two", "three"});
  CHECK(wrap("  spaced   out  ", 20) == std::vector<std::string>{"spaced out"});
  CHECK(wrap("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  CHECK(wrap("to abcdefghij x", 4) == std::vector<std::string>{"to", "abcd", "efgh", "ij x"});
  CHECK(wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4) ==
        std::vector<std::string>{"\xe6\x97\xa5\xe6\x9c\xac", "\xe8\xaa\x9e"});
}

TEST_CASE("report text: a word wider than the width breaks after a separator where it has one", "[report][text]") {
  CHECK(wrap("https://tailscale.com/download/linux/debian-bookworm", 28) ==
        std::vector<std::string>{"https://tailscale.com/", "download/linux/debian-", "bookworm"});
  CHECK(wrap("add /etc/ssh/sshd_config.d/00-hardening.conf, then: reload", 28) ==
        std::vector<std::string>{"add", "/etc/ssh/sshd_config.d/00-", "hardening.conf, then: reload"});
  CHECK(wrap("/x/abcdefghijkl", 6) == std::vector<std::string>{"/x/", "abcdef", "ghijkl"});
  CHECK(wrap("abcdefghij-", 4) == std::vector<std::string>{"abcd", "efgh", "ij-"});
  CHECK(wrap("ab-\xe6\x97\xa5\xe6\x9c\xac", 4) == std::vector<std::string>{"ab-", "\xe6\x97\xa5\xe6\x9c\xac"});
  for (std::size_t width = 2; width < 40; ++width) {
    for (const auto &line : wrap("ssh://a.b/c-d_e=f:g,h/" + std::string(50, 'z') + "/end", width)) {
      INFO("width " << width << ": " << line);
      CHECK(hi::report::display_width(line) <= width);
    }
  }
}
