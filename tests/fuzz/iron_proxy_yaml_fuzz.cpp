// The Hermes home's files, decided as plugins/iron-proxy/plugin.cpp does.
// Sections: "config.yaml", "proxy.yaml", "iron-proxy.pid", "iron-proxy.nonce"
// and the pid's "stat", "cmdline" and "environ"; an unnamed input is both
// config.yaml and proxy.yaml. A daemon these files describe as iron-proxy
// would be reached with a TCP connect, so that last step is left to the
// plugin's own tests: the fuzzer never touches the network.
#include "fuzz_support.hpp"
#include "iron_proxy.hpp"

namespace {

using hi::fuzz::expect;

constexpr const char *kHome = "/home/agent/.hermes";

struct Home {
  std::vector<hi::fuzz::Section> sections;

  std::optional<std::string> file(const char *name) const {
    if (auto text = hi::fuzz::section(sections, name)) return text;
    const bool yaml = std::string_view(name) == "config.yaml" || std::string_view(name) == "proxy.yaml";
    return yaml ? hi::fuzz::section(sections, "") : std::nullopt;
  }

  // The section a path the plugin reads stands for.
  std::optional<std::string> lookup(const std::string &path) const {
    const std::string home = kHome;
    if (path == home) return std::string();
    if (path == home + "/config.yaml") return file("config.yaml");
    if (path == home + "/proxy/proxy.yaml") return file("proxy.yaml");
    if (path == home + "/proxy/ca.crt") return file("ca.crt");
    if (path == home + "/proxy/iron-proxy.pid") return file("iron-proxy.pid");
    if (path == home + "/proxy/iron-proxy.nonce") return file("iron-proxy.nonce");
    if (path.rfind("/proc/", 0) != 0) return std::nullopt;
    const auto slash = path.rfind('/');
    const std::string leaf = path.substr(slash + 1);
    if (leaf == "stat" || leaf == "cmdline" || leaf == "environ") return file(leaf.c_str());
    return std::nullopt;
  }

  iron_proxy::FileRead read(const std::string &path) const {
    auto text = lookup(path);
    if (!text) return iron_proxy::FileRead{HI_ERR_NOT_FOUND, "", "No such file or directory"};
    return iron_proxy::FileRead{HI_OK, std::move(*text), ""};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const Home home{hi::fuzz::split_sections(hi::fuzz::as_text(data, size))};
  const iron_proxy::ReadFile read = [&home](const std::string &path, uint32_t) { return home.read(path); };

  hi::fuzz::check_verdict(iron_proxy::enabled_verdict(kHome, read));

  std::string error;
  const auto endpoint = iron_proxy::tunnel_endpoint(home.file("proxy.yaml"), &error);
  expect(endpoint.has_value() != !error.empty(), "an endpoint and an error, or neither");
  if (endpoint) expect(endpoint->port != 0 && !endpoint->host.empty(), "endpoint " + endpoint->text());

  const auto cmdline = home.file("cmdline");
  if (cmdline && iron_proxy::is_iron_proxy(*cmdline, home.file("environ"), home.file("iron-proxy.nonce")))
    return 0;
  const auto running = iron_proxy::running_verdict(kHome, read);
  hi::fuzz::check_verdict(running);
  expect(running.status != hermes_inspect::Status::pass, "running passed without a connect");
  return 0;
}
