// The SDK as a third party uses it, with the commands sdk/README.md gives:
// this build installed into a fresh prefix; each example copied out of the
// source tree, configured with nothing but CMAKE_PREFIX_PATH, built and
// installed into a plugins dir; then listed, run against fixture roots and
// checked against a site baseline by the installed hermes-inspect.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace fs = std::filesystem;
using hi::test::ProcessResult;
using hi::test::signal_of;
using hi::test::TempDir;
using nlohmann::json;

namespace {

const std::string kCmake = HI_TEST_CMAKE;
const std::string kNm = HI_TEST_NM;
const std::string kCc = HI_TEST_CC;
// Guards against a hung compiler on a loaded machine; not a limit on speed.
constexpr std::chrono::minutes kHangGuard{30};

struct Example {
  std::string dir;     // under sdk/examples
  std::string plugin;  // its plugin and file name
  std::string signal;
};

const std::vector<Example> kExamples = {
    {"c-probe", "example-motd", "example-motd"},
    {"cpp-probe", "example-unattended-upgrades", "example-unattended-upgrades"},
};

std::string joined(const std::vector<std::string> &argv) {
  std::string out;
  for (const auto &a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

ProcessResult must_run(const std::vector<std::string> &argv) {
  const auto r = hi::test::run_process(argv, {}, kHangGuard);
  INFO(joined(argv) << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// The defined dynamic symbols of a shared object, by name.
std::set<std::string> exported_symbols(const std::string &so) {
  std::istringstream lines(must_run({kNm, "-D", "--defined-only", so}).out);
  std::set<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find_last_of(' ');
    if (!line.empty()) names.insert(line.substr(at == std::string::npos ? 0 : at + 1));
  }
  return names;
}

// Every compile command includes the installed headers and nothing of the source tree.
void require_built_from_prefix(const std::string &build, const std::string &prefix) {
  const json commands = json::parse(hi::test::read_text(build + "/compile_commands.json"));
  REQUIRE_FALSE(commands.empty());
  for (const auto &c : commands) {
    const std::string command = c.at("command");
    INFO(command);
    CHECK(command.find(prefix + "/include") != std::string::npos);
    CHECK(command.find(hi::test::source_dir()) == std::string::npos);
  }
}

// Copies the example out of the source tree, configures, builds and installs it
// into site_prefix, exactly as sdk/README.md says.
void build_example(const Example &e, const TempDir &work, const std::string &prefix,
                   const std::string &site_prefix) {
  const std::string src = work / ("src/" + e.dir);
  fs::create_directories(src);
  fs::copy(hi::test::source_dir() + "/sdk/examples/" + e.dir, src, fs::copy_options::recursive);
  const std::string build = work / ("build/" + e.dir);
  must_run({kCmake, "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix,
            "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"});
  must_run({kCmake, "--build", build});
  must_run({kCmake, "--install", build, "--prefix", site_prefix});
  require_built_from_prefix(build, prefix);
}

struct Fixture {
  std::string motd;       // "": no /etc/motd
  std::string periodic;   // 20auto-upgrades; "": absent
  bool debian = true;
  bool hostname = true;
};

std::string make_root(const TempDir &work, const std::string &name, const Fixture &f) {
  const std::string root = work.mkdir("roots/" + name);
  const std::string rel = "roots/" + name + "/etc/";
  work.mkdir(rel);
  if (f.hostname) work.write(rel + "hostname", "vps-1\n");
  if (!f.motd.empty()) work.write(rel + "motd", f.motd);
  if (f.debian) work.write(rel + "debian_version", "12.5\n");
  if (!f.periodic.empty()) work.write(rel + "apt/apt.conf.d/20auto-upgrades", f.periodic);
  return root;
}

// The text of the first fenced block of `language` after `marker` in markdown.
std::string fenced_block(const std::string &markdown, const std::string &marker, const std::string &language) {
  const auto at = markdown.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string open = "```" + language + "\n";
  const auto start = markdown.find(open, at);
  REQUIRE(start != std::string::npos);
  const auto end = markdown.find("\n```\n", start + open.size());
  REQUIRE(end != std::string::npos);
  return markdown.substr(start + open.size(), end + 1 - start - open.size());
}

// CMake wraps the messages it prints; this undoes it.
std::string one_spaced(const std::string &text) {
  std::istringstream words(text);
  std::string out;
  for (std::string word; words >> word;) out += (out.empty() ? "" : " ") + word;
  return out;
}

json plugin_in(const json &plugins, const std::string &file) {
  for (const auto &p : plugins)
    if (p.at("file") == file) return p;
  FAIL("no plugin from " << file << " in " << plugins.dump());
  return {};
}

}  // namespace

TEST_CASE("sdk out of tree: the examples build against an installed prefix and run under it") {
  // Installs follow the umask, and the trust check refuses group-writable plugin dirs.
  ::umask(022);
  TempDir work;
  const std::string prefix = work / "prefix";
  must_run({kCmake, "--install", hi::test::build_dir(), "--prefix", prefix});
  const std::string inspector = prefix + "/bin/hermes-inspect";
  REQUIRE(fs::exists(prefix + "/lib/cmake/HermesInspect/HermesInspectConfig.cmake"));
  REQUIRE(fs::exists(prefix + "/include/hermes_inspect/plugin.h"));

  const std::string site = work / "site";
  const std::string plugins = site + "/lib/hermes-inspect/plugins";
  for (const auto &e : kExamples) {
    INFO("example " << e.dir);
    build_example(e, work, prefix, site);
    const std::string so = plugins + "/" + e.plugin + ".so";
    REQUIRE(fs::exists(so));
    CHECK(exported_symbols(so) == std::set<std::string>{"hermes_inspect_plugin_v1"});
  }

  // No plugin path from the environment, and no tools: the prefix's bundled
  // probes skip instead of asking this host.
  const std::vector<std::string> env = {"HERMES_INSPECT_PLUGIN_PATH="};
  const std::string tools = work.mkdir("no-tools");
  const std::string home = work.mkdir("hermes-home");
  const std::string baselines = work.mkdir("baselines");
  work.write("baselines/examples.yaml",
             "description: The example plugins' signals\n"
             "require:\n"
             "  - example-motd\n"
             "  - signal: example-unattended-upgrades\n"
             "    why: security updates install themselves\n");

  // The steps share one install and one build of each example, so they are
  // blocks, not Catch sections (each section would rerun the test from the top).
  {  // the build dir itself is a plugins dir
    const std::string build = work / "build/c-probe";
    const auto r = hi::test::run_process({inspector, "list", "--json", "--plugins-dir", build}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(plugin_in(r.json().at("plugins"), build + "/example-motd.so").at("state") == "ok");
  }

  {  // without CMake: the one compiler command of the README
    const std::string hand = work.mkdir("hand");
    must_run({kCc, "-std=c99", "-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-I" + prefix + "/include",
              "-Wl,--version-script=" + prefix + "/lib/cmake/HermesInspect/HermesInspectPlugin.map", "-o",
              hand + "/example-motd.so", work / "src/c-probe/example_motd.c"});
    CHECK(exported_symbols(hand + "/example-motd.so") == std::set<std::string>{"hermes_inspect_plugin_v1"});
    const auto r = hi::test::run_process({inspector, "list", "--json", "--plugins-dir", hand}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(plugin_in(r.json().at("plugins"), hand + "/example-motd.so").at("state") == "ok");
  }

  {  // the C example's own -Werror flags hold under clang too, not only under the suite's compiler
    const std::string clang = hi::test::require_tool("clang", "clang");
    const std::string build = work / "build/c-probe-clang";
    must_run({kCmake, "-S", work / "src/c-probe", "-B", build, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix,
              "-DCMAKE_C_COMPILER=" + clang});
    must_run({kCmake, "--build", build});
    CHECK(exported_symbols(build + "/example-motd.so") == std::set<std::string>{"hermes_inspect_plugin_v1"});
  }

  {  // list shows both examples loaded from the plugins dir
    const auto r = hi::test::run_process({inspector, "list", "--json", "--plugins-dir", plugins}, env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json listed = r.json().at("plugins");
    for (const auto &e : kExamples) {
      const json p = plugin_in(listed, plugins + "/" + e.plugin + ".so");
      INFO(p.dump());
      CHECK(p.at("name") == e.plugin);
      CHECK(p.at("state") == "ok");
      CHECK(p.at("version") == "0.1.0");
      CHECK(p.at("abi") == "1.0");
      CHECK(p.at("error").is_null());
      CHECK(p.at("signals") == json::array({e.signal}));
    }
  }

  {  // run reports each verdict, and the site baseline follows them
    struct Case {
      std::string root;
      std::string motd_status, motd_detail;
      std::string upgrades_status, upgrades_detail;
      std::vector<std::string> missing;
    };
    const std::string enabled = "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n";
    const std::string disabled = "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"0\";\n";
    const std::vector<Case> cases = {
        {make_root(work, "passing", {"Authorised use only.\n", enabled}),
         "pass", "/etc/motd does not name the host \"vps-1\"",
         "pass", "APT::Periodic::Unattended-Upgrade \"1\"", {}},
        {make_root(work, "failing", {"Welcome to vps-1!\n", disabled}),
         "fail", "/etc/motd names the host \"vps-1\"",
         "fail", "APT::Periodic::Unattended-Upgrade \"0\" (disabled)", {"example-motd", "example-unattended-upgrades"}},
        {make_root(work, "unconfigured", {"", ""}),
         "pass", "no /etc/motd",
         "fail", "/etc/apt/apt.conf.d/20auto-upgrades not found", {"example-unattended-upgrades"}},
        {make_root(work, "bare", {"", "", false, false}),
         "skip", "no /etc/hostname under the root",
         "skip", "not a Debian-family system (no /etc/debian_version)", {"example-motd", "example-unattended-upgrades"}},
    };
    for (const auto &c : cases) {
      INFO("root " << c.root);
      const auto r = hi::test::run_process({inspector, "run", "--all", "--json", "--plugins-dir", plugins, "--root",
                                            c.root, "--tool-path", tools, "--hermes-home", home,
                                            "--baselines-dir", baselines, "--baseline", "examples"},
                                           env);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const json report = r.json();
      const json motd = signal_of(report, "example-motd");
      CHECK(motd.at("status") == c.motd_status);
      CHECK(motd.at("detail") == c.motd_detail);
      CHECK(motd.at("plugin") == "example-motd");
      const json upgrades = signal_of(report, "example-unattended-upgrades");
      CHECK(upgrades.at("status") == c.upgrades_status);
      CHECK(upgrades.at("detail") == c.upgrades_detail);
      CHECK(motd.at("fix") == (c.motd_status == "fail" ? json("Remove the host name from /etc/motd") : json()));
      CHECK(upgrades.at("fix") ==
            (c.upgrades_status == "fail"
                 ? json("apt-get install unattended-upgrades && dpkg-reconfigure -plow unattended-upgrades")
                 : json()));
      CHECK(report.at("baseline") == "examples");
      CHECK(report.at("satisfied") == c.missing.empty());
      CHECK(report.at("missing") == json(c.missing));
    }
  }

  {  // --only runs just the plugin providing the signal; --strict makes the baseline the exit code
    const std::string root = make_root(work, "only", {"Welcome to vps-1!\n", ""});
    const auto r = hi::test::run_process({inspector, "run", "--json", "--only", "example-motd", "--strict",
                                          "--plugins-dir", plugins, "--root", root, "--tool-path", tools,
                                          "--baselines-dir", baselines, "--baseline", "examples"},
                                         env);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    const json report = r.json();
    std::vector<std::string> names;
    for (const auto &s : report.at("signals")) names.push_back(s.at("name"));
    CHECK(names == std::vector<std::string>{"example-motd"});
    CHECK(signal_of(report, "example-motd").at("status") == "fail");
    CHECK(report.at("missing") == json::array({"example-motd", "example-unattended-upgrades"}));
  }

  {  // explain shows the declared texts
    const auto r = hi::test::run_process({inspector, "explain", "example-unattended-upgrades", "--plugins-dir",
                                          plugins},
                                         env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("example-unattended-upgrades: APT installs updates unattended") != std::string::npos);
    CHECK(r.out.find("(none: it reads files only)") != std::string::npos);
  }
}

TEST_CASE("sdk cmake: hermes_inspect_add_plugin takes exactly the names the core loads") {
  TempDir work;
  const std::string longest = "a" + std::string(63, 'b');
  // Configures a project adding one plugin under `name`; nothing is built.
  auto configure = [&](const std::string &name) {
    const std::string src = work.mkdir("src-" + std::to_string(name.size()) + "-" + name.substr(0, 1));
    work.write(fs::path(src).filename().string() + "/probe.c", "int unused;\n");
    work.write(fs::path(src).filename().string() + "/CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.17)\n"
               "project(names LANGUAGES C)\n"
               "add_library(HermesInspect::sdk INTERFACE IMPORTED)\n"
               "include(" + hi::test::source_dir() + "/sdk/cmake/HermesInspectPlugin.cmake)\n"
               "hermes_inspect_add_plugin(" + name + " SOURCES probe.c)\n");
    return hi::test::run_process({kCmake, "-S", src, "-B", src + "/build", "-G", "Ninja"}, {}, kHangGuard);
  };
  const std::string rule = "plugin names are [a-z0-9][a-z0-9._-]{0,63}: lower case, at most 64 characters";
  const auto accepted = configure(longest);
  INFO(accepted.out << accepted.err);
  CHECK(accepted.exit_code == 0);
  for (const std::string &name : {longest + "c", std::string("Upper")}) {
    INFO("name " << name);
    const auto refused = configure(name);
    CHECK(refused.exit_code != 0);
    CHECK(one_spaced(refused.err).find("hermes_inspect_add_plugin(" + name + "): " + rule) != std::string::npos);
  }
}

TEST_CASE("sdk readme: the C example and its CMakeLists.txt are inlined exactly as built") {
  const std::string readme = hi::test::read_text(hi::test::source_dir() + "/sdk/README.md");
  const std::string examples = hi::test::source_dir() + "/sdk/examples/c-probe/";
  CHECK(fenced_block(readme, "## The C example in full", "c") == hi::test::read_text(examples + "example_motd.c"));
  CHECK(fenced_block(readme, "### 2. The plugin's CMakeLists.txt", "cmake") ==
        hi::test::read_text(examples + "CMakeLists.txt"));
}
