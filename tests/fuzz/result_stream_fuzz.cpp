// The worker-to-core result stream, read as core/supervisor.cpp does: bytes
// through LineParser::feed, each message into Transcript::apply. The input is
// the raw stream (no sections): a worker runs plugin code and may write anything.
#include "fuzz_support.hpp"
#include "protocol.hpp"

#include <algorithm>

namespace {

using hi::fuzz::expect;
using hi::protocol::LineParser;
using hi::protocol::Transcript;

struct Parsed {
  std::vector<nlohmann::json> messages;
  std::vector<std::string> errors;
};

// The stream cut into reads of 1..7 bytes, as a pipe may deliver it.
Parsed parse_in_pieces(std::string_view bytes) {
  Parsed out;
  LineParser parser;
  std::size_t piece = 1;
  while (!bytes.empty()) {
    const auto n = std::min(piece, bytes.size());
    parser.feed(bytes.substr(0, n), out.messages, out.errors);
    bytes.remove_prefix(n);
    piece = piece % 7 + 1;
  }
  parser.finish(out.errors);
  return out;
}

void check_transcript(const Transcript &t) {
  expect(t.errors.size() <= hi::protocol::kMaxErrors, "errors unbounded");
  expect(t.logs.size() <= hi::protocol::kMaxLogLines, "logs unbounded");
  // The core kills each of these groups with kill(-pgid): 0, 1 or a negative
  // value would signal the caller's group, every process, or a single pid.
  for (const pid_t g : t.command_groups) expect(g > 1, "command group " + std::to_string(g));
  for (std::size_t i = 0; i < t.results.size(); ++i) {
    const auto &r = t.results[i];
    const bool declared = std::any_of(t.plugin.signals.begin(), t.plugin.signals.end(),
                                      [&](const hi::SignalInfo &s) { return s.id == r.name; });
    expect(declared, "kept an undeclared signal");
    for (std::size_t j = 0; j < i; ++j) expect(t.results[j].name != r.name, "a signal kept twice");
    expect(r.detail.size() <= hi::protocol::kMaxTextField + 3, "detail unbounded");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view bytes = hi::fuzz::as_text(data, size);
  Parsed whole;
  LineParser parser;
  parser.feed(bytes, whole.messages, whole.errors);
  parser.finish(whole.errors);

  const Parsed pieces = parse_in_pieces(bytes);
  expect(pieces.messages == whole.messages && pieces.errors == whole.errors,
         "the messages depend on how the stream was cut");

  Transcript t;
  for (const auto &m : whole.messages) t.apply(m);
  for (auto e : whole.errors) t.add_error(std::move(e));
  check_transcript(t);
  return 0;
}
