#include "onecard/http/csv.h"

#include <gtest/gtest.h>

namespace onecard::http {
namespace {

struct FieldCase {
  const char* in;
  const char* out;
};

TEST(HttpCsvTest, QuotesAndNeutralisesFields) {
  const FieldCase cases[] = {
      {"plain", "plain"},
      {"", ""},
      {"广州市", "广州市"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\rhere", "\"cr\rhere\""},
      {"=SUM(A1:A2)", "'=SUM(A1:A2)"},
      {"+1+1", "'+1+1"},
      {"-2+3", "'-2+3"},
      {"@cmd", "'@cmd"},
      {"\tx", "'\tx"},
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"-12", "-12"},
      {"-3.5", "-3.5"},
      {"+7", "+7"},
      {"-", "'-"},
      {"-1.", "'-1."},
  };
  for (const FieldCase& c : cases) EXPECT_EQ(CsvField(c.in), c.out) << c.in;
}

TEST(HttpCsvTest, RowsEndWithCrlfAndBomIsOptional) {
  std::vector<std::vector<std::string>> rows = {{"地区", "人数"}, {"4401", "<5"}, {"a,b", "=1"}};
  std::string plain = FormatCsv(rows);
  EXPECT_EQ(plain, "地区,人数\r\n4401,<5\r\n\"a,b\",'=1\r\n");
  std::string excel = FormatCsv(rows, CsvOptions{.utf8_bom = true});
  EXPECT_EQ(excel, "\xEF\xBB\xBF" + plain);
}

}  // namespace
}  // namespace onecard::http
