// Confidentiality of an issued card (PRODUCT.md §6): a stranger's reader — raw SELECT and READ
// BINARY of every file, without OneCard's keys — learns the serial and nothing personal. The dump
// is searched for the child's and guardians' names (UTF-8), the birth date in every encoding the
// card format uses (BCD as in the record, ASCII), the ID number (ASCII and packed BCD), phone
// numbers and the address.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "card_test_data.h"
#include "onecard/protocol/card_certificate.h"
#include "onecard/terminal/card_application.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/pcsc_reader.h"
#include "process.h"
#include "virtual_card.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using onecard::testing::VirtualCardStack;

constexpr size_t kControlSize = 32;
constexpr size_t kSlotSize = 2048;

Bytes Text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// Sends one raw APDU (hex) and returns the response data, asserting SW 9000 (or 6282 at the end).
Bytes Send(CardReader& reader, const Bytes& apdu) {
  auto r = reader.Exchange(apdu);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->size() < 2) return {};
  uint16_t sw = static_cast<uint16_t>((*r)[r->size() - 2] << 8 | (*r)[r->size() - 1]);
  EXPECT_TRUE(sw == 0x9000 || sw == 0x6282)
      << "SW " << std::hex << sw << " for " << HexEncode(apdu);
  return Bytes(r->begin(), r->end() - 2);
}

// All bytes of a transparent EF, selected by FID under the OneCard DF.
Bytes DumpFile(CardReader& reader, uint16_t fid, size_t size) {
  Send(reader,
       {0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)});
  Bytes all;
  for (size_t offset = 0; offset < size; offset += 256) {
    size_t want = std::min<size_t>(256, size - offset);
    Bytes part =
        Send(reader, {0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset),
                      static_cast<uint8_t>(want == 256 ? 0 : want)});
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

bool Contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(CardConfidentiality, RawReadOfEveryFileShowsOnlyTheSerial) {
  VirtualCardStack stack;
  ASSERT_EQ(stack.error(), "") << stack.error();
  ASSERT_TRUE(stack.InsertCard("iso7816", 0)) << stack.error();
  const std::string reader_name = VirtualCardStack::ReaderName(0);
  CardCredentials creds = TestCardTerminal("T-CONF").creds;
  auto serial = CardService::Issue(reader_name, TypicalChild("C-CONF-1"), creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();

  // A stranger's reader: raw APDUs, no OneCard logic, no keys.
  auto reader = PcscCardReader::Connect(reader_name);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  Bytes select_df = {0x00, 0xA4, 0x04, 0x0C, static_cast<uint8_t>(sizeof(kOneCardAid))};
  select_df.insert(select_df.end(), std::begin(kOneCardAid), std::end(kOneCardAid));
  Send(**reader, select_df);
  Bytes control = DumpFile(**reader, 0x4F01, kControlSize);
  Bytes slot_a = DumpFile(**reader, 0x4F02, kSlotSize);
  Bytes slot_b = DumpFile(**reader, 0x4F03, kSlotSize);
  ASSERT_EQ(control.size(), kControlSize);
  ASSERT_EQ(slot_a.size(), kSlotSize);
  ASSERT_EQ(slot_b.size(), kSlotSize);
  Bytes everything = control;
  everything.insert(everything.end(), slot_a.begin(), slot_a.end());
  everything.insert(everything.end(), slot_b.begin(), slot_b.end());

  // The serial is readable: EF.CTRL bytes 4..11.
  std::string serial_on_card = HexEncode(ByteSpan(control).subspan(4, 8));
  std::transform(serial_on_card.begin(), serial_on_card.end(), serial_on_card.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  EXPECT_EQ(serial_on_card, *serial) << "the serial is the one readable thing";
  EXPECT_NE(slot_a, Bytes(kSlotSize, 0)) << "the record was written";

  struct Needle {
    const char* what;
    Bytes bytes;
  };
  const Needle needles[] = {
      {"child's name, UTF-8", Text("王小明")},
      {"family name + given name start", Text("王小")},
      {"guardian's name", Text("王建国")},
      {"guardian's name", Text("李秀英")},
      {"birth date, ISO text", Text("2016-03-14")},
      {"birth date, ASCII digits", Text("20160314")},
      {"birth date, BCD (card record encoding)", {0x20, 0x16, 0x03, 0x14}},
      {"ID number, ASCII", Text("32132420160314001X")},
      {"ID number, BCD with X as A", {0x32, 0x13, 0x24, 0x20, 0x16, 0x03, 0x14, 0x00, 0x1A}},
      {"guardian's ID number, BCD", {0x32, 0x13, 0x24, 0x19, 0x88, 0x01, 0x01, 0x12, 0x34}},
      {"phone, ASCII", Text("13812345678")},
      {"phone, BCD", {0x13, 0x81, 0x23, 0x45, 0x67, 0x8F}},
      {"address, UTF-8", Text("固戍一路")},
  };
  for (const Needle& n : needles) {
    EXPECT_FALSE(Contains(everything, n.bytes))
        << n.what << " is readable on the card: " << HexEncode(n.bytes);
  }

  // The same with opensc-tool, as someone without OneCard software would do it: the control file.
  reader->reset();  // disconnect: opensc-tool connects on its own
  onecard::testing::RunResult tool = onecard::testing::Run(
      {"opensc-tool", "-r", reader_name, "-s", "00 A4 04 0C 08 F0 4F 4E 45 43 41 52 44", "-s",
       "00 A4 02 0C 02 4F 01", "-s", "00 B0 00 00 20"});
  ASSERT_EQ(tool.exit_code, 0) << tool.err;
  std::string spaced;
  for (size_t i = 0; i < serial->size(); i += 2)
    spaced += serial->substr(i, 2) + (i + 2 < serial->size() ? " " : "");
  EXPECT_NE(tool.out.find(spaced), std::string::npos) << tool.out;
}

}  // namespace
}  // namespace onecard::terminal
