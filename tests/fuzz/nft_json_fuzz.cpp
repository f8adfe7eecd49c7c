// `nft -j list ruleset` output, decided as plugins/nftables/plugin.cpp does.
#include "fuzz_support.hpp"
#include "nftables_logic.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = hermes_inspect::nftables::decide(result);
  hi::fuzz::check_verdict(v);
  if (v.status != hermes_inspect::Status::pass) return 0;
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  hi::fuzz::expect(result.succeeded() && doc.is_object() && doc.contains("nftables"),
                   "pass without an nft ruleset document");
  return 0;
}
