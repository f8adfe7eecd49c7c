#include "text_guard.hpp"

#include <cstdint>
#include <cstdio>

namespace hi::baseline_detail {
namespace {

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(c));
  return buf;
}

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return len;
}

std::optional<TextProblem> check_encoding(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
      return TextProblem{i, "binary content: control character " + hex_byte(c)};
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return TextProblem{i, "not UTF-8 text: invalid byte " + hex_byte(c)};
    i += len;
  }
  return std::nullopt;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A small YAML lexer that only tracks what decides flow nesting: quoted and
// block scalars and comments (whose brackets do not count), and where a value
// may start (a '[' inside plain text such as "see [1]" is text).
class FlowDepthScanner {
 public:
  explicit FlowDepthScanner(std::string_view text) : text_(text) {}

  std::optional<std::size_t> first_offset_deeper_than(int limit) {
    for (i_ = 0; i_ < text_.size(); ++i_) {
      const char c = text_[i_];
      switch (state_) {
        case State::comment:
        case State::block_header:
          if (c == '\n') newline();
          break;
        case State::block_body: block_line(); break;
        case State::single_quoted: single_quoted(c); break;
        case State::double_quoted: double_quoted(c); break;
        case State::plain:
          if (plain(c) && depth_ > limit) return i_;
          break;
      }
    }
    return std::nullopt;
  }

 private:
  enum class State { plain, comment, single_quoted, double_quoted, block_header, block_body };

  void newline() {
    state_ = state_ == State::block_header ? State::block_body : State::plain;
    value_start_ = value_start_ || depth_ == 0;
    indicator_ = false;
    at_line_start_ = true;
    line_indent_ = 0;
  }

  // i_ is at the start of a line after a `|` or `>` header: the line belongs
  // to the scalar when blank or more indented than the header's line.
  void block_line() {
    std::size_t k = i_;
    while (k < text_.size() && text_[k] == ' ') ++k;
    const bool blank = k == text_.size() || text_[k] == '\n' || text_[k] == '\r';
    if (blank || k - i_ > block_parent_indent_) {
      const std::size_t eol = text_.find('\n', k);
      i_ = eol == std::string_view::npos ? text_.size() : eol;
      return;
    }
    state_ = State::plain;
    line_indent_ = k - i_;
    at_line_start_ = false;
    i_ = k - 1;  // the loop resumes at the line's first character
  }

  void single_quoted(char c) {
    if (c != '\'') return;
    if (i_ + 1 < text_.size() && text_[i_ + 1] == '\'') {
      ++i_;  // '' is an escaped quote
      return;
    }
    state_ = State::plain;
  }

  void double_quoted(char c) {
    if (c == '\\') {
      ++i_;
      return;
    }
    if (c == '"') state_ = State::plain;
  }

  // Returns true when c opened a flow collection.
  bool plain(char c) {
    const bool after_blank = i_ == 0 || is_blank(text_[i_ - 1]);
    if (c == '\n') {
      newline();
      return false;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (at_line_start_ && c == ' ') ++line_indent_;
      value_start_ = value_start_ || indicator_;
      indicator_ = false;
      return false;
    }
    at_line_start_ = false;
    if (c == '#' && after_blank) {
      state_ = State::comment;
      return false;
    }
    const bool value_start = value_start_;
    value_start_ = false;
    indicator_ = false;
    if ((c == '\'' || c == '"') && value_start) {
      state_ = c == '\'' ? State::single_quoted : State::double_quoted;
      return false;
    }
    if ((c == '|' || c == '>') && value_start && depth_ == 0) {
      state_ = State::block_header;
      block_parent_indent_ = line_indent_;
      return false;
    }
    // Inside a flow collection every bracket is structure; in block context
    // only one that starts a value is.
    if ((c == '[' || c == '{') && (value_start || depth_ > 0)) {
      ++depth_;
      value_start_ = true;
      return true;
    }
    if ((c == ']' || c == '}') && depth_ > 0) {
      --depth_;
      return false;
    }
    if ((c == ',' || c == ':') && depth_ > 0) value_start_ = true;
    if (c == '-' || c == '?' || c == ':') indicator_ = true;
    return false;
  }

  std::string_view text_;
  std::size_t i_ = 0;
  State state_ = State::plain;
  int depth_ = 0;
  bool value_start_ = true;  // the next character may begin a value
  bool indicator_ = false;   // the last character was '-', '?' or ':'
  bool at_line_start_ = true;
  std::size_t line_indent_ = 0;
  std::size_t block_parent_indent_ = 0;
};

}  // namespace

std::optional<TextProblem> guard_text(std::string_view text) {
  if (auto problem = check_encoding(text)) return problem;
  FlowDepthScanner scanner(text);
  if (auto offset = scanner.first_offset_deeper_than(kMaxFlowNesting))
    return TextProblem{*offset, "nesting too deep: more than " + std::to_string(kMaxFlowNesting) +
                                    " levels of [ ] and { }"};
  return std::nullopt;
}

Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace hi::baseline_detail
