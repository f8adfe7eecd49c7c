#include "parse.hpp"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "status.hpp"
#include "text_guard.hpp"

namespace hi::baseline_detail {
namespace {

constexpr const char *kNamePattern = "[a-z0-9][a-z0-9._-]{0,63}";

// Names in messages; an invalid one may be long, so it is cut (at a UTF-8
// boundary: the text passed the encoding check).
std::string in_quotes(std::string_view text) {
  constexpr std::size_t max = 64;
  if (text.size() <= max) return "'" + std::string(text) + "'";
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

// The whole file, or why it cannot be had; at most kMaxBaselineFileBytes + 1
// bytes are read, so a huge file costs nothing.
StatusOr<std::string> read_limited(const std::string &path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return Status::from_errno("cannot read");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Status::from_errno("cannot read");
  if (!S_ISREG(st.st_mode)) return Status::failure("cannot read: not a regular file");
  std::string text;
  char buf[65536];
  while (text.size() <= kMaxBaselineFileBytes) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::from_errno("cannot read");
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

class FileParser {
 public:
  FileParser(ParsedFile &out, std::string_view text) : out_(out), text_(text) {}

  void document(const YAML::Node &root) {
    if (root.IsNull()) {
      add(1, 1, "empty baseline file: expected a mapping with 'require'");
      return;
    }
    if (!root.IsMap()) {
      add(root.Mark(), "a baseline is a mapping of name, description, extends and require");
      return;
    }
    bool has_require = false;
    for_each_key(root, [&](const std::string &key, const YAML::Node &k, const YAML::Node &v) {
      if (key == "name") {
        name(v, k);
      } else if (key == "description") {
        if (auto text = scalar(v, k, "'description' must be text")) out_.description = *text;
      } else if (key == "extends") {
        extends(v, k);
      } else if (key == "require") {
        has_require = true;
        require(v, k);
      } else {
        add(k.Mark(), "unknown key " + in_quotes(key) + " (expected name, description, extends or require)");
      }
    });
    if (!has_require && !out_.extends)
      add(root.Mark(), "missing 'require': a baseline requires at least one signal");
  }

  void add(const YAML::Mark &mark, std::string message) {
    if (mark.is_null()) return add(1, 1, std::move(message));
    add(mark.line + 1, mark.column + 1, std::move(message));
  }

  void add(int line, int column, std::string message) {
    out_.problems.push_back(Problem{out_.file, line, column, std::move(message)});
  }

 private:
  // An empty value (`key:` or `-` with nothing after it) is marked where the
  // next token starts: point at its key instead, or at the `-` before it.
  YAML::Mark mark_of(const YAML::Node &value, const YAML::Node &key_or_parent) const {
    if (value.Mark().is_null()) return key_or_parent.Mark();
    if (!value.IsNull()) return value.Mark();
    if (key_or_parent.IsScalar()) return key_or_parent.Mark();
    return indicator_before(value.Mark());
  }

  YAML::Mark indicator_before(const YAML::Mark &mark) const {
    auto i = std::min(static_cast<std::size_t>(mark.pos), text_.size());
    bool crossed_line = i == text_.size();
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\n' || text_[i - 1] == '\r')) {
      crossed_line = crossed_line || text_[i - 1] == '\n';
      --i;
    }
    // An explicit `- ~` is marked at the `~`, on the dash's own line.
    if (i == 0 || !crossed_line || text_[i - 1] != '-') return mark;
    const Position p = position_of(text_, i - 1);
    YAML::Mark out;
    out.pos = static_cast<int>(i - 1);
    out.line = p.line - 1;
    out.column = p.column - 1;
    return out;
  }

  template <typename Visit>
  void for_each_key(const YAML::Node &map, Visit visit) {
    std::set<std::string> seen;
    for (const auto &kv : map) {
      if (stop_) return;
      if (!kv.first.IsScalar()) {
        add(mark_of(kv.first, map), "keys must be plain text");
        continue;
      }
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second) {
        add(kv.first.Mark(), "duplicate key " + in_quotes(key));
        continue;
      }
      visit(key, kv.first, kv.second);
    }
  }

  std::optional<std::string> scalar(const YAML::Node &v, const YAML::Node &k, const std::string &error) {
    if (v.IsScalar()) return v.Scalar();
    add(mark_of(v, k), error);
    return std::nullopt;
  }

  void name(const YAML::Node &v, const YAML::Node &k) {
    auto text = scalar(v, k, "'name' must be text");
    if (!text || *text == out_.name) return;
    add(v.Mark(), "name " + in_quotes(*text) + " does not match the file name " + in_quotes(out_.name + ".yaml") +
                      " (a baseline is known by its file name)");
  }

  void extends(const YAML::Node &v, const YAML::Node &k) {
    auto text = scalar(v, k, "'extends' must be one baseline name");
    if (!text) return;
    if (!valid_name(*text)) {
      add(v.Mark(), "invalid baseline name " + in_quotes(*text) + " in extends (expected " + kNamePattern + ")");
      return;
    }
    out_.extends = *text;
    out_.extends_line = v.Mark().line + 1;
    out_.extends_column = v.Mark().column + 1;
  }

  void require(const YAML::Node &v, const YAML::Node &k) {
    if (v.IsNull()) {
      add(k.Mark(), "'require' is empty");
      return;
    }
    if (!v.IsSequence()) {
      add(mark_of(v, k), "'require' must be a list of requirements");
      return;
    }
    if (v.size() == 0) {
      add(v.Mark(), "'require' is empty");
      return;
    }
    for (const auto &item : v) {
      if (stop_) return;
      if (auto r = requirement(item, v, 1)) out_.require.push_back(std::move(*r));
    }
  }

  std::optional<Requirement> requirement(const YAML::Node &node, const YAML::Node &parent, int depth) {
    const YAML::Mark mark = mark_of(node, parent);
    if (++count_ > kMaxRequirements) {
      add(mark, "more than " + std::to_string(kMaxRequirements) + " requirements");
      stop_ = true;
      return std::nullopt;
    }
    if (depth > kMaxRequirementDepth) {
      add(mark, "requirement nested deeper than " + std::to_string(kMaxRequirementDepth) + " levels");
      return std::nullopt;
    }
    Requirement r;
    r.file = out_.file;
    r.line = mark.is_null() ? 1 : mark.line + 1;
    r.column = mark.is_null() ? 1 : mark.column + 1;
    if (node.IsMap()) return mapping(node, depth, std::move(r));
    if (node.IsSequence()) {
      add(mark, "a requirement is a signal name or a mapping with signal, any_of or all_of, not a list");
      return std::nullopt;
    }
    if (!signal_name(node, parent, r.signal)) return std::nullopt;
    return r;
  }

  bool signal_name(const YAML::Node &node, const YAML::Node &parent, std::string &out) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      add(mark_of(node, parent), node.IsDefined() && !node.IsScalar() && !node.IsNull()
                                     ? "a signal name must be text"
                                     : "empty signal name");
      return false;
    }
    if (!valid_name(node.Scalar())) {
      add(node.Mark(), "invalid signal name " + in_quotes(node.Scalar()) + " (expected " + kNamePattern + ")");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  std::optional<Requirement> mapping(const YAML::Node &node, int depth, Requirement r) {
    bool has_form = false, ok = true;
    for_each_key(node, [&](const std::string &key, const YAML::Node &k, const YAML::Node &v) {
      if (key == "why") {
        if (auto text = scalar(v, k, "'why' must be text")) r.why = *text;
        else ok = false;
        return;
      }
      if (key != "signal" && key != "any_of" && key != "all_of") {
        add(k.Mark(), "unknown key " + in_quotes(key) + " in a requirement (expected signal, any_of, all_of or why)");
        ok = false;
        return;
      }
      if (has_form) {
        add(k.Mark(), "a requirement has exactly one of signal, any_of or all_of");
        ok = false;
        return;
      }
      has_form = true;
      if (key == "signal") {
        r.kind = Requirement::Kind::signal;
        ok = signal_name(v, k, r.signal) && ok;
      } else {
        r.kind = key == "any_of" ? Requirement::Kind::any_of : Requirement::Kind::all_of;
        ok = group(key, v, k, depth, r.children) && ok;
      }
    });
    if (!has_form) {
      add(node.Mark(), "a requirement mapping needs one of signal, any_of or all_of");
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return r;
  }

  bool group(const std::string &key, const YAML::Node &v, const YAML::Node &k, int depth,
             std::vector<Requirement> &children) {
    if (v.IsNull()) {
      add(k.Mark(), "empty " + key + " group");
      return false;
    }
    if (!v.IsSequence()) {
      add(mark_of(v, k), in_quotes(key) + " must be a list of requirements");
      return false;
    }
    if (v.size() == 0) {
      add(v.Mark(), "empty " + key + " group");
      return false;
    }
    bool ok = true;
    for (const auto &item : v) {
      if (stop_) return false;
      if (auto child = requirement(item, v, depth + 1)) children.push_back(std::move(*child));
      else ok = false;
    }
    return ok;
  }

  ParsedFile &out_;
  std::string_view text_;
  std::size_t count_ = 0;
  bool stop_ = false;  // past the requirement limit: nothing more is read
};

// Where each document of a stream, and its root node, begins.
class DocumentMarks : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  std::vector<YAML::Mark> roots;

  void OnDocumentStart(const YAML::Mark &mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark &mark, YAML::anchor_t) override { root(mark); }
  void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override { root(mark); }
  void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t, const std::string &) override {
    root(mark);
  }
  void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark);
  }
  void OnMapEnd() override {}

 private:
  void root(const YAML::Mark &mark) {
    if (roots.size() < starts.size()) roots.push_back(mark);
  }
};

// yaml-cpp 0.7 hands back the same empty document forever at a token it
// cannot place, such as a stray ',' (jbeder/yaml-cpp#1040), so LoadAll never
// returns and its list grows without bound. Reads at most three documents'
// events; a document starting where the one before it did made no progress.
std::optional<std::size_t> stuck_document(const DocumentMarks &marks) {
  for (std::size_t i = 1; i < marks.starts.size(); ++i)
    if (marks.starts[i].pos == marks.starts[i - 1].pos) return i - 1;
  return std::nullopt;
}

void parse_text(const std::string &text, FileParser &parser) {
  DocumentMarks marks;
  YAML::Node doc;
  try {
    std::istringstream in(text);
    YAML::Parser stream(in);
    while (marks.starts.size() < 3 && stream.HandleNextDocument(marks)) {
    }
    doc = YAML::Load(text);
  } catch (const YAML::DeepRecursion &e) {
    parser.add(e.mark, "nesting too deep for a baseline");
    return;
  } catch (const YAML::Exception &e) {
    parser.add(e.mark, "invalid YAML: " + e.msg);
    return;
  }
  auto root_of = [&](std::size_t i) { return i < marks.roots.size() ? marks.roots[i] : marks.starts[i]; };
  if (const auto stuck = stuck_document(marks)) {
    const YAML::Mark mark = root_of(*stuck);
    const auto at = static_cast<std::size_t>(mark.pos);
    parser.add(mark, at < text.size() && text[at] == ',' ? "invalid YAML: unexpected ','"
                                                          : "invalid YAML: the parser cannot continue here");
    return;
  }
  if (marks.starts.size() > 1) {
    parser.add(root_of(1), "more than one YAML document");
    return;
  }
  parser.document(doc);
}

}  // namespace

std::string Problem::render() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string baseline_stem(const std::string &path) {
  return std::filesystem::path(path).stem().string();
}

ParsedFile parse_baseline_file(const std::string &path) {
  ParsedFile out;
  out.file = path;
  out.name = baseline_stem(path);
  auto text = read_limited(path);
  if (!text.ok()) {
    out.problems.push_back(Problem{path, 0, 0, text.error()});
    return out;
  }
  FileParser parser(out, *text);
  if (text->size() > kMaxBaselineFileBytes) {
    parser.add(1, 1, "file is larger than 1 MiB");
    return out;
  }
  if (auto problem = guard_text(*text)) {
    const Position p = position_of(*text, problem->offset);
    parser.add(p.line, p.column, problem->message);
    return out;
  }
  parse_text(*text, parser);
  return out;
}

}  // namespace hi::baseline_detail
