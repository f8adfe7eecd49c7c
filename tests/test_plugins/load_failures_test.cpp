// What `list` and `run` say about plugin files that fail to load, word for
// word: the reasons are the user's only clue, so they must be exact and clean.
#include "test_support.hpp"

#include <hermes_inspect/plugin.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace fs = std::filesystem;
using hi::test::run_inspector;
using hi::test::TempDir;
using nlohmann::json;

namespace {

const std::string kPlugins = HI_TEST_PLUGINS;
const std::string kThisAbi = std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR);

// A trusted plugins dir holding copies of the named test plugin files.
std::string plugins_dir(const TempDir &dir, const std::vector<std::string> &names) {
  const std::string plugins = dir.mkdir("plugins");
  ::chmod(plugins.c_str(), 0755);
  for (const auto &name : names) {
    const std::string to = plugins + "/" + name + ".so";
    fs::copy_file(kPlugins + "/" + name + ".so", to);
    ::chmod(to.c_str(), 0644);
  }
  return plugins;
}

json plugin_from(const json &report, const std::string &file) {
  for (const auto &p : report.at("plugins"))
    if (p.at("file") == file) return p;
  FAIL("no plugin from " << file << " in " << report.at("plugins").dump());
  return {};
}

struct Expected {
  std::string plugin;
  std::string state;
  std::string error;  // the whole message, with PLUGINS standing for the plugins dir
};

std::string with_dir(std::string text, const std::string &plugins) {
  const std::string placeholder = "PLUGINS";
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + plugins.size()))
    text.replace(at, placeholder.size(), plugins);
  return text;
}

void require_outcomes(const std::vector<Expected> &expected, const std::vector<std::string> &command) {
  TempDir dir;
  std::vector<std::string> names;
  for (const auto &e : expected) names.push_back(e.plugin);
  const std::string plugins = plugins_dir(dir, names);
  std::vector<std::string> args = command;
  args.insert(args.end(), {"--json", "--plugins-dir", plugins});
  const auto r = run_inspector(args, {"HERMES_INSPECT_PLUGIN_PATH="});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = r.json();
  for (const auto &e : expected) {
    const json p = plugin_from(report, plugins + "/" + e.plugin + ".so");
    INFO(p.dump());
    CHECK(p.at("state") == e.state);
    CHECK(p.at("error") == with_dir(e.error, plugins));
    CHECK(p.at("signals") == json::array());
  }
}

}  // namespace

TEST_CASE("load failures: a plugin refused after dlopen stays loaded, so its destructors never run") {
  TempDir dir;
  const std::string plugins = plugins_dir(dir, {"misnamed_dtor"});
  const std::string marker = dir / "unloaded";
  for (const std::string command : {"list", "run"}) {
    INFO(command);
    const auto r = run_inspector({command, "--json", "--plugins-dir", plugins},
                                 {"HERMES_INSPECT_PLUGIN_PATH=", "HI_TEST_UNLOAD_MARKER=" + marker});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json p = plugin_from(r.json(), plugins + "/misnamed_dtor.so");
    CHECK(p.at("state") == "invalid");
    CHECK(p.at("error") ==
          "plugin calls itself \"not-misnamed-dtor\" but its file is misnamed_dtor.so; the names must match");
    CHECK_FALSE(fs::exists(marker));
  }
}

TEST_CASE("load failures: files that are no loadable plugin give the dynamic loader's reason, and only that") {
  const std::vector<Expected> expected = {
      {"bogus", "invalid", "dlopen failed: PLUGINS/bogus.so: file too short"},
      {"truncated", "invalid", "dlopen failed: PLUGINS/truncated.so: cannot read file data"},
      {"undefined_fn", "invalid",
       "dlopen failed: PLUGINS/undefined_fn.so: undefined symbol: hi_test_function_nobody_defines"},
      {"nosym", "invalid", "no hermes_inspect_plugin_v1 symbol: not a hermes-inspect plugin"},
  };
  for (const std::string command : {"list", "run"}) {
    INFO(command);
    require_outcomes(expected, {command});
  }
}

TEST_CASE("load failures: a versioned entry of another major is incompatible, not a stranger") {
  require_outcomes({{"abi2_entry", "incompatible",
                     "built for ABI 2 (exports hermes_inspect_plugin_v2); this hermes-inspect speaks " + kThisAbi},
                    {"abi2", "incompatible", "built for ABI 2.0; this hermes-inspect speaks " + kThisAbi}},
                   {"list"});
}

TEST_CASE("load failures: a signal descriptor shorter than ABI 1.0's is invalid") {
  const std::string short_size = std::to_string(offsetof(hi_signal_desc, commands));
  const std::string size_1_0 = std::to_string(offsetof(hi_signal_desc, commands) + sizeof(const char *));
  require_outcomes({{"short_signal", "invalid",
                     "signal #0 has struct_size " + short_size + " (expected " + size_1_0 + " to 4096)"}},
                   {"list"});
}
