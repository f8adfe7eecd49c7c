#include <unordered_map>
#include <unordered_set>

#include "baseline.hpp"

namespace hi {
namespace {

using SignalIndex = std::unordered_map<std::string, const SignalResult *>;

// Keeps the first occurrence of each name, in order.
class OrderedSet {
 public:
  void add(const std::string &name) {
    if (seen_.insert(name).second) items_.push_back(name);
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

}  // namespace

std::string to_text(const Requirement &r) { return render(r, false); }

std::vector<std::string> required_signals(const Baseline &b) {
  OrderedSet out;
  for (const auto &r : b.require) collect_signals(r, out);
  return out.take();
}

BaselineVerdict evaluate(const Baseline &b, const std::vector<SignalResult> &signals) {
  SignalIndex index;
  for (const auto &s : signals) index.emplace(s.name, &s);  // the first result for a name counts

  BaselineVerdict verdict;
  verdict.name = b.name;
  verdict.file = b.file;
  OrderedSet missing;
  for (const auto &r : b.require) {
    if (met(r, index)) continue;
    OrderedSet own;
    collect_missing(r, index, own);
    UnmetRequirement unmet{to_text(r), r.why, {}};
    for (const auto &name : own.items()) {
      missing.add(name);
      if (index.count(name) == 0) unmet.notes.push_back("no plugin provides " + name);
    }
    verdict.unmet.push_back(std::move(unmet));
  }
  verdict.missing = missing.take();
  verdict.satisfied = verdict.unmet.empty();
  return verdict;
}

}  // namespace hi
