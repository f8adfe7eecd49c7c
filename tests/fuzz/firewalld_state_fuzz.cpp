// `firewall-cmd --state` output, decided as plugins/firewalld/plugin.cpp does.
// SIGNALS.md is exact here: pass only for exit 0 and stdout stripped == running.
#include "firewalld_logic.hpp"
#include "fuzz_support.hpp"

#include <cctype>

namespace {

std::string stripped(const std::string &s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  std::size_t begin = 0, end = s.size();
  while (begin < end && space(s[begin])) ++begin;
  while (end > begin && space(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = hermes_inspect::firewalld::decide(result);
  hi::fuzz::check_verdict(v);
  const bool running = result.succeeded() && stripped(result.out) == "running";
  hi::fuzz::expect((v.status == hermes_inspect::Status::pass) == running,
                   "pass must mean exactly `running`: " + v.detail);
  return 0;
}
