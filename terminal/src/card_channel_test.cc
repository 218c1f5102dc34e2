#include "onecard/terminal/card_channel.h"

#include <gtest/gtest.h>

#include "onecard/terminal/card_application.h"
#include "onecard/terminal/card_atr.h"
#include "onecard/terminal/card_reader_script.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/pcsc_reader.h"

namespace onecard::terminal {
namespace {

Bytes Hex(const std::string& h) { return HexDecode(h).value(); }
const Bytes kIsoAtr = Hex("3b951381018073ff21002b");  // the shape vicc -t iso7816 announces

TEST(CommandApdu, EncodesTheFourShortCases) {
  EXPECT_EQ(HexEncode(CommandApdu{0x00, 0xA4, 0x04, 0x0C, {}, {}}.Encode()), "00a4040c");
  EXPECT_EQ(HexEncode(CommandApdu{0x00, 0xB0, 0x81, 0x00, {}, 256}.Encode()), "00b0810000");
  EXPECT_EQ(HexEncode(CommandApdu{0x00, 0xD6, 0x00, 0x03, {0x01}, {}}.Encode()), "00d600030101");
  EXPECT_EQ(HexEncode(CommandApdu{0x00, 0x88, 0x00, 0x00, {0xAA, 0xBB}, 16}.Encode()),
            "0088000002aabb10");
}

TEST(CardChannel, FollowsGetResponseAndWrongLe) {
  ScriptedCardReader card(kIsoAtr, {Hex("0102"
                                        "6103"),
                                    Hex("030405"
                                        "9000"),
                                    Hex("6c02"),
                                    Hex("aabb"
                                        "9000")});
  CardChannel channel(card);
  auto r = channel.Transmit({0x00, 0xCA, 0x00, 0x00, {}, 256});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(HexEncode(r->data), "0102030405");
  EXPECT_EQ(r->sw, 0x9000);
  EXPECT_EQ(HexEncode(card.commands()[1]), "00c0000003");
  auto again = channel.Transmit({0x00, 0xB0, 0x00, 0x00, {}, 256});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(HexEncode(again->data), "aabb");
  EXPECT_EQ(HexEncode(card.commands()[3]), "00b0000002");
  EXPECT_EQ(channel.apdu_count(), 4u);
}

TEST(CardChannel, HostileResponsesAreErrors) {
  ScriptedCardReader short_answer(kIsoAtr, {Hex("90")});
  CardChannel a(short_answer);
  EXPECT_EQ(a.Transmit({0x00, 0xA4, 0, 0, {}, {}}).status().code(), ErrorCode::kCorruption);
  ScriptedCardReader endless(kIsoAtr, std::vector<Bytes>(100, Hex("00"
                                                                  "6101")));
  CardChannel b(endless);
  EXPECT_EQ(b.Transmit({0x00, 0xA4, 0, 0, {}, {}}).status().code(), ErrorCode::kCorruption);
  ScriptedCardReader gone(kIsoAtr, {});
  CardChannel c(gone);
  EXPECT_EQ(c.Transmit({0x00, 0xA4, 0, 0, {}, {}}).status().code(), ErrorCode::kCardRemoved);
}

TEST(CardAtr, HistoricalBytes) {
  const std::tuple<const char*, const char*, bool> cases[] = {
      {"3b951381018073ff21002b", "8073ff2100",
       true},                               // T=1: TA1, TD1, TD2, then TCK (as vicc iso7816)
      {"3be2000040204906", "4906", false},  // Cryptoflex: proprietary category
      {"3b00", "", false},
  };
  for (const auto& [atr, historical, iso] : cases) {
    SCOPED_TRACE(atr);
    auto h = AtrHistoricalBytes(Hex(atr));
    ASSERT_TRUE(h.ok()) << h.status().message();
    EXPECT_EQ(HexEncode(*h), historical);
    EXPECT_EQ(AtrDeclaresIso7816Card(Hex(atr)), iso);
  }
  for (const char* bad : {"", "3b", "3f80", "3b0f01", "2b00", "3b8080"}) {
    EXPECT_FALSE(AtrHistoricalBytes(Hex(bad)).ok()) << bad;
  }
}

TEST(PcscStatus, TranslatesTheCodesPeopleMeet) {
  const std::pair<LONG, ErrorCode> cases[] = {
      {SCARD_E_NO_SERVICE, ErrorCode::kUnavailable},
      {SCARD_E_NO_SMARTCARD, ErrorCode::kNotFound},
      {SCARD_W_REMOVED_CARD, ErrorCode::kCardRemoved},
      {SCARD_W_RESET_CARD, ErrorCode::kCardRemoved},
      {SCARD_E_UNKNOWN_READER, ErrorCode::kNotFound},
      {SCARD_E_READER_UNAVAILABLE, ErrorCode::kUnavailable},
      {SCARD_E_TIMEOUT, ErrorCode::kDeadlineExceeded},
      {SCARD_F_INTERNAL_ERROR, ErrorCode::kInternal},
  };
  for (const auto& [rv, code] : cases) {
    Status s = PcscStatus(rv, "Reader X");
    EXPECT_EQ(s.code(), code) << rv;
    EXPECT_NE(s.message().find("Reader X"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(PcscStatus(SCARD_S_SUCCESS, "").ok());
}

// Card answers that make no sense never crash the service; they become errors.
TEST(CardServiceScripted, ForeignAndDamagedCards) {
  CardCredentials creds;
  ScriptedCardReader other_app(kIsoAtr, {Hex("6a82"), Hex("9000"), Hex("9000")});  // EF.DIR present
  EXPECT_EQ(CardService::ReadOn(other_app, creds).status().code(), ErrorCode::kNotOneCard);
  ScriptedCardReader no_select(kIsoAtr, {Hex("6d00")});
  EXPECT_EQ(CardService::ReadOn(no_select, creds).status().code(), ErrorCode::kNotOneCard);
  ScriptedCardReader bad_control(kIsoAtr, {Hex("9000"), Hex("00112233"
                                                            "9000")});
  EXPECT_EQ(CardService::ReadOn(bad_control, creds).status().code(), ErrorCode::kCorruption);
  Bytes control =
      Hex("4f430101"
          "0102030405060708");
  control.resize(32, 0);
  control.push_back(0x90);
  control.push_back(0x00);
  ScriptedCardReader garbage_slot(kIsoAtr, {Hex("9000"), control,
                                            Hex("ffffffff"
                                                "9000")});
  EXPECT_EQ(CardService::ReadOn(garbage_slot, creds).status().code(), ErrorCode::kCorruption);
  ScriptedCardReader pulled(kIsoAtr, {Hex("9000"), control});
  EXPECT_EQ(CardService::ReadOn(pulled, creds).status().code(), ErrorCode::kCardRemoved);
}

}  // namespace
}  // namespace onecard::terminal
