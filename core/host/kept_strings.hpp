// Strings the core hands a plugin: plugin.h promises each stays valid and
// unchanged until probe() returns, however many calls follow, so none is ever
// replaced or freed while the worker lives. A budget bounds what one probe can
// make the worker hold.
#pragma once

#include <cstddef>
#include <deque>
#include <string>

namespace hi {

class KeptStrings {
 public:
  explicit KeptStrings(std::size_t budget_bytes) : budget_(budget_bytes) {}

  // A NUL-terminated copy of text that lives as long as this object, or
  // nullptr when keeping it would exceed the budget.
  const char *keep(std::string text) {
    const std::size_t cost = text.size() + 1;
    if (cost > budget_ - used_) return nullptr;
    used_ += cost;
    // A deque never moves its elements, so earlier pointers stay valid.
    texts_.push_back(std::move(text));
    return texts_.back().c_str();
  }

  std::size_t used() const { return used_; }

 private:
  std::deque<std::string> texts_;
  std::size_t budget_;
  std::size_t used_ = 0;
};

}  // namespace hi
