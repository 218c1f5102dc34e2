#include "html_page.h"

#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

// Escaped text with each newline as a line break.
std::string Lines(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    out += HtmlEscape(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) return out;
    start = nl + 1;
    if (start < text.size()) out += "<br>";
  }
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void HtmlPage::Title(const std::string& text) { body_ += "<h1>" + Lines(text) + "</h1>\n"; }

void HtmlPage::Heading(const std::string& text) { body_ += "<h2>" + Lines(text) + "</h2>\n"; }

void HtmlPage::Para(const std::string& text, std::string_view css_class) {
  body_ += css_class.empty() ? "<p>" : "<p class=\"" + HtmlEscape(css_class) + "\">";
  body_ += Lines(text) + "</p>\n";
}

void HtmlPage::Table(const std::vector<std::string>& headers) {
  body_ += "<table><thead><tr>";
  for (const std::string& h : headers) body_ += "<th>" + Lines(h) + "</th>";
  body_ += "</tr></thead><tbody>\n";
}

void HtmlPage::Row(const std::vector<std::string>& cells) {
  body_ += "<tr>";
  for (const std::string& c : cells) body_ += "<td>" + Lines(c) + "</td>";
  body_ += "</tr>\n";
}

void HtmlPage::EndTable() { body_ += "</tbody></table>\n"; }

bool HtmlPage::NoneIf(bool empty) {
  if (empty) Para(Tr("无", "none"), "none");
  return empty;
}

std::string HtmlPage::Document(std::string_view lang, const std::string& title,
                               std::string_view style) const {
  return "<!DOCTYPE html>\n<html lang=\"" + HtmlEscape(lang) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + HtmlEscape(title) +
         "</title>\n<style>\n" + std::string(style) + "</style>\n</head>\n<body>\n" + body_ +
         "</body>\n</html>\n";
}

}  // namespace onecard::terminal
