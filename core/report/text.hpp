// Plugin-supplied text made safe for terminals and metrics: UTF-8 repaired,
// control characters neutralised, measured in terminal columns and wrapped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hi::report {

// text with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

// text fit to print on a terminal: invalid UTF-8 becomes U+FFFD, and control
// and bidi-override characters (newline, tab, ESC, ...) become spaces, so a
// plugin's output can neither move the cursor nor recolour or reorder the
// screen. With ascii, every non-ASCII character becomes '?'.
std::string terminal_safe(std::string_view text, bool ascii);

// Columns text occupies on a terminal (wide East Asian characters count two,
// combining marks none). Expects terminal_safe text.
std::size_t display_width(std::string_view text);

// text split into lines at most width columns wide, broken at spaces; only a
// word wider than width is cut, after a '/', '-' or '.' where it has one.
// Always at least one (possibly empty) line.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

}  // namespace hi::report
