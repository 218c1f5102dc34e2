#include "onecard/protocol/card_record.h"

#include <gtest/gtest.h>

#include "onecard/testing/typical_child.h"

namespace onecard {
namespace {

using nlohmann::json;

// The typical record, with every optional field a card may carry.
json TypicalChild() {
  json child = testing::TypicalChild();
  child["ethnicity"] = "01";
  child["card_serial"] = "0123456789ABCDEF";
  return child;
}

struct Keys {
  EcKey root = EcKey::Generate();
  EcKey terminal = EcKey::Generate();
  Bytes certificate =
      IssueCardSignerCertificate(root, "T-440306-01", terminal.PublicPoint(), 4'000'000'000);
  SecretBytes data_key = RandomSecret(kAeadKeySize);
  CardDataKeyLookup lookup() const {
    return [this](uint32_t v) { return v == 3 ? &data_key : nullptr; };
  }
};

CardRecordHeader Header() {
  CardRecordHeader h;
  h.serial = Bytes{1, 2, 3, 4, 5, 6, 7, 8};
  h.write_counter = 7;
  h.key_version = 3;
  h.written_unix = 1'750'000'000;
  return h;
}

TEST(ChildTlv, TypicalRecordRoundTripsAndIsCompact) {
  json child = TypicalChild();
  auto tlv = EncodeChildTlv(child);
  ASSERT_TRUE(tlv.ok()) << tlv.status().message();
  EXPECT_LT(tlv->bytes.size(), 750u) << "compact JSON is " << child.dump().size() << " bytes";
  auto back = DecodeChildTlv(tlv->bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, child);
}

TEST(ChildTlv, ValuesThatDoNotFitTheDictionaryStillRoundTrip) {
  const json cases[] = {
      json::object(),
      {{"unknown_field", {{"nested", {1, 2.5, nullptr, true}}}}},
      {{"birth_date", "2016-3-14"}},          // not YYYY-MM-DD: kept as JSON
      {{"hukou_area", "32-13"}},              // not digits
      {{"id_number", "32132420160314001x"}},  // lower-case x
      {{"dose", -3}, {"grade", 3}},           // int where text expected
      {{"dose", 18446744073709551615ull}},    // does not fit int64
      {{"guardians", json::array()}},
      {{"guardians", {"not an object"}}},
      {{"school", nullptr}},
      {{"phone", "1"}},  // odd digit count
      {{"caregiver", {{"name", "张奶奶"}, {"relation", "grandparent"}}}},
  };
  for (const json& c : cases) {
    SCOPED_TRACE(c.dump());
    auto tlv = EncodeChildTlv(c);
    ASSERT_TRUE(tlv.ok()) << tlv.status().message();
    auto back = DecodeChildTlv(tlv->bytes);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, c);
  }
  EXPECT_FALSE(EncodeChildTlv(json::array()).ok());
}

// school.stage (number 25) came with format version 2; a record without it is still version 1.
TEST(ChildTlv, SchoolStageHasItsOwnNumberFromFormatVersionTwo) {
  json child = {{"school", {{"status", "enrolled"}}}};
  auto without = EncodeChildTlv(child);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(HexEncode(without->bytes), "af0a9108656e726f6c6c6564");  // A0|15 { 80|17 "enrolled" }
  EXPECT_EQ(without->format_version, 1);

  child["school"]["stage"] = "preschool";
  auto with = EncodeChildTlv(child);
  ASSERT_TRUE(with.ok());
  // A0|15 { 80|25 "preschool", 80|17 "enrolled" }: a member, not an extension.
  EXPECT_EQ(HexEncode(with->bytes), "af1599097072657363686f6f6c9108656e726f6c6c6564");
  EXPECT_EQ(with->format_version, 2);
  auto back = DecodeChildTlv(with->bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, child);

  // A stage that is not text travels as an extension, which version 1 already had.
  child["school"]["stage"] = 3;
  auto odd = EncodeChildTlv(child);
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->format_version, 1);
  EXPECT_EQ(DecodeChildTlv(odd->bytes).value(), child);
}

// The plaintext of a card written before stages existed (format version 1), byte for byte.
TEST(ChildTlv, ARecordOfFormatVersionOneStillDecodes) {
  // {"name": "李四", "school": {"grade": 5 (an extension), "status": "enrolled"}}
  auto decoded = DecodeChildTlv(HexDecode("8206e69d8ee59b9b"
                                          "af16e10a0c056772616465040135"
                                          "9108656e726f6c6c6564")
                                    .value());
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, (json{{"name", "李四"}, {"school", {{"grade", 5}, {"status", "enrolled"}}}}));
}

TEST(ChildTlv, RejectsMalformedPlaintext) {
  const std::pair<const char*, const char*> cases[] = {
      {"unknown tag", "9f1f0100"},
      {"bad TLV", "8205"},
      {"date not BCD", "8404201a0314"},
      {"date wrong size", "8403201603"},
      {"digits with bad nibble", "8702b21f"},
      {"digits with F in the middle", "8702f213"},
      {"invalid UTF-8 text", "8202c328"},
      {"duplicate member", "830146830146"},
      {"integer too long", "9409010203040506070809"},
      {"list element with wrong tag", "ab03310100"},
      {"extension that is not JSON", "e1070c017804027b7b"},
      {"extension with missing value", "e1030c0178"},
  };
  for (const auto& [name, hex] : cases) {
    SCOPED_TRACE(name);
    auto r = DecodeChildTlv(HexDecode(hex).value());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(CardRecord, SealOpenRoundTrip) {
  Keys k;
  json child = TypicalChild();
  auto sealed = SealCardRecord(child, Header(), k.terminal, k.certificate, k.data_key);
  ASSERT_TRUE(sealed.ok()) << sealed.status().message();
  EXPECT_LE(sealed->size(), 1024u) << "a typical record must fit in 4 short READ BINARY responses";
  auto size = SealedCardRecordSize(ByteSpan(*sealed).first(4));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, sealed->size());
  auto opened = OpenCardRecord(*sealed, Header().serial, k.root, k.lookup());
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->child, child);
  EXPECT_EQ(opened->header.write_counter, 7u);
  EXPECT_EQ(opened->header.key_version, 3u);
  EXPECT_EQ(opened->signer.terminal_id, "T-440306-01");
  auto peek = PeekCardRecordHeader(ByteSpan(*sealed).first(64));
  ASSERT_TRUE(peek.ok());
  EXPECT_EQ(peek->write_counter, 7u);
}

// The header states the format version the record needs: terminals of the release before
// stages read every record that has none, and a version this code does not know is refused.
TEST(CardRecord, TheSealedFormatVersionIsTheOldestThatHoldsTheRecord) {
  Keys k;
  json child = TypicalChild();
  child["school"] = {{"status", "enrolled"}, {"grade", 5}};
  for (const char* stage : {"", "primary"}) {
    SCOPED_TRACE(stage);
    if (*stage != 0) child["school"]["stage"] = stage;
    Bytes sealed = SealCardRecord(child, Header(), k.terminal, k.certificate, k.data_key).value();
    auto opened = OpenCardRecord(sealed, Header().serial, k.root, k.lookup());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(opened->child, child);
    const uint8_t expected = *stage != 0 ? 2 : 1;
    EXPECT_EQ(opened->header.format_version, expected);
    EXPECT_EQ(PeekCardRecordHeader(sealed).value().format_version, expected);

    // The version byte follows the outer 70 TLV's header and 80 01.
    const size_t outer_header = sealed[1] < 0x80 ? 2 : sealed[1] == 0x81 ? 3 : 4;
    ASSERT_EQ(sealed[outer_header], 0x80);
    ASSERT_EQ(sealed[outer_header + 2], expected);
    Bytes newer = sealed;
    newer[outer_header + 2] = kCardRecordFormatVersion + 1;
    EXPECT_EQ(PeekCardRecordHeader(newer).status().code(), ErrorCode::kCorruption);
    EXPECT_EQ(OpenCardRecord(newer, Header().serial, k.root, k.lookup()).status().code(),
              ErrorCode::kCorruption);
  }
}

TEST(CardRecord, EveryFlippedByteIsDetected) {
  Keys k;
  json child = {{"child_id", "C-1"}, {"name", "李四"}};
  Bytes sealed = SealCardRecord(child, Header(), k.terminal, k.certificate, k.data_key).value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x04;
    auto r = OpenCardRecord(bad, Header().serial, k.root, k.lookup());
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_TRUE(r.status().code() == ErrorCode::kTampered ||
                r.status().code() == ErrorCode::kCorruption)
        << "byte " << i << ": " << ErrorCodeName(r.status().code());
  }
}

TEST(CardRecord, VerificationFailuresHaveTheirCodes) {
  Keys k;
  json child = {{"child_id", "C-1"}};
  Bytes sealed = SealCardRecord(child, Header(), k.terminal, k.certificate, k.data_key).value();
  EXPECT_EQ(OpenCardRecord(sealed, Header().serial, EcKey::Generate(), k.lookup()).status().code(),
            ErrorCode::kTampered);
  EXPECT_EQ(OpenCardRecord(sealed, Bytes(8, 9), k.root, k.lookup()).status().code(),
            ErrorCode::kTampered);
  EXPECT_EQ(OpenCardRecord(sealed, Header().serial, k.root, [](uint32_t) { return nullptr; })
                .status()
                .code(),
            ErrorCode::kUnauthenticated);
  SecretBytes other = RandomSecret(kAeadKeySize);
  EXPECT_EQ(OpenCardRecord(sealed, Header().serial, k.root, [&](uint32_t) { return &other; })
                .status()
                .code(),
            ErrorCode::kTampered);

  // A terminal key certified by a different root.
  EcKey rogue_root = EcKey::Generate();
  Bytes rogue_cert =
      IssueCardSignerCertificate(rogue_root, "T-X", k.terminal.PublicPoint(), 4'000'000'000);
  Bytes rogue = SealCardRecord(child, Header(), k.terminal, rogue_cert, k.data_key).value();
  EXPECT_EQ(OpenCardRecord(rogue, Header().serial, k.root, k.lookup()).status().code(),
            ErrorCode::kTampered);

  // Certificate expired before the record was written.
  Bytes old_cert = IssueCardSignerCertificate(k.root, "T-1", k.terminal.PublicPoint(), 1'000);
  Bytes late = SealCardRecord(child, Header(), k.terminal, old_cert, k.data_key).value();
  EXPECT_EQ(OpenCardRecord(late, Header().serial, k.root, k.lookup()).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST(CardRecord, SlotPrefixes) {
  EXPECT_EQ(SealedCardRecordSize(Bytes(16, 0)).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(SealedCardRecordSize({}).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(SealedCardRecordSize(Bytes{0x6F, 0x01}).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(SealedCardRecordSize(Bytes{0x70, 0x82, 0x10, 0x00}).status().code(),
            ErrorCode::kCorruption);
  EXPECT_EQ(SealedCardRecordSize(Bytes{0x70, 0x85}).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(PeekCardRecordHeader(Bytes{0x70, 0x00}).status().code(), ErrorCode::kCorruption);
}

TEST(CardRecord, TooLargeIsResourceExhausted) {
  Keys k;
  json child = {{"residence_address", std::string(1900, 'a')}};
  EXPECT_EQ(SealCardRecord(child, Header(), k.terminal, k.certificate, k.data_key).status().code(),
            ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace onecard
