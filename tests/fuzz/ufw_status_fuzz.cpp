// `ufw status verbose` output, and the KEY=value files read when ufw refuses a
// non-root caller, decided as plugins/ufw/plugin.cpp does. Sections: the
// command's (see fuzz_support.hpp), plus "/etc/ufw/ufw.conf" and "/etc/default/ufw".
#include "fuzz_support.hpp"
#include "ufw_logic.hpp"

namespace {

namespace ufw = hermes_inspect::ufw;

ufw::ConfigFile config_file(const std::vector<hi::fuzz::Section> &sections, const char *path) {
  auto text = hi::fuzz::section(sections, path);
  return ufw::ConfigFile{path, text, text ? "" : "not found"};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using hi::fuzz::expect;
  const auto sections = hi::fuzz::split_sections(hi::fuzz::as_text(data, size));
  const auto result = hi::fuzz::command_result(sections);
  if (ufw::refused_not_root(result)) {
    const auto v = ufw::decide_not_root(config_file(sections, ufw::kConfPath),
                                        config_file(sections, ufw::kDefaultsPath));
    hi::fuzz::check_verdict(v);
    expect(v.needs_root, "a refusal without needs_root");
    return 0;
  }
  const auto v = ufw::decide_status(result);
  hi::fuzz::check_verdict(v);
  if (v.status == hermes_inspect::Status::pass)
    expect(result.succeeded() && hi::fuzz::contains(result.out, "Status:") &&
               hi::fuzz::contains(result.out, "active"),
           "pass without Status: active");
  return 0;
}
