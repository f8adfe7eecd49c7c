// `nft -j list ruleset` output, decided as plugins/nftables/plugin.cpp does.
#include "fuzz_support.hpp"
#include "nftables_logic.hpp"

#include <nlohmann/json.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = hermes_inspect::nftables::decide(result);
  hi::fuzz::check_verdict(v);
  if (v.status != hermes_inspect::Status::pass) return 0;
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  // nft before 1.1.0 may stop listing where a table's only flag belongs, exit 0.
  const std::string out = result.out.substr(0, result.out.find_last_not_of(" \t\n") + 1);
  const std::string flags_key = "\"flags\":";
  const bool cut_at_flags = out.size() >= flags_key.size() &&
                            out.compare(out.size() - flags_key.size(), flags_key.size(), flags_key) == 0;
  const bool whole = doc.is_object() && doc.contains("nftables");
  hi::fuzz::expect(result.succeeded() && (whole || cut_at_flags), "pass without an nft ruleset document");
  return 0;
}
