#include "onecard/protocol/card_record.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

using nlohmann::json;

// Child, two guardians, school and a full immunization history (20 doses).
json TypicalChild() {
  json child = {
      {"child_id", "C-7f3a9c2e41d8"},
      {"name", "王小明"},
      {"sex", "M"},
      {"birth_date", "2016-03-14"},
      {"id_number", "32132420160314001X"},
      {"ethnicity", "01"},
      {"hukou_area", "321324"},
      {"residence_area", "440306"},
      {"residence_address", "深圳市宝安区西乡街道固戍一路 18 号 302 室"},
      {"category", "migrant"},
      {"guardians",
       {{{"name", "王建国"},
         {"relation", "father"},
         {"phone", "13812345678"},
         {"id_number", "321324198801011234"},
         {"residence_area", "440306"}},
        {{"name", "李秀英"},
         {"relation", "mother"},
         {"phone", "13987654321"},
         {"id_number", "321324199002022345"},
         {"residence_area", "440306"}}}},
      {"school", {{"name", "宝安区西乡中心小学"}, {"grade", "3"}, {"status", "enrolled"}}},
      {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2024-09-01"}}},
      {"card_serial", "0123456789ABCDEF"},
  };
  const char* doses[][3] = {
      {"HepB", "1", "2016-03-14"},    {"BCG", "1", "2016-03-15"},    {"HepB", "2", "2016-04-14"},
      {"IPV", "1", "2016-05-14"},     {"IPV", "2", "2016-06-14"},    {"DTaP", "1", "2016-06-14"},
      {"bOPV", "1", "2016-07-14"},    {"DTaP", "2", "2016-07-14"},   {"DTaP", "3", "2016-08-14"},
      {"HepB", "3", "2016-09-14"},    {"MPSV-A", "1", "2016-09-14"}, {"MMR", "1", "2016-11-14"},
      {"JE", "1", "2016-11-14"},      {"MPSV-A", "2", "2016-12-14"}, {"HepA", "1", "2017-09-14"},
      {"DTaP", "4", "2017-09-14"},    {"MMR", "2", "2017-09-14"},    {"JE", "2", "2018-03-14"},
      {"MPSV-AC", "1", "2019-03-14"}, {"bOPV", "2", "2020-03-14"},
  };
  for (const auto& d : doses) {
    child["immunizations"].push_back(
        {{"vaccine", d[0]}, {"dose", std::stoi(d[1])}, {"date", d[2]}});
  }
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
  EXPECT_LT(tlv->size(), 750u) << "compact JSON is " << child.dump().size() << " bytes";
  auto back = DecodeChildTlv(*tlv);
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
    auto back = DecodeChildTlv(*tlv);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, c);
  }
  EXPECT_FALSE(EncodeChildTlv(json::array()).ok());
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
