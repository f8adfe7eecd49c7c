// Deciding the `nftables` signal from `nft -j list ruleset`.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <string_view>

namespace hermes_inspect::nftables {

inline constexpr const char *kInstallFix = "apt install nftables";

// The verdict for a finished `nft -j list ruleset`: tool problems, the
// permission refusal, then the ruleset itself.
Verdict decide(const CommandResult &result);

// The verdict for the JSON document nft printed. Chains of a dormant table
// (or one whose flags nft misprinted, as nft before 1.1.0 does) never pass.
// Never throws: any shape that is not nft's gives a warn quoting the text.
Verdict evaluate_ruleset(std::string_view json_text);

}  // namespace hermes_inspect::nftables
