// `tailscale status --json` output, decided as plugins/tailscale/plugin.cpp does.
#include "fuzz_support.hpp"
#include "tailscale_status.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = tailscale::verdict(result);
  hi::fuzz::check_verdict(v);
  if (v.status != hermes_inspect::Status::pass) return 0;
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  hi::fuzz::expect(doc.is_object() && doc.value("BackendState", nlohmann::json()) == "Running",
                   "pass without BackendState Running");
  return 0;
}
