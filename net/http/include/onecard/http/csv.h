// CSV text for exports (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote,
// CR or LF, quotes doubled), made safe to open in a spreadsheet.
//
// Formula injection: a cell whose text starts with '=', '+', '-', '@', TAB or CR is read by Excel
// and LibreOffice as a formula, so such a cell is prefixed with a single quote (shown as text).
// A plain number ("-12", "-3.5") is left as it is, because it cannot run anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onecard::http {

struct CsvOptions {
  // Starts the text with a UTF-8 byte-order mark, which Excel needs to read Chinese text correctly.
  bool utf8_bom = false;
};

// One cell as it must appear in a row: neutralised, then quoted when needed.
std::string CsvField(std::string_view text);

// Rows of cells, each row ended by CRLF.
std::string FormatCsv(const std::vector<std::vector<std::string>>& rows,
                      const CsvOptions& options = {});

}  // namespace onecard::http
