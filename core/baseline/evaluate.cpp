#include <unordered_map>
#include <unordered_set>

#include "baseline.hpp"

namespace hi {
namespace {

using SignalIndex = std::unordered_map<std::string, const SignalResult *>;

// Keeps the first occurrence of each name, in order.
class OrderedSet {
 public:
  // Whether name was new.
  bool add(const std::string &name) {
    if (!seen_.insert(name).second) return false;
    items_.push_back(name);
    return true;
  }
  const std::vector<std::string> &items() const { return items_; }
  std::vector<std::string> take() { return std::move(items_); }

 private:
  std::unordered_set<std::string> seen_;
  std::vector<std::string> items_;
};

bool met(const Requirement &r, const SignalIndex &index) {
  switch (r.kind) {
    case Requirement::Kind::signal: {
      const auto it = index.find(r.signal);
      return it != index.end() && it->second->status == SignalStatus::pass;
    }
    case Requirement::Kind::any_of:
      for (const auto &child : r.children)
        if (met(child, index)) return true;
      return false;
    case Requirement::Kind::all_of:
      for (const auto &child : r.children)
        if (!met(child, index)) return false;
      return true;
  }
  return false;
}

// The signals that would have to pass: every member of an unmet OR-group (any
// one of them is a fix), the unmet parts of an unmet all_of.
void collect_missing(const Requirement &r, const SignalIndex &index, OrderedSet &out) {
  if (met(r, index)) return;
  if (r.kind == Requirement::Kind::signal) {
    out.add(r.signal);
    return;
  }
  for (const auto &child : r.children) collect_missing(child, index, out);
}

void collect_signals(const Requirement &r, OrderedSet &out) {
  if (r.kind == Requirement::Kind::signal) out.add(r.signal);
  for (const auto &child : r.children) collect_signals(child, out);
}

std::string render(const Requirement &r, bool nested) {
  if (r.kind == Requirement::Kind::signal) return r.signal;
  const char *sep = r.kind == Requirement::Kind::any_of ? " | " : " + ";
  std::string out;
  for (const auto &child : r.children) out += (out.empty() ? "" : sep) + render(child, true);
  return nested ? "(" + out + ")" : out;
}

// The unmet part of an unmet requirement, in to_text's notation: what would
// have to pass, the same names as `missing` (an all_of's met parts left out,
// groups of one unwrapped, a name repeated within it named once).
std::string render_missing(const Requirement &r, const SignalIndex &index, const Requirement *parent,
                           OrderedSet &named) {
  if (r.kind == Requirement::Kind::signal) {
    const bool fresh = named.add(r.signal);
    return fresh ? r.signal : "";
  }
  const char *sep = r.kind == Requirement::Kind::any_of ? " | " : " + ";
  std::string out;
  std::size_t parts = 0;
  for (const auto &child : r.children) {
    if (met(child, index)) continue;
    const std::string part = render_missing(child, index, &r, named);
    if (part.empty()) continue;
    out += (out.empty() ? "" : sep) + part;
    ++parts;
  }
  // A group inside one of its own kind reads the same without parentheses.
  const bool wrap = parts > 1 && parent && parent->kind != r.kind;
  return wrap ? "(" + out + ")" : out;
}

// The `why:` of every unmet group or signal below r, each labelled with its
// unmet part, so a reason written deep in a baseline still reaches the operator.
void collect_nested_whys(const Requirement &r, const SignalIndex &index, std::vector<std::string> &out) {
  for (const auto &child : r.children) {
    if (met(child, index)) continue;
    if (!child.why.empty()) {
      OrderedSet named;
      out.push_back(render_missing(child, index, nullptr, named) + ": " + child.why);
    }
    collect_nested_whys(child, index, out);
  }
}

}  // namespace

std::string to_text(const Requirement &r) { return render(r, false); }

std::vector<std::string> required_signals(const Baseline &b) {
  OrderedSet out;
  for (const auto &r : b.require) collect_signals(r, out);
  return out.take();
}

BaselineVerdict evaluate(const Baseline &b, const std::vector<SignalResult> &signals,
                         const AbsentSignals &absent) {
  SignalIndex index;
  for (const auto &s : signals) index.emplace(s.name, &s);  // the first result for a name counts

  BaselineVerdict verdict;
  verdict.name = b.name;
  verdict.file = b.file;
  OrderedSet missing;
  for (const auto &r : b.require) {
    if (met(r, index)) continue;
    OrderedSet own, named;
    collect_missing(r, index, own);
    UnmetRequirement unmet{render_missing(r, index, nullptr, named), r.why, {}};
    collect_nested_whys(r, index, unmet.notes);
    for (const auto &name : own.items()) {
      missing.add(name);
      if (index.count(name) != 0) continue;
      const auto reason = absent.find(name);
      unmet.notes.push_back(reason != absent.end() ? reason->second : "no plugin provides " + name);
    }
    verdict.unmet.push_back(std::move(unmet));
  }
  verdict.missing = missing.take();
  verdict.satisfied = verdict.unmet.empty();
  return verdict;
}

}  // namespace hi
