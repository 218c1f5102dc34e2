// A card reset by another program in the middle of a terminal's work (SCARD_W_RESET_CARD), against
// pcscd + vpcd + vicc: read and update reconnect and are repeated once; the card is never harmed.
#include <gtest/gtest.h>
#include <winscard.h>

#include "card_test_data.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/pcsc_reader.h"
#include "virtual_card.h"

namespace onecard::terminal {
namespace {

using onecard::testing::VirtualCardStack;

// What another program on the same machine does: connects to the card in `reader` and resets it
// as it leaves. Returns "" or what failed.
std::string ResetCardFromAnotherProgram(const std::string& reader) {
  SCARDCONTEXT context = 0;
  if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) {
    return "SCardEstablishContext failed";
  }
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  LONG rv = SCardConnect(context, reader.c_str(), SCARD_SHARE_SHARED,
                         SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle, &protocol);
  if (rv == SCARD_S_SUCCESS) rv = SCardDisconnect(handle, SCARD_RESET_CARD);
  SCardReleaseContext(context);
  return rv == SCARD_S_SUCCESS ? "" : std::string("reset failed: ") + pcsc_stringify_error(rv);
}

class CardResetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(stack_.error(), "") << stack_.error();
    ASSERT_TRUE(stack_.InsertCard("iso7816", 0)) << stack_.error();
    auto serial = CardService::Issue(Reader(), TypicalChild(), terminal_.creds);
    ASSERT_TRUE(serial.ok()) << serial.status().message();
  }
  static std::string Reader() { return VirtualCardStack::ReaderName(0); }

  VirtualCardStack stack_;
  TestCardTerminal terminal_;
};

TEST_F(CardResetTest, ReadAfterAnotherProgramResetTheCardReconnectsAndSucceeds) {
  auto card = PcscCardReader::Connect(Reader());
  ASSERT_TRUE(card.ok()) << card.status().message();
  ASSERT_EQ(ResetCardFromAnotherProgram(Reader()), "");

  // The reset is real: the connection now fails, naming the reset, until it reconnects.
  auto select = (*card)->Exchange(Bytes{0x00, 0xA4, 0x04, 0x0C, 0x01, 0xF0});
  ASSERT_FALSE(select.ok());
  EXPECT_EQ(select.status().code(), ErrorCode::kCardRemoved);
  EXPECT_TRUE((*card)->WasReset());

  auto read = CardService::ReadOn(**card, terminal_.creds);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->child["name"], "王小明");
  EXPECT_EQ(read->write_counter, 1u);
  EXPECT_FALSE((*card)->WasReset());
}

TEST_F(CardResetTest, UpdateAfterAnotherProgramResetTheCardIsWrittenOnce) {
  auto card = PcscCardReader::Connect(Reader());
  ASSERT_TRUE(card.ok()) << card.status().message();
  ASSERT_EQ(ResetCardFromAnotherProgram(Reader()), "");

  nlohmann::json child = TypicalChild();
  child["residence_area"] = "440305";
  Status updated = CardService::UpdateOn(**card, child, terminal_.creds);
  ASSERT_TRUE(updated.ok()) << updated.message();

  auto read = CardService::Read(Reader(), terminal_.creds);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->child["residence_area"], "440305");
  EXPECT_EQ(read->write_counter, 2u);  // one new version, not two
}

TEST_F(CardResetTest, ACardTakenOutIsNotRetried) {
  auto card = PcscCardReader::Connect(Reader());
  ASSERT_TRUE(card.ok()) << card.status().message();
  stack_.RemoveCard(0);

  auto read = CardService::ReadOn(**card, terminal_.creds);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kCardRemoved) << read.status().message();
  EXPECT_FALSE((*card)->WasReset());
}

}  // namespace
}  // namespace onecard::terminal
