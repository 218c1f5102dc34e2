#include "onecard/http/csv.h"

namespace onecard::http {

namespace {

// "-12", "+3", "-3.5": an optional sign, digits, optionally one '.' followed by digits.
bool IsPlainNumber(std::string_view text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  size_t digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      ++digits;
    } else if (text[i] == '.' && !dot && digits > 0) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits > 0 && text.back() != '.';
}

bool LooksLikeFormula(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !IsPlainNumber(text);
    default:
      return false;
  }
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string cell = LooksLikeFormula(text) ? "'" + std::string(text) : std::string(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string FormatCsv(const std::vector<std::vector<std::string>>& rows,
                      const CsvOptions& options) {
  std::string out = options.utf8_bom ? "\xEF\xBB\xBF" : "";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += CsvField(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace onecard::http
