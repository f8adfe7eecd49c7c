// The table for people (CONTRACT.md "Table"): gaps first and only, the
// counts, and the baseline's conclusion, readable on an 80-column terminal.
#include "report.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <sstream>

namespace hi::report {
namespace {

constexpr std::size_t kMinWidth = 40;
constexpr std::size_t kGap = 2;     // spaces between columns
constexpr std::size_t kGlyph = 2;   // the status glyph and a space

struct Glyphs {
  const char *pass, *warn, *fail, *skip, *dash;
};
constexpr Glyphs kUtf8Glyphs{"\u2713", "\u26A0", "\u2717", "\u2013", "\u2014"};
constexpr Glyphs kAsciiGlyphs{"+", "!", "x", "-", "-"};

constexpr const char *kGreen = "\x1b[32m";
constexpr const char *kYellow = "\x1b[33m";
constexpr const char *kRed = "\x1b[31m";
constexpr const char *kDim = "\x1b[2m";
constexpr const char *kBold = "\x1b[1m";
constexpr const char *kReset = "\x1b[0m";

class Style {
 public:
  explicit Style(const RenderOptions &o) : g_(o.utf8 ? kUtf8Glyphs : kAsciiGlyphs), o_(o) {}

  const Glyphs &glyphs() const { return g_; }
  bool ascii() const { return !o_.utf8; }
  std::string safe(std::string_view text) const { return terminal_safe(text, ascii()); }

  std::string paint(std::string_view text, const char *code) const {
    if (!o_.color) return std::string(text);
    return std::string(code).append(text).append(kReset);
  }

  std::string glyph(SignalStatus s) const {
    switch (s) {
      case SignalStatus::pass: return paint(g_.pass, kGreen);
      case SignalStatus::warn: return paint(g_.warn, kYellow);
      case SignalStatus::fail: return paint(g_.fail, kRed);
      case SignalStatus::skip: return paint(g_.skip, kDim);
    }
    return g_.skip;
  }

 private:
  Glyphs g_;
  const RenderOptions &o_;
};

struct Row {
  SignalStatus status;
  std::string signal, detail, action;  // terminal-safe
};

struct Columns {
  std::size_t signal, detail, action;
};

std::size_t widest(const std::vector<Row> &rows, std::string Row::*field, std::string_view title) {
  std::size_t w = display_width(title);
  for (const auto &r : rows) w = std::max(w, display_width(r.*field));
  return w;
}

std::size_t longest_word(const std::vector<Row> &rows, std::string Row::*field) {
  std::size_t w = 0;
  for (const auto &r : rows) {
    const std::string_view text = r.*field;
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t end = std::min(text.find(' ', start), text.size());
      w = std::max(w, display_width(text.substr(start, end - start)));
      start = end + 1;
    }
  }
  return w;
}

// Natural widths when they fit; otherwise the narrower of detail and action
// keeps its width when it needs at most half the room, and a tie goes 3:2 to
// the detail, which is usually the longer text. Then a column narrower than
// its longest word (a path, say) borrows from the other, up to half the room,
// so that words are cut only when they must be.
Columns layout(const std::vector<Row> &rows, std::size_t width) {
  const std::size_t signal = std::min(widest(rows, &Row::signal, "Signal"), width / 4);
  const std::size_t room = width - kGlyph - signal - 2 * kGap;
  const std::size_t detail = widest(rows, &Row::detail, "Detail");
  const std::size_t action = widest(rows, &Row::action, "Action");
  if (detail + action <= room) return {signal, detail, action};
  Columns c{signal, 0, 0};
  if (action <= room / 2) {
    c.action = action;
  } else if (detail <= room / 2) {
    c.action = room - detail;
  } else {
    c.action = room * 2 / 5;
  }
  c.action = std::max(c.action, std::min(longest_word(rows, &Row::action), room / 2));
  c.action = std::min(c.action, room - std::min(longest_word(rows, &Row::detail), room / 2));
  c.detail = room - c.action;
  return c;
}

std::string pad(const std::string &text, std::size_t width) {
  const std::size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

std::string rtrim(std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

const std::string &line_or_empty(const std::vector<std::string> &lines, std::size_t i) {
  static const std::string empty;
  return i < lines.size() ? lines[i] : empty;
}

void emit_row(std::ostringstream &out, const Style &style, const Row &row, const Columns &c) {
  const auto signal = wrap(row.signal, c.signal);
  const auto detail = wrap(row.detail, c.detail);
  const auto action = wrap(row.action, c.action);
  const std::size_t height = std::max({signal.size(), detail.size(), action.size()});
  const std::string gap(kGap, ' ');
  for (std::size_t i = 0; i < height; ++i) {
    const std::string lead = i == 0 ? style.glyph(row.status) + " " : std::string(kGlyph, ' ');
    out << rtrim(lead + pad(line_or_empty(signal, i), c.signal) + gap +
                 pad(line_or_empty(detail, i), c.detail) + gap + line_or_empty(action, i))
        << '\n';
  }
}

// text wrapped to width after a lead (a glyph or indentation), continuation
// lines indented to match.
void emit_paragraph(std::ostringstream &out, const std::string &lead, std::size_t lead_width,
                    const std::string &text, std::size_t width) {
  const std::string indent(lead_width, ' ');
  const auto lines = wrap(text, width - lead_width);
  for (std::size_t i = 0; i < lines.size(); ++i) out << (i == 0 ? lead : indent) << lines[i] << '\n';
}

std::vector<Row> rows_to_show(const Survey &s, const Style &style, bool all) {
  std::vector<Row> rows;
  for (const auto &r : s.signals) {
    if (r.status == SignalStatus::pass && !all) continue;
    rows.push_back({r.status, style.safe(r.name), style.safe(r.detail),
                    r.fix ? style.safe(*r.fix) : std::string(style.glyphs().dash)});
  }
  return rows;
}

void emit_signals(std::ostringstream &out, const Survey &s, const Style &style, bool all,
                  std::size_t width) {
  const std::vector<Row> rows = rows_to_show(s, style, all);
  if (rows.empty()) {
    const bool none = s.signals.empty();
    const std::string text = none ? "no signals were reported" : "all signals pass (pass --all to list them)";
    out << (none ? style.glyph(SignalStatus::skip) : style.glyph(SignalStatus::pass)) << ' ' << text << '\n';
    return;
  }
  const Columns c = layout(rows, width);
  out << style.paint(rtrim(std::string(kGlyph, ' ') + pad("Signal", c.signal) + std::string(kGap, ' ') +
                           pad("Detail", c.detail) + std::string(kGap, ' ') + "Action"),
                     kBold)
      << '\n';
  for (const auto &row : rows) emit_row(out, style, row, c);
}

// Nothing is silently dropped: every plugin that did not run as it should
// gets a line.
void emit_plugin_problems(std::ostringstream &out, const Survey &s, const Style &style,
                          std::size_t width) {
  const std::string lead = style.paint(style.glyphs().warn, kYellow) + " ";
  for (const auto &p : s.plugins) {
    if (p.state == PluginState::ok) continue;
    std::string text = "plugin " + p.name + " (" + p.file + ") " + to_string(p.state);
    if (p.error) text += ": " + *p.error;
    emit_paragraph(out, lead, kGlyph, style.safe(text), width);
  }
}

void emit_counts(std::ostringstream &out, const Survey &s) {
  std::array<std::size_t, 4> counts{};  // pass, warn, fail, skip
  for (const auto &r : s.signals) {
    switch (r.status) {
      case SignalStatus::pass: ++counts[0]; break;
      case SignalStatus::warn: ++counts[1]; break;
      case SignalStatus::fail: ++counts[2]; break;
      case SignalStatus::skip: ++counts[3]; break;
    }
  }
  out << "Signals  " << counts[0] << " pass  " << counts[1] << " warn  " << counts[2] << " fail  "
      << counts[3] << " skip\n";
}

std::string missing_text(const BaselineVerdict &b) {
  std::string text;
  auto append = [&text](const std::string &item) { text += (text.empty() ? "" : ", ") + item; };
  if (b.unmet.empty())
    std::for_each(b.missing.begin(), b.missing.end(), append);
  else
    for (const auto &u : b.unmet) append(u.text);
  return text;
}

void emit_baseline(std::ostringstream &out, const BaselineVerdict &b, const Style &style,
                   std::size_t width) {
  const std::string name = style.safe(b.name);
  if (b.satisfied) {
    emit_paragraph(out, style.glyph(SignalStatus::pass) + " ", kGlyph, name + " baseline satisfied", width);
    return;
  }
  const std::string text = name + " baseline NOT satisfied " + style.glyphs().dash +
                           " missing: " + style.safe(missing_text(b));
  emit_paragraph(out, style.glyph(SignalStatus::fail) + " ", kGlyph, text, width);
  // Under it, each unmet requirement's reason, then what it should know about
  // the names it misses; continuation lines indent past the lead.
  const std::string lead(kGlyph, ' ');
  for (const auto &u : b.unmet) {
    if (!u.why.empty()) emit_paragraph(out, lead, 2 * kGlyph, style.safe(u.text + ": " + u.why), width);
    for (const auto &note : u.notes) emit_paragraph(out, lead, 2 * kGlyph, style.safe(note), width);
  }
}

}  // namespace

std::string render_table(const Survey &s, const BaselineVerdict &b, const RenderOptions &o) {
  const Style style(o);
  const std::size_t width = std::max<std::size_t>(kMinWidth, o.width > 0 ? static_cast<std::size_t>(o.width) : 0);
  std::ostringstream out;
  emit_signals(out, s, style, o.all, width);
  emit_plugin_problems(out, s, style, width);
  out << '\n';
  emit_counts(out, s);
  emit_baseline(out, b, style, width);
  return out.str();
}

}  // namespace hi::report
