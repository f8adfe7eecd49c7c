// The ABI compatibility matrix of PLUGIN-ABI.md ("Versioning"), end to end:
// real plugin files built for older, current, newer and other ABI versions,
// as `hermes-inspect list --json` sees them.
#include "test_support.hpp"

#include <hermes_inspect/plugin.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace fs = std::filesystem;
using hi::test::TempDir;
using nlohmann::json;

namespace {

const std::string kAbiPlugins = HI_TEST_ABI_PLUGINS;

std::string abi(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }

struct Expected {
  std::string plugin;
  std::string state;
  std::string abi;                   // as the plugin was built; "" when refused
  std::optional<std::string> error;  // the whole message; nothing: error is null
  std::vector<std::string> signals;  // declared signals listed; none when refused
};

}  // namespace

TEST_CASE("sdk abi matrix: each plugin build gets the outcome PLUGIN-ABI.md promises") {
  const std::string current = abi(HI_ABI_MAJOR, HI_ABI_MINOR);
  const std::string next_minor = abi(HI_ABI_MAJOR, HI_ABI_MINOR + 1);
  const std::vector<Expected> matrix = {
      // Built against this header.
      {"good", "ok", current, std::nullopt, {"test-good", "test-echo"}},
      // Every struct exactly as long as ABI 1.0 lays it out, the oldest a 1.x
      // plugin can be: accepted.
      {"abi1_0", "ok", abi(1, 0), std::nullopt, {"test-abi1-0"}},
      // A signal descriptor one field shorter than 1.0's: no 1.x plugin, refused.
      {"short_signal", "invalid", "",
       "signal #0 has struct_size " + std::to_string(offsetof(hi_signal_desc, commands)) + " (expected " +
           std::to_string(offsetof(hi_signal_desc, commands) + sizeof(const char *)) + " to 4096)",
       {}},
      // Newer minor whose unknown fields are all zero: accepted.
      {"newer_minor_zero", "ok", next_minor, std::nullopt, {"test-newer-zero"}},
      // Newer minor that sets a field this core does not know: refused.
      {"newer_minor_set", "incompatible", "",
       "needs hermes-inspect >= " + next_minor + " (descriptor sets fields this core does not know)", {}},
      // Another major, through the 1.x entry point: refused.
      {"abi2", "incompatible", "", "built for ABI 2.0; this hermes-inspect speaks " + current, {}},
      // Another major through its own versioned entry point: refused as well.
      {"abi2_entry", "incompatible", "",
       "built for ABI 2 (exports hermes_inspect_plugin_v2); this hermes-inspect speaks " + current, {}},
  };

  TempDir dir;
  const std::string plugins = dir.mkdir("plugins");
  for (const auto &row : matrix) {
    const std::string to = plugins + "/" + row.plugin + ".so";
    fs::copy_file(kAbiPlugins + "/" + row.plugin + ".so", to);
    ::chmod(to.c_str(), 0644);
  }

  const auto r = hi::test::run_inspector({"list", "--json", "--plugins-dir", plugins},
                                         {"HERMES_INSPECT_PLUGIN_PATH="});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json listed = r.json().at("plugins");

  for (const auto &row : matrix) {
    INFO("plugin " << row.plugin);
    std::optional<json> found;
    for (const auto &p : listed)
      if (p.at("file") == plugins + "/" + row.plugin + ".so") found = p;
    REQUIRE(found);
    const json &p = *found;
    INFO(p.dump());
    CHECK(p.at("name") == row.plugin);
    CHECK(p.at("state") == row.state);
    CHECK(p.at("abi") == row.abi);
    CHECK(p.at("error") == (row.error ? json(*row.error) : json(nullptr)));
    CHECK(p.at("signals") == json(row.signals));
  }
}
