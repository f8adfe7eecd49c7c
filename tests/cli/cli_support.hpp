// A host with nothing on it, for end-to-end runs of the built binary: no tools
// on the tool path, no configuration files under the root, no Hermes home. What
// the survey says about it depends only on the flags under test.
#pragma once

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace hi::test::cli {

// The ten signals of CONTRACT.md, in its order.
inline const std::vector<std::string> &ten_signals() {
  static const std::vector<std::string> names = {
      "tailscale", "ufw", "firewalld", "nftables", "fail2ban", "ssh-password-auth",
      "ssh-root-login", "iron-proxy-enabled", "iron-proxy-running", "docker-seccomp"};
  return names;
}

const std::string kPass = "\xe2\x9c\x93";  // ✓
const std::string kFail = "\xe2\x9c\x97";  // ✗
const std::string kDash = "\xe2\x80\x94";  // —

class EmptyHost {
 public:
  EmptyHost() : tools_(dir_.mkdir("tools")), root_(dir_.mkdir("root")), home_(dir_ / "no-hermes-home") {}

  const TempDir &dir() const { return dir_; }
  const std::string &tools() const { return tools_; }

  // The flags that point a survey at this host.
  std::vector<std::string> flags() const {
    return {"--tool-path", tools_, "--root", root_, "--hermes-home", home_};
  }

  // A plugins dir holding a copy of the good test plugin (signals test-echo
  // and test-good, both passing), for signals beyond the bundled ten.
  std::string good_plugins() const {
    const std::string plugins = dir_.mkdir("plugins");
    std::filesystem::copy_file(HI_TEST_GOOD_PLUGIN, plugins + "/good.so",
                               std::filesystem::copy_options::overwrite_existing);
    return plugins;
  }

 private:
  TempDir dir_;
  std::string tools_, root_, home_;
};

// args followed by more.
inline std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string> &more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The built binary under env(1): env_args are env's own ("-u NAME",
// "NAME=value", "-C DIR"), so a test can unset and replace variables of its
// own environment, which run_inspector's extra_env cannot.
inline ProcessResult run_with_env(const std::vector<std::string> &env_args, const std::vector<std::string> &args) {
  std::vector<std::string> argv{"/usr/bin/env"};
  argv.insert(argv.end(), env_args.begin(), env_args.end());
  argv.push_back(inspector_binary());
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

inline std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline bool has_line(const std::string &text, const std::string &wanted) {
  const auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

inline bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

inline std::vector<std::string> signal_names(const nlohmann::json &report) {
  std::vector<std::string> names;
  for (const auto &s : report.at("signals")) names.push_back(s.at("name").get<std::string>());
  return names;
}

}  // namespace hi::test::cli
