// `fail2ban-client status` output, decided as plugins/fail2ban/plugin.cpp does.
#include "fail2ban_status.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using hi::fuzz::expect;
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = fail2ban::verdict(result);
  hi::fuzz::check_verdict(v);
  if (v.status == hermes_inspect::Status::pass) {
    const auto jails = fail2ban::jail_list(result.out);
    expect(result.exit_code == 0 && jails && !jails->empty(), "pass without a jail");
  }
  return 0;
}
