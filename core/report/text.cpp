#include "text.hpp"

#include <algorithm>

namespace hi::report {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct CodePoint {
  char32_t value;
  std::size_t length;  // bytes consumed; 1 for an invalid sequence
  bool valid;
};

// Decodes the code point at text[i]. Overlong forms, surrogates and values
// past U+10FFFF are invalid, as are truncated sequences.
CodePoint decode_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return {lead, 1, true};
  const CodePoint invalid{kReplacement, 1, false};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1Fu, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0Fu, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07u, smallest = 0x10000;
  } else {
    return invalid;
  }
  if (length > text.size() - i) return invalid;
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return invalid;
    value = (value << 6) | (c & 0x3Fu);
  }
  if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return invalid;
  return {value, length, true};
}

void append_utf8(std::string &out, char32_t cp) {
  auto byte = [](char32_t v) { return static_cast<char>(v); };
  if (cp < 0x80) {
    out += byte(cp);
  } else if (cp < 0x800) {
    out += byte(0xC0 | (cp >> 6));
    out += byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += byte(0xE0 | (cp >> 12));
    out += byte(0x80 | ((cp >> 6) & 0x3F));
    out += byte(0x80 | (cp & 0x3F));
  } else {
    out += byte(0xF0 | (cp >> 18));
    out += byte(0x80 | ((cp >> 12) & 0x3F));
    out += byte(0x80 | ((cp >> 6) & 0x3F));
    out += byte(0x80 | (cp & 0x3F));
  }
}

// C0, DEL and C1 controls, line/paragraph separators, and the bidi controls
// that can make a line display differently from what it says.
bool disturbs_terminal(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

bool in(char32_t cp, char32_t first, char32_t last) { return cp >= first && cp <= last; }

std::size_t columns_of(char32_t cp) {
  if (in(cp, 0x0300, 0x036F) || in(cp, 0x200B, 0x200D) || in(cp, 0xFE00, 0xFE0F)) return 0;
  if (in(cp, 0x1100, 0x115F) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) ||
      in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) ||
      in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) || in(cp, 0xFE30, 0xFE4F) ||
      in(cp, 0xFF00, 0xFF60) || in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) ||
      in(cp, 0x1F900, 0x1F9FF) || in(cp, 0x20000, 0x3FFFD))
    return 2;
  return 1;
}

// Where a word too wide for its column reads best when broken: after a path
// or URL separator or a hyphen, so "/etc/ssh/sshd_config.d/" stays whole.
constexpr std::string_view kBreakAfter = "/-.,:=_";

// The part of a full piece after its last break character, removed from it;
// empty when the piece has no break character before its end.
std::string take_after_last_break(std::string &piece) {
  const std::size_t at = piece.find_last_of(kBreakAfter);
  if (at == std::string::npos || at + 1 == piece.size()) return {};
  std::string tail = piece.substr(at + 1);
  piece.resize(at + 1);
  return tail;
}

// word cut into pieces of at most width columns, at code point boundaries,
// after a break character where the piece has one.
std::vector<std::string> cut(std::string_view word, std::size_t width) {
  std::vector<std::string> pieces(1);
  std::size_t used = 0;
  for (std::size_t i = 0; i < word.size();) {
    const CodePoint cp = decode_at(word, i);
    const std::size_t w = columns_of(cp.value);
    if (used + w > width && used > 0) {
      std::string tail = take_after_last_break(pieces.back());
      used = display_width(tail);
      pieces.push_back(std::move(tail));
      if (used + w > width) {
        pieces.emplace_back();
        used = 0;
      }
    }
    pieces.back().append(word.substr(i, cp.length));
    used += w;
    i += cp.length;
  }
  return pieces;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', i);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, end - start));
    i = end;
  }
  return words;
}

}  // namespace

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_at(text, i);
    if (cp.valid)
      out.append(text.substr(i, cp.length));
    else
      append_utf8(out, kReplacement);
    i += cp.length;
  }
  return out;
}

std::string terminal_safe(std::string_view text, bool ascii) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_at(text, i);
    i += cp.length;
    if (disturbs_terminal(cp.value))
      out += ' ';
    else if (ascii && cp.value >= 0x80)
      out += '?';
    else
      append_utf8(out, cp.value);
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode_at(text, i);
    width += columns_of(cp.value);
    i += cp.length;
  }
  return width;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  width = std::max<std::size_t>(width, 2);
  std::vector<std::string> lines;
  std::string line;
  std::size_t used = 0;
  for (std::string_view word : words_of(text)) {
    const std::size_t w = display_width(word);
    if (!line.empty() && used + 1 + w <= width) {
      line.append(" ").append(word);
      used += 1 + w;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    std::vector<std::string> pieces = cut(word, width);
    line = std::move(pieces.back());
    used = display_width(line);
    pieces.pop_back();
    for (auto &piece : pieces) lines.push_back(std::move(piece));
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace hi::report
