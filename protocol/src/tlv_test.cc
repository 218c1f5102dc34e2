#include "onecard/protocol/tlv.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

Bytes Hex(const std::string& h) { return HexDecode(h).value(); }

struct GoodCase {
  const char* name;
  uint32_t tag;
  size_t value_size;
  const char* hex_prefix;  // tag and length bytes
};

TEST(Tlv, EncodesAndParsesEveryTagAndLengthForm) {
  const GoodCase cases[] = {
      {"one-byte tag, empty", 0x80, 0, "8000"},
      {"one-byte tag, short length", 0x04, 127, "047f"},
      {"81 length", 0x85, 128, "858180"},
      {"81 length max", 0x85, 255, "8581ff"},
      {"82 length", 0x70, 256, "70820100"},
      {"82 length max", 0x70, 0xFFFF, "7082ffff"},
      {"two-byte tag", 0x5F37, 64, "5f3740"},
      {"three-byte tag", 0x9F8101, 1, "9f810101"},
      {"constructed two-byte tag", 0x7F21, 3, "7f2103"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Bytes value(c.value_size, 0xAB);
    Bytes encoded = EncodeTlv(c.tag, value);
    EXPECT_EQ(HexEncode(ByteSpan(encoded).first(encoded.size() - c.value_size)), c.hex_prefix);
    size_t used = 0;
    auto tlv = ParseTlv(encoded, &used);
    ASSERT_TRUE(tlv.ok()) << tlv.status().message();
    EXPECT_EQ(tlv->tag, c.tag);
    EXPECT_EQ(tlv->value.size(), c.value_size);
    EXPECT_EQ(used, encoded.size());
    auto total = TlvTotalSize(ByteSpan(encoded).first(std::string(c.hex_prefix).size() / 2));
    ASSERT_TRUE(total.ok());
    EXPECT_EQ(*total, encoded.size());
  }
}

TEST(Tlv, RejectsMalformedInput) {
  const std::pair<const char*, const char*> cases[] = {
      {"empty", ""},
      {"padding 00 as tag", "000100"},
      {"padding ff as tag", "ff0100"},
      {"tag announces more bytes, none follow", "5f"},
      {"four-byte tag", "9f81818101"},
      {"no length", "80"},
      {"indefinite length", "8080"},
      {"83 length form", "8583000001"},
      {"81 without its byte", "8581"},
      {"82 with one byte", "858201"},
      {"value runs past the end", "850301"},
      {"82 length past the end", "8582ffff00"},
  };
  for (const auto& [name, hex] : cases) {
    SCOPED_TRACE(name);
    size_t used = 0;
    auto tlv = ParseTlv(Hex(hex), &used);
    ASSERT_FALSE(tlv.ok());
    EXPECT_EQ(tlv.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(Tlv, SequenceMustFillTheInputExactly) {
  auto seq =
      ParseTlvSequence(Hex("800101"
                           "8100"
                           "a203800100"));
  ASSERT_TRUE(seq.ok());
  ASSERT_EQ(seq->size(), 3u);
  EXPECT_EQ((*seq)[2].tag, 0xA2u);
  EXPECT_TRUE((*seq)[2].constructed());
  EXPECT_FALSE((*seq)[0].constructed());
  EXPECT_TRUE(ParseTlvSequence({}).ok());
  EXPECT_FALSE(ParseTlvSequence(Hex("80010181")).ok());
}

TEST(Tlv, TotalSizeNeedsOnlyTheHeader) {
  EXPECT_EQ(TlvTotalSize(Hex("7082")).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(TlvTotalSize(Hex("708204")).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*TlvTotalSize(Hex("70820400")), 0x404u);
  EXPECT_EQ(TlvTotalSize(Hex("7085")).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace onecard
