// `docker info --format '{{json .SecurityOptions}}'` output, decided as
// plugins/docker-seccomp/plugin.cpp does.
#include "docker_seccomp.hpp"
#include "fuzz_support.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const auto result = hi::fuzz::command_result(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto v = docker_seccomp::verdict(result);
  hi::fuzz::check_verdict(v);
  if (v.status != hermes_inspect::Status::pass) return 0;
  hi::fuzz::expect(result.succeeded(), "pass from a failed docker info");
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  bool seccomp = false;
  if (doc.is_array())
    for (const auto &entry : doc)
      seccomp = seccomp || (entry.is_string() && hi::fuzz::contains(entry.get<std::string>(), "name=seccomp"));
  hi::fuzz::expect(seccomp, "pass without a name=seccomp entry: " + v.detail);
  return 0;
}
