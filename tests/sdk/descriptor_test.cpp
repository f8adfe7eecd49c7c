// hi::read_descriptor on descriptors built in memory: the ABI rules of
// PLUGIN-ABI.md ("Versioning") case by case, without a shared object around them.
#include "loader.hpp"

#include <hermes_inspect/plugin.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <deque>
#include <string>
#include <variant>
#include <vector>

namespace {

int noop_probe(const hi_host *) { return 0; }

hi_signal_desc signal_desc(const char *id) {
  return {sizeof(hi_signal_desc), id, "A title", "What it checks", "Why it matters", "The fix", "true"};
}

// A plugin descriptor and everything it points to. Not copyable: the
// descriptor points into its own members.
class Descriptor {
 public:
  explicit Descriptor(const std::vector<std::string> &signal_ids) {
    for (const auto &id : signal_ids) {
      ids_.push_back(id);
      signals_.push_back(signal_desc(ids_.back().c_str()));
    }
    for (const auto &s : signals_) pointers_.push_back(&s);
    desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "example", "1.2.3", "An example",
            static_cast<uint32_t>(pointers_.size()), pointers_.data(), noop_probe};
  }
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;

  hi_signal_desc &signal(std::size_t i) { return signals_.at(i); }
  std::vector<const hi_signal_desc *> &pointers() { return pointers_; }

  hi_plugin_desc desc{};

 private:
  std::deque<std::string> ids_;          // deques: element addresses stay put
  std::deque<hi_signal_desc> signals_;
  std::vector<const hi_signal_desc *> pointers_;
};

// A plugin built against ABI 1.(HI_ABI_MINOR + 1), which appended one field.
struct NewerPluginDesc {
  hi_plugin_desc known;
  const void *added_in_next_minor;
};

struct NewerSignalDesc {
  hi_signal_desc known;
  const char *added_in_next_minor;
};

const std::string kNextMinor = std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR + 1);

hi::PluginDescriptor accepted(const hi::DescriptorOrFailure &result) {
  if (const auto *failure = std::get_if<hi::LoadFailure>(&result)) FAIL("refused: " << failure->message);
  return std::get<hi::PluginDescriptor>(result);
}

// Checks the refusal's state and that its message contains `message`.
void require_refused(const hi::DescriptorOrFailure &result, hi::PluginState state, const std::string &message) {
  REQUIRE(std::holds_alternative<hi::LoadFailure>(result));
  const auto &failure = std::get<hi::LoadFailure>(result);
  INFO("message: " << failure.message);
  CHECK(hi::to_string(failure.state) == std::string(hi::to_string(state)));
  CHECK(failure.message.find(message) != std::string::npos);
}

}  // namespace

TEST_CASE("sdk descriptor: a well-formed descriptor is copied field by field") {
  Descriptor d({"example-a", "example-b"});
  const auto out = accepted(hi::read_descriptor(&d.desc, "example"));
  CHECK(out.name == "example");
  CHECK(out.version == "1.2.3");
  CHECK(out.description == "An example");
  CHECK(out.abi == std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR));
  CHECK(out.probe == &noop_probe);
  REQUIRE(out.signals.size() == 2);
  CHECK(out.signals[0].id == "example-a");
  CHECK(out.signals[1].id == "example-b");
  CHECK(out.signals[0].title == "A title");
  CHECK(out.signals[0].description == "What it checks");
  CHECK(out.signals[0].rationale == "Why it matters");
  CHECK(out.signals[0].fix_hint == "The fix");
  CHECK(out.signals[0].commands == "true");
}

TEST_CASE("sdk descriptor: a NULL descriptor is invalid") {
  require_refused(hi::read_descriptor(nullptr, "example"), hi::PluginState::invalid,
                  "hermes_inspect_plugin_v1 returned NULL");
}

TEST_CASE("sdk descriptor: struct_size too small or absurd is invalid") {
  Descriptor d({"example-a"});
  SECTION("smaller than the fields every version has") {
    for (uint32_t size : {0u, 4u, static_cast<uint32_t>(offsetof(hi_plugin_desc, name) - 1)}) {
      d.desc.struct_size = size;
      require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                      "descriptor struct_size " + std::to_string(size) + " is too small");
    }
  }
  SECTION("absurdly large") {
    for (uint32_t size : {4097u, 0xFFFFFFFFu}) {
      d.desc.struct_size = size;
      require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                      "descriptor has struct_size " + std::to_string(size) + " (expected");
    }
  }
  SECTION("a signal descriptor's, too") {
    d.signal(0).struct_size = static_cast<uint32_t>(offsetof(hi_signal_desc, description));
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal #0 has struct_size " + std::to_string(d.signal(0).struct_size) + " (expected");
    d.signal(0).struct_size = 1u << 20;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal #0 has struct_size " + std::to_string(1u << 20));
  }
}

TEST_CASE("sdk descriptor: a different ABI major is incompatible") {
  Descriptor d({"example-a"});
  for (uint16_t major : {uint16_t{0}, uint16_t{HI_ABI_MAJOR + 1}}) {
    d.desc.abi_major = major;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::incompatible,
                    "built for ABI " + std::to_string(major) + "." + std::to_string(HI_ABI_MINOR));
  }
}

TEST_CASE("sdk descriptor: broken signal lists are invalid") {
  SECTION("NULL signals with a non-zero count") {
    Descriptor d({});
    d.desc.signal_count = 3;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal_count is 3 but signals is NULL");
  }
  SECTION("a NULL signal pointer") {
    Descriptor d({"example-a", "example-b"});
    d.pointers()[1] = nullptr;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid, "signal #1 is NULL");
  }
  SECTION("the same id twice") {
    Descriptor d({"example-a", "example-b", "example-a"});
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal example-a is declared twice");
  }
  SECTION("no signals at all is fine") {
    Descriptor d({});
    CHECK(accepted(hi::read_descriptor(&d.desc, "example")).signals.empty());
  }
}

TEST_CASE("sdk descriptor: at most 256 signals") {
  std::vector<std::string> ids;
  for (int i = 0; i < 257; ++i) ids.push_back("example-" + std::to_string(i));
  Descriptor d(ids);
  require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                  "declares 257 signals; at most 256 allowed");
  d.desc.signal_count = 256;
  CHECK(accepted(hi::read_descriptor(&d.desc, "example")).signals.size() == 256);
}

TEST_CASE("sdk descriptor: signal ids are [a-z0-9][a-z0-9._-]{0,63}") {
  const std::string longest = "a" + std::string(63, 'b');
  SECTION("invalid ids are refused") {
    const std::string too_long = longest + "c";
    for (const std::string &id : {std::string(), std::string("Uppercase"), std::string("-leading-dash"),
                                 std::string("with space"), std::string("slash/id"), too_long}) {
      Descriptor d({"example-a", id});
      INFO("id: \"" << id << "\"");
      require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                      "signal #1 has an invalid id");
    }
  }
  SECTION("a NULL id is refused") {
    Descriptor d({"example-a"});
    d.signal(0).id = nullptr;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal #0 has an invalid id");
  }
  SECTION("the edges of the syntax are accepted") {
    Descriptor d({longest, "0", "a.b_c-d"});
    const auto out = accepted(hi::read_descriptor(&d.desc, "example"));
    REQUIRE(out.signals.size() == 3);
    CHECK(out.signals[0].id == longest);
  }
}

TEST_CASE("sdk descriptor: the plugin name must be valid and equal the file name") {
  Descriptor d({"example-a"});
  require_refused(hi::read_descriptor(&d.desc, "other"), hi::PluginState::invalid,
                  "plugin calls itself \"example\" but its file is other.so; the names must match");
  d.desc.name = "Example";
  require_refused(hi::read_descriptor(&d.desc, "Example"), hi::PluginState::invalid,
                  "plugin name \"Example\" is not");
  d.desc.name = nullptr;
  require_refused(hi::read_descriptor(&d.desc, ""), hi::PluginState::invalid, "plugin name \"\" is not");
}

TEST_CASE("sdk descriptor: a NULL probe is invalid") {
  Descriptor d({"example-a"});
  d.desc.probe = nullptr;
  require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid, "probe is NULL");
}

TEST_CASE("sdk descriptor: structs as long as ABI 1.0 defines them load and one field shorter is invalid") {
  // 1.0 is the first minor: no 1.x plugin has structs shorter than these.
  const auto plugin_1_0 = static_cast<uint32_t>(offsetof(hi_plugin_desc, probe) + sizeof(hi_plugin_desc::probe));
  const auto signal_1_0 =
      static_cast<uint32_t>(offsetof(hi_signal_desc, commands) + sizeof(hi_signal_desc::commands));
  const std::string expected = " to 4096)";
  Descriptor d({"example-a"});
  d.desc.abi_minor = 0;
  SECTION("the plugin descriptor") {
    d.desc.struct_size = plugin_1_0;
    CHECK(accepted(hi::read_descriptor(&d.desc, "example")).probe == &noop_probe);
    d.desc.struct_size = static_cast<uint32_t>(offsetof(hi_plugin_desc, probe));
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "descriptor has struct_size " + std::to_string(d.desc.struct_size) + " (expected " +
                        std::to_string(plugin_1_0) + expected);
  }
  SECTION("a signal descriptor") {
    d.signal(0).struct_size = signal_1_0;
    const auto out = accepted(hi::read_descriptor(&d.desc, "example"));
    REQUIRE(out.signals.size() == 1);
    CHECK(out.signals[0].commands == "true");
    d.signal(0).struct_size = static_cast<uint32_t>(offsetof(hi_signal_desc, commands));
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal #0 has struct_size " + std::to_string(d.signal(0).struct_size) + " (expected " +
                        std::to_string(signal_1_0) + expected);
  }
}

TEST_CASE("sdk descriptor: a newer minor loads only with a zero unknown tail") {
  Descriptor d({"example-a"});
  SECTION("on the plugin descriptor") {
    NewerPluginDesc newer{d.desc, nullptr};
    newer.known.struct_size = sizeof(NewerPluginDesc);
    newer.known.abi_minor = HI_ABI_MINOR + 1;
    const auto out = accepted(hi::read_descriptor(&newer.known, "example"));
    CHECK(out.abi == kNextMinor);
    CHECK(out.signals.size() == 1);

    newer.added_in_next_minor = &newer;
    require_refused(hi::read_descriptor(&newer.known, "example"), hi::PluginState::incompatible,
                    "needs hermes-inspect >= " + kNextMinor + " (descriptor sets fields this core does not know)");
  }
  SECTION("on a signal descriptor") {
    NewerSignalDesc newer{signal_desc("example-newer"), nullptr};
    newer.known.struct_size = sizeof(NewerSignalDesc);
    d.pointers()[0] = &newer.known;
    d.desc.abi_minor = HI_ABI_MINOR + 1;
    CHECK(accepted(hi::read_descriptor(&d.desc, "example")).signals.at(0).id == "example-newer");

    newer.added_in_next_minor = "set";
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::incompatible,
                    "needs hermes-inspect >= " + kNextMinor + " (signal #0 sets fields this core does not know)");
  }
}

TEST_CASE("sdk descriptor: a tail beyond what the plugin's own minor defines is invalid") {
  Descriptor d({"example-a"});
  const std::string current = std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR);
  SECTION("on the plugin descriptor") {
    NewerPluginDesc larger{d.desc, &d};
    larger.known.struct_size = sizeof(NewerPluginDesc);
    require_refused(hi::read_descriptor(&larger.known, "example"), hi::PluginState::invalid,
                    "descriptor is larger than ABI " + current + " defines");
    larger.added_in_next_minor = nullptr;
    CHECK(accepted(hi::read_descriptor(&larger.known, "example")).abi == current);
  }
  SECTION("on a signal descriptor") {
    NewerSignalDesc larger{signal_desc("example-larger"), "set"};
    larger.known.struct_size = sizeof(NewerSignalDesc);
    d.pointers()[0] = &larger.known;
    require_refused(hi::read_descriptor(&d.desc, "example"), hi::PluginState::invalid,
                    "signal #0 is larger than ABI " + current + " defines");
  }
}
