#include "sshd_lexer.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace hermes_inspect::sshd {

namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

bool is_whitespace(char c) { return kWhitespace.find(c) != std::string_view::npos; }

char lower_char(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

Delimiter::Delimiter(std::string text) : buf_(std::move(text)), pos_(0) {}

std::size_t Delimiter::skip_whitespace(std::size_t from) const {
  while (from < buf_.size() && is_whitespace(buf_[from])) ++from;
  return from;
}

std::optional<std::string> Delimiter::next() {
  if (!pos_) return std::nullopt;
  const std::size_t old = *pos_;
  const std::size_t stop = buf_.find_first_of(" \t\r\n\"=", old);
  if (stop == std::string::npos) {
    pos_.reset();
    return buf_.substr(old);
  }
  if (buf_[stop] == '"') {
    buf_.erase(stop, 1);
    const std::size_t close = buf_.find('"', stop);
    if (close == std::string::npos) {
      pos_.reset();
      return std::nullopt;
    }
    pos_ = skip_whitespace(close + 1);
    return buf_.substr(old, close - old);
  }
  // Only one '=' may separate a keyword from its value.
  const bool took_equals = buf_[stop] == '=';
  std::string token = buf_.substr(old, stop - old);
  std::size_t after = skip_whitespace(stop + 1);
  if (!took_equals && after < buf_.size() && buf_[after] == '=') after = skip_whitespace(after + 1);
  pos_ = after;
  return token;
}

std::optional<std::string> Delimiter::rest() const {
  if (!pos_) return std::nullopt;
  return buf_.substr(*pos_);
}

std::optional<std::vector<std::string>> split_arguments(std::string_view s) {
  std::vector<std::string> args;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
      continue;
    }
    if (s[i] == '#') break;
    std::string arg;
    char quote = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      const char next = i + 1 < s.size() ? s[i + 1] : '\0';
      if (c == '\\') {
        if (next == '\'' || next == '"' || next == '\\' || (quote == 0 && next == ' ')) ++i;
        arg.push_back(s[i]);
      } else if (quote == 0 && (c == ' ' || c == '\t')) {
        break;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        arg.push_back(c);
      }
    }
    if (quote != 0) return std::nullopt;
    args.push_back(std::move(arg));
  }
  return args;
}

std::vector<std::string> config_lines(std::string_view file_text) {
  std::string joined;
  std::size_t start = 0;
  while (start < file_text.size()) {
    std::size_t end = file_text.find('\n', start);
    end = end == std::string_view::npos ? file_text.size() : end + 1;
    std::string_view chunk = file_text.substr(start, end - start);
    start = end;
    const std::size_t first = chunk.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    chunk.remove_prefix(first);
    chunk = chunk.substr(0, chunk.find('\0'));
    joined.append(chunk);
  }
  std::vector<std::string> lines;
  std::size_t from = 0;
  for (;;) {
    const std::size_t nl = joined.find('\n', from);
    if (nl == std::string::npos) {
      lines.push_back(joined.substr(from));
      return lines;
    }
    lines.push_back(joined.substr(from, nl - from));
    from = nl + 1;
  }
}

std::string strip_trailing(std::string line) {
  // sshd never strips the first character, whatever it is.
  while (line.size() > 1 && std::string_view(" \t\r\n\f").find(line.back()) != std::string_view::npos)
    line.pop_back();
  return line;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](char x, char y) { return lower_char(x) == lower_char(y); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower_char);
  return out;
}

}  // namespace hermes_inspect::sshd
