// A small builder of an HTML document whose every text passes through HtmlEscape: callers hand it
// plain text (a name, a reason, a time) and never markup, so no value typed by a person can become
// an element. Line breaks in a text become <br>. Value type, not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onecard::terminal {

// `text` with & < > " ' replaced by character references.
std::string HtmlEscape(std::string_view text);

class HtmlPage {
 public:
  // <h1>/<h2> with `text`.
  void Title(const std::string& text);
  void Heading(const std::string& text);
  // A paragraph; `css_class` (a literal of the caller's style sheet) when not empty.
  void Para(const std::string& text, std::string_view css_class = "");
  // A table with `headers`; Row adds one row of cells (as many as headers); EndTable closes it.
  void Table(const std::vector<std::string>& headers);
  void Row(const std::vector<std::string>& cells);
  void EndTable();
  // "无" / "none" as a paragraph when `empty`; returns `empty`.
  bool NoneIf(bool empty);

  // The document: <!DOCTYPE html>, <html lang>, <head> with <meta charset>, `title` and the
  // given style sheet (a literal of the caller's: trusted), then the body built so far.
  std::string Document(std::string_view lang, const std::string& title,
                       std::string_view style) const;

 private:
  std::string body_;
};

}  // namespace onecard::terminal
