#include "protocol.hpp"

#include <catch2/catch.hpp>

using hi::protocol::LineParser;
using hi::protocol::Transcript;
using nlohmann::json;

namespace {

Transcript described(std::initializer_list<const char *> ids) {
  Transcript t;
  json signals = json::array();
  for (const char *id : ids) signals.push_back({{"id", id}});
  t.apply({{"type", "describe"}, {"name", "p"}, {"version", "1"}, {"abi", "1.0"}, {"signals", signals}});
  return t;
}

}  // namespace

TEST_CASE("lines split across reads are reassembled and garbage lines become errors") {
  LineParser parser;
  std::vector<json> messages;
  std::vector<std::string> errors;
  parser.feed("{\"type\":\"do", messages, errors);
  CHECK(messages.empty());
  parser.feed("ne\",\"rc\":0}\nnot json\n[1,2]\n{\"a\":1}\n{\"unterminated\"", messages, errors);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("type") == "done");
  CHECK(errors.size() == 2);
  parser.finish(errors);
  CHECK(errors.size() == 3);
  CHECK(errors.back() == "result stream ended mid-line");
}

TEST_CASE("an overlong line is dropped whole without buffering it") {
  LineParser parser;
  std::vector<json> messages;
  std::vector<std::string> errors;
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 10; ++i) parser.feed(chunk, messages, errors);
  parser.feed("\n{\"type\":\"done\"}\n", messages, errors);
  CHECK(errors.size() == 1);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].at("type") == "done");
}

TEST_CASE("only declared signals are kept, the first report wins, bad fields never throw") {
  Transcript t = described({"a", "b"});
  t.apply({{"type", "result"}, {"signal", "a"}, {"status", "fail"}, {"detail", "first"}});
  t.apply({{"type", "result"}, {"signal", "a"}, {"status", "pass"}, {"detail", "second"}});
  t.apply({{"type", "result"}, {"signal", "zzz"}, {"status", "pass"}});
  t.apply({{"type", "result"}, {"signal", "b"}, {"status", "great"}});
  t.apply({{"type", "result"}, {"signal", 7}, {"status", json::array()}, {"detail", {{"x", 1}}}});
  t.apply(json::array({1, 2}));
  t.apply({{"type", "command_group"}, {"pgid", "not a number"}});
  t.apply({{"type", "who-knows"}});
  REQUIRE(t.results.size() == 1);
  CHECK(t.results[0].detail == "first");
  CHECK(t.results[0].status == hi::SignalStatus::fail);
  CHECK(t.command_groups.empty());
  CHECK(t.errors.size() == 5);
}

TEST_CASE("text fields are bounded") {
  Transcript t = described({"a"});
  t.apply({{"type", "result"}, {"signal", "a"}, {"status", "pass"}, {"detail", std::string(100000, 'd')}});
  REQUIRE(t.results.size() == 1);
  CHECK(t.results[0].detail.size() <= hi::protocol::kMaxTextField + 3);
}

TEST_CASE("encode always produces one valid line, even from invalid UTF-8") {
  const std::string line = hi::protocol::encode({{"detail", std::string("bad \xff\xfe bytes\n")}});
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK_FALSE(json::parse(line, nullptr, false).is_discarded());
}
