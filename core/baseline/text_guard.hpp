// Checks on a baseline file's raw bytes, made before yaml-cpp sees them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hi::baseline_detail {

struct TextProblem {
  std::size_t offset = 0;
  std::string message;
};

struct Position {
  int line = 1;  // 1-based; columns count bytes, as yaml-cpp's marks do
  int column = 1;
};

// yaml-cpp's parser recurses once per nested collection; a legal baseline needs
// about 35 levels even when written entirely in flow style.
inline constexpr int kMaxFlowNesting = 64;

// Text that is not UTF-8, holds control characters, or nests flow collections
// ([...], {...}) deeper than kMaxFlowNesting.
std::optional<TextProblem> guard_text(std::string_view text);

Position position_of(std::string_view text, std::size_t offset);

}  // namespace hi::baseline_detail
