// `run` end to end: the defaults CONTRACT.md promises (Hermes home, timeout,
// tool path), --jobs, --verbose, --only, and the order of signals in JSON.
#include "cli_support.hpp"

using namespace hi::test;
using namespace hi::test::cli;

namespace {

// The iron-proxy-enabled record of a survey of an empty host whose Hermes home
// comes from the environment (env_args) and, when given, hermes_home_flag.
nlohmann::json iron_proxy_enabled(const EmptyHost &host, const std::vector<std::string> &env_args,
                                  const std::vector<std::string> &more = {}) {
  const auto r = run_with_env(env_args, with({"run", "--json", "--only", "iron-proxy-enabled", "--tool-path",
                                              host.tools()},
                                             more));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return signal_of(r.json(), "iron-proxy-enabled");
}

std::string enabled_config(bool on) { return std::string("proxy:\n  enabled: ") + (on ? "true" : "false") + "\n"; }

}  // namespace

TEST_CASE("cli run: --hermes-home defaults to $HERMES_HOME, else ~/.hermes", "[cli][run]") {
  const EmptyHost host;
  const TempDir user_home, hermes_home;
  user_home.write(".hermes/config.yaml", enabled_config(true));
  hermes_home.write("config.yaml", enabled_config(false));

  SECTION("HERMES_HOME unset: HOME/.hermes") {
    const auto s = iron_proxy_enabled(host, {"-u", "HERMES_HOME", "HOME=" + user_home.path()});
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "proxy.enabled: true in config.yaml");
  }
  SECTION("HERMES_HOME set: it wins over HOME") {
    const auto s = iron_proxy_enabled(host, {"HERMES_HOME=" + hermes_home.path(), "HOME=" + user_home.path()});
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "disabled in config.yaml");
  }
  SECTION("HERMES_HOME empty counts as unset") {
    const auto s = iron_proxy_enabled(host, {"HERMES_HOME=", "HOME=" + user_home.path()});
    CHECK(s.at("status") == "pass");
  }
  SECTION("the flag wins over both") {
    const auto s = iron_proxy_enabled(host, {"HERMES_HOME=" + hermes_home.path(), "HOME=" + user_home.path()},
                                      {"--hermes-home", user_home / ".hermes"});
    CHECK(s.at("status") == "pass");
  }
  SECTION("neither exists: the detail names the default it looked at") {
    const TempDir empty_home;
    const auto s = iron_proxy_enabled(host, {"-u", "HERMES_HOME", "HOME=" + empty_home.path()});
    CHECK(s.at("status") == "skip");
    CHECK(s.at("detail") == "Hermes home " + empty_home.path() + "/.hermes does not exist");
  }
}

TEST_CASE("cli run: a relative Hermes home is taken from the working directory", "[cli][run]") {
  const EmptyHost host;
  const TempDir cwd;
  cwd.write("agent/home/config.yaml", enabled_config(true));

  SECTION("--hermes-home") {
    const auto s = iron_proxy_enabled(host, {"-C", cwd.path()}, {"--hermes-home", "agent/home"});
    INFO(s.dump());
    CHECK(s.at("status") == "pass");
  }
  SECTION("$HERMES_HOME") {
    const auto s = iron_proxy_enabled(host, {"-C", cwd.path(), "HERMES_HOME=./agent/../agent/home"});
    INFO(s.dump());
    CHECK(s.at("status") == "pass");
  }
  SECTION("a relative home that does not exist is named absolute") {
    const auto r = run_with_env({"-C", cwd.path()}, with({"run", "--json", "--only", "iron-proxy-running",
                                                          "--hermes-home", "elsewhere"},
                                                         {"--tool-path", host.tools()}));
    REQUIRE(r.exit_code == 0);
    const auto s = signal_of(r.json(), "iron-proxy-running");
    CHECK(s.at("detail") == "Hermes home " + cwd.path() + "/elsewhere does not exist");
  }
}

TEST_CASE("cli run: --timeout defaults to 4 seconds per command", "[cli][run][slow]") {
  const EmptyHost host;
  write_fake_tool(host.dir(), "tools/ufw", "Status: active\n", "", 0, 60);
  const auto r = run_inspector(with({"run", "--json", "--only", "ufw"}, host.flags()));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = r.json();
  const auto ufw = signal_of(doc, "ufw");
  CHECK(ufw.at("status") == "skip");
  CHECK(ufw.at("detail") == "timed out after 4s");
  // The command's own timeout, not the plugin's deadline (4 s + 2 s), ended it.
  for (const auto &p : doc.at("plugins"))
    if (p.at("name") == "ufw") CHECK(p.at("state") == "ok");
}

TEST_CASE("cli run: the default tool path is $PATH, then /usr/local/sbin:/usr/sbin:/sbin", "[cli][run]") {
  const EmptyHost host;
  write_strict_fake_tool(host.dir(), "tools/ufw", {"status", "verbose"}, "Status: inactive\n");
  const std::vector<std::string> args{"run", "--json", "--only", "ufw,nftables", "--root", host.dir() / "root"};

  SECTION("a tool on $PATH is found first") {
    const auto r = run_with_env({"PATH=" + host.tools()}, args);
    REQUIRE(r.exit_code == 0);
    const auto ufw = signal_of(r.json(), "ufw");
    CHECK(ufw.at("status") == "fail");
    CHECK(ufw.at("detail") == "ufw installed but inactive");
  }
  SECTION("a tool only in an sbin directory is found though $PATH lacks it") {
    const std::string nft = require_tool("nft", "nftables");
    const std::string dir = std::filesystem::path(nft).parent_path().string();
    if (!runs_here(dir == "/usr/local/sbin" || dir == "/usr/sbin" || dir == "/sbin",
                   "nft is installed in " + dir + ", not an sbin directory"))
      return;
    const auto r = run_with_env({"PATH=" + host.tools()}, args);
    REQUIRE(r.exit_code == 0);
    CHECK(signal_of(r.json(), "nftables").at("detail") != "nft not installed");
  }
  SECTION("--tool-path replaces the default") {
    const TempDir empty;
    const auto r = run_with_env({"PATH=" + host.tools()}, with(args, {"--tool-path", empty.path()}));
    REQUIRE(r.exit_code == 0);
    const auto doc = r.json();
    CHECK(signal_of(doc, "ufw").at("detail") == "ufw not installed");
    CHECK(signal_of(doc, "nftables").at("detail") == "nft not installed");
  }
}

TEST_CASE("cli run: --jobs 1 is still a full and correct survey", "[cli][run]") {
  const EmptyHost host;
  const auto plugins = host.good_plugins();
  write_strict_fake_tool(host.dir(), "tools/ufw", {"status", "verbose"}, "Status: inactive\n");
  const auto args = with({"run", "--json", "--plugins-dir", plugins}, host.flags());
  const auto all_at_once = run_inspector(args);
  const auto one_by_one = run_inspector(with(args, {"--jobs", "1"}));
  REQUIRE(all_at_once.exit_code == 0);
  REQUIRE(one_by_one.exit_code == 0);

  auto outcome = [](const nlohmann::json &doc) {
    std::vector<std::string> out;
    for (const auto &s : doc.at("signals"))
      out.push_back(s.at("name").get<std::string>() + " " + s.at("status").get<std::string>() + " " +
                    s.at("detail").get<std::string>());
    for (const auto &p : doc.at("plugins"))
      out.push_back(p.at("file").get<std::string>() + " " + p.at("state").get<std::string>());
    return out;
  };
  const auto parallel = outcome(all_at_once.json());
  const auto sequential = outcome(one_by_one.json());
  CHECK(sequential == parallel);
  const auto doc = one_by_one.json();
  for (const auto &name : ten_signals()) CHECK_NOTHROW(signal_of(doc, name));
  CHECK(signal_of(doc, "ufw").at("detail") == "ufw installed but inactive");
  CHECK(signal_of(doc, "test-good").at("status") == "pass");
  for (const auto &p : doc.at("plugins")) CHECK(p.at("state") == "ok");
}

TEST_CASE("cli run: --jobs must be at least 1", "[cli][run]") {
  const auto r = run_inspector({"run", "--jobs", "0"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--jobs"));
  CHECK(r.out.empty());
}

TEST_CASE("cli run: --verbose shows each plugin's fate and timings on stderr", "[cli][run]") {
  const EmptyHost host;
  const auto plugins = host.good_plugins();
  const auto args = with({"run", "--json", "--plugins-dir", plugins}, host.flags());

  const auto quiet = run_inspector(args);
  REQUIRE(quiet.exit_code == 0);
  CHECK_FALSE(contains(quiet.err, "[good]"));

  const auto verbose = run_inspector(with(args, {"--verbose"}));
  REQUIRE(verbose.exit_code == 0);
  INFO(verbose.err);
  CHECK(contains(verbose.err, "[good] ok in "));
  CHECK(contains(verbose.err, " ms (" + plugins + "/good.so)"));
  CHECK(contains(verbose.err, "[good]   test-good: pass after "));
  CHECK(contains(verbose.err, "[ufw]   ufw: skip after "));
  // Diagnostics go to stderr only: stdout is still one JSON document, with the
  // same verdicts (durations differ from run to run).
  const auto verdicts = [](nlohmann::json signals) {
    for (auto &s : signals) s.erase("duration_ms");
    return signals;
  };
  CHECK(verdicts(verbose.json().at("signals")) == verdicts(quiet.json().at("signals")));
}

TEST_CASE("cli run: signals in JSON come in CONTRACT.md order, then the others by name", "[cli][run]") {
  const EmptyHost host;
  const auto r = run_inspector(with({"run", "--json", "--plugins-dir", host.good_plugins()}, host.flags()));
  REQUIRE(r.exit_code == 0);
  const auto names = signal_names(r.json());
  REQUIRE(names.size() > ten_signals().size());
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 10) == ten_signals());
  const std::vector<std::string> others(names.begin() + 10, names.end());
  CHECK(std::is_sorted(others.begin(), others.end()));
  CHECK(std::find(others.begin(), others.end(), "test-echo") != others.end());
  CHECK(std::find(others.begin(), others.end(), "test-good") != others.end());
}

TEST_CASE("cli run: with --only, a required signal left out is reported as not surveyed", "[cli][run][only]") {
  const EmptyHost host;
  const auto args = with({"run", "--only", "ufw"}, host.flags());

  SECTION("the table") {
    const auto r = run_with_env({"LC_ALL=C.UTF-8"}, args);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(has_line(r.out, "  ssh-password-auth not surveyed (--only)"));
    CHECK(has_line(r.out, "  iron-proxy-enabled not surveyed (--only)"));
    CHECK_FALSE(contains(r.out, "no plugin provides"));
  }
  SECTION("JSON") {
    const auto r = run_inspector(with(args, {"--json"}));
    REQUIRE(r.exit_code == 0);
    const auto doc = r.json();
    CHECK(signal_names(doc) == std::vector<std::string>{"ufw"});
    std::vector<std::string> notes;
    for (const auto &u : doc.at("unmet"))
      for (const auto &n : u.at("notes")) notes.push_back(n.get<std::string>());
    CHECK(notes == std::vector<std::string>{"firewalld not surveyed (--only)", "nftables not surveyed (--only)",
                                            "tailscale not surveyed (--only)", "ssh-password-auth not surveyed (--only)",
                                            "iron-proxy-enabled not surveyed (--only)"});
    CHECK(doc.at("satisfied") == false);
  }
  SECTION("--strict: a baseline not surveyed whole is not satisfied, exit 1") {
    CHECK(run_inspector(with(args, {"--strict"})).exit_code == 1);
  }
  SECTION("a signal no plugin provides still says so") {
    const TempDir baselines;
    baselines.write("other.yaml", "require: [ufw, wireguard]\n");
    const auto r = run_inspector(with(args, {"--json", "--baselines-dir", baselines.path(), "--baseline", "other"}));
    REQUIRE(r.exit_code == 0);
    const auto unmet = r.json().at("unmet");
    REQUIRE(unmet.size() == 2);
    CHECK(unmet[1].at("notes") == nlohmann::json{"no plugin provides wireguard"});
  }
}

TEST_CASE("cli run: --only with a signal no plugin provides is a usage error naming the known ones",
          "[cli][run][only]") {
  const auto r = run_inspector({"run", "--only", "ufw,no-such-signal"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "unknown signal 'no-such-signal' in --only (known: "));
  CHECK(contains(r.err, "ssh-password-auth"));
  CHECK(r.out.empty());
}
