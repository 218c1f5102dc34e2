// The card layer against the real PC/SC stack: pcscd + vpcd + vicc (scripts/vicc.py).
#include "onecard/terminal/card_service.h"

#include <gtest/gtest.h>

#include "card_test_data.h"
#include "onecard/protocol/card_certificate.h"
#include "onecard/terminal/card_application.h"
#include "onecard/terminal/card_channel.h"
#include "onecard/terminal/card_reader_fault.h"
#include "onecard/terminal/pcsc_reader.h"
#include "virtual_card.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using onecard::testing::VirtualCardStack;

json WithSerial(json child, const std::string& serial) {
  child["card_serial"] = serial;
  return child;
}

class CardServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(stack_.error(), "") << stack_.error(); }
  void Insert(const std::string& type = "iso7816", int index = 0) {
    ASSERT_TRUE(stack_.InsertCard(type, index)) << stack_.error();
  }
  static std::string Reader(int index = 0) { return VirtualCardStack::ReaderName(index); }

  // Sends raw APDUs to the card in reader 0 (for tampering and for building odd cards).
  static std::vector<uint16_t> Raw(const std::vector<CommandApdu>& commands) {
    auto reader = PcscCardReader::Connect(Reader());
    EXPECT_TRUE(reader.ok()) << reader.status().message();
    std::vector<uint16_t> sws;
    if (!reader.ok()) return sws;
    CardChannel channel(**reader);
    for (const auto& c : commands) {
      auto r = channel.Transmit(c);
      EXPECT_TRUE(r.ok()) << r.status().message();
      sws.push_back(r.ok() ? r->sw : 0);
    }
    return sws;
  }

  static CommandApdu SelectOneCard() {
    return {0x00, 0xA4, 0x04, 0x0C, Bytes(std::begin(kOneCardAid), std::end(kOneCardAid)), {}};
  }

  VirtualCardStack stack_;
  TestCardTerminal terminal_;
};

TEST_F(CardServiceTest, ListReadersShowsTheVirtualReaderWithACard) {
  Insert();
  auto readers = ListReaders();
  ASSERT_TRUE(readers.ok()) << readers.status().message();
  bool seen0 = false, seen1 = false;
  for (const auto& r : *readers) {
    if (r.name == Reader(0)) {
      seen0 = true;
      EXPECT_TRUE(r.card_present);
    }
    if (r.name == Reader(1)) {
      seen1 = true;
      EXPECT_FALSE(r.card_present);
    }
  }
  EXPECT_TRUE(seen0);
  EXPECT_TRUE(seen1);
}

TEST_F(CardServiceTest, IssueThenReadThenUpdateWithinTheApduBudget) {
  Insert();
  json child = TypicalChild();
  auto pcsc = PcscCardReader::Connect(Reader());
  ASSERT_TRUE(pcsc.ok()) << pcsc.status().message();
  FaultInjectingCardReader counter(**pcsc);

  auto serial = CardService::IssueOn(counter, child, terminal_.creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  EXPECT_EQ(serial->size(), 16u);
  EXPECT_LE(counter.exchanges(), 25u) << "personalize + issue";
  RecordProperty("issue_apdus", static_cast<int>(counter.exchanges()));

  counter.ResetCount();
  auto read = CardService::ReadOn(counter, terminal_.creds);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_LE(counter.exchanges(), 6u) << "read + verify";
  EXPECT_EQ(read->child, WithSerial(child, *serial));
  EXPECT_EQ(read->serial, *serial);
  EXPECT_EQ(read->signer_terminal_id, "T-440306-01");
  EXPECT_EQ(read->write_counter, 1u);

  // Another terminal updates: a new dose and a new school status.
  CardCredentials sibling = terminal_.Sibling("T-321324-07");
  child["immunizations"].push_back({{"vaccine", "DT"}, {"dose", 1}, {"date", "2022-03-14"}});
  child["school"]["grade"] = "4";
  counter.ResetCount();
  Status updated = CardService::UpdateOn(counter, child, sibling);
  ASSERT_TRUE(updated.ok()) << updated.message();
  EXPECT_LE(counter.exchanges(), 10u) << "update";

  pcsc->reset();
  auto again = CardService::Read(Reader(), terminal_.creds);  // through the plain facade
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->child, WithSerial(child, *serial));
  EXPECT_EQ(again->write_counter, 2u);
  EXPECT_EQ(again->signer_terminal_id, "T-321324-07");

  // A third version goes back to slot A.
  child["school"]["grade"] = "5";
  ASSERT_TRUE(CardService::Update("", child, terminal_.creds).ok());
  auto third = CardService::Read("", terminal_.creds);
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(third->write_counter, 3u);
  EXPECT_EQ(third->child["school"]["grade"], "5");
}

TEST_F(CardServiceTest, IssuedCardRefusesASecondIssueAndAnotherChildsUpdate) {
  Insert();
  auto serial = CardService::Issue(Reader(), TypicalChild("C-1"), terminal_.creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  auto second = CardService::Issue(Reader(), TypicalChild("C-2"), terminal_.creds);
  EXPECT_EQ(second.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find(*serial), std::string::npos)
      << second.status().message();
  Status other = CardService::Update(Reader(), TypicalChild("C-2"), terminal_.creds);
  EXPECT_EQ(other.code(), ErrorCode::kFailedPrecondition) << other.message();
  auto read = CardService::Read(Reader(), terminal_.creds);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->child["child_id"], "C-1");
}

TEST_F(CardServiceTest, EmptyOneCardIsReusedWithItsSerial) {
  Insert();
  auto serial = CardService::Issue(Reader(), TypicalChild("C-1"), terminal_.creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  // Clear the active-slot byte: a personalized card without a record.
  EXPECT_EQ(Raw({SelectOneCard(), {0x00, 0xD6, 0x81, 0x03, {0x00}, {}}}),
            (std::vector<uint16_t>{0x9000, 0x9000}));
  EXPECT_EQ(CardService::Read(Reader(), terminal_.creds).status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(CardService::Update(Reader(), TypicalChild("C-1"), terminal_.creds).code(),
            ErrorCode::kFailedPrecondition);
  auto reissued = CardService::Issue(Reader(), TypicalChild("C-9"), terminal_.creds);
  ASSERT_TRUE(reissued.ok()) << reissued.status().message();
  EXPECT_EQ(*reissued, *serial);
  auto read = CardService::Read(Reader(), terminal_.creds);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->child["child_id"], "C-9");
}

TEST_F(CardServiceTest, FlippingAnyRecordByteOnTheCardIsTampered) {
  Insert();
  ASSERT_TRUE(CardService::Issue(Reader(), TypicalChild(), terminal_.creds).ok());
  // Bytes in the header, the certificate, the ciphertext and the signature of slot A.
  for (size_t offset : {6u, 60u, 150u, 400u, 700u}) {
    SCOPED_TRACE(offset);
    auto reader = PcscCardReader::Connect(Reader());
    ASSERT_TRUE(reader.ok());
    CardChannel channel(**reader);
    ASSERT_TRUE(channel.Transmit(SelectOneCard())->ok());
    auto byte = channel.Transmit({0x00, 0xB0, 0x82, 0x00, {}, 256});
    ASSERT_TRUE(byte.ok());
    // Select slot A by SFI, then read and flip one byte at `offset`.
    auto at = channel.Transmit(
        {0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset), {}, 1});
    ASSERT_TRUE(at.ok() && at->data.size() == 1);
    uint8_t flipped = at->data[0] ^ 0x10;
    ASSERT_TRUE(channel
                    .Transmit({0x00,
                               0xD6,
                               static_cast<uint8_t>(offset >> 8),
                               static_cast<uint8_t>(offset),
                               {flipped},
                               {}})
                    ->ok());
    reader->reset();
    auto read = CardService::Read(Reader(), terminal_.creds);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(read.status().code() == ErrorCode::kTampered ||
                read.status().code() == ErrorCode::kCorruption)
        << read.status().message();
    // Put it back: the card verifies again.
    auto again = PcscCardReader::Connect(Reader());
    ASSERT_TRUE(again.ok());
    CardChannel restore(**again);
    ASSERT_TRUE(restore.Transmit(SelectOneCard())->ok());
    ASSERT_TRUE(restore.Transmit({0x00, 0xB0, 0x82, 0x00, {}, 1})->ok());
    ASSERT_TRUE(restore
                    .Transmit({0x00,
                               0xD6,
                               static_cast<uint8_t>(offset >> 8),
                               static_cast<uint8_t>(offset),
                               {at->data[0]},
                               {}})
                    ->ok());
    again->reset();
    EXPECT_TRUE(CardService::Read(Reader(), terminal_.creds).ok());
  }
}

TEST_F(CardServiceTest, WrongRootAndUnknownKeyVersion) {
  Insert();
  ASSERT_TRUE(CardService::Issue(Reader(), TypicalChild(), terminal_.creds).ok());
  TestCardTerminal stranger;  // another deployment: other root, other keys
  EXPECT_EQ(CardService::Read(Reader(), stranger.creds).status().code(), ErrorCode::kTampered);
  CardCredentials rotated = terminal_.Sibling("T-2");
  rotated.data_keys.erase(1);
  rotated.data_keys.emplace(2, RandomSecret(kAeadKeySize));
  rotated.current_data_key_version = 2;
  EXPECT_EQ(CardService::Read(Reader(), rotated).status().code(), ErrorCode::kUnauthenticated);
}

TEST_F(CardServiceTest, ForeignCardsAreNotOneCards) {
  Insert("cryptoflex", 1);
  auto read = CardService::Read(Reader(1), terminal_.creds);
  EXPECT_EQ(read.status().code(), ErrorCode::kNotOneCard) << read.status().message();
  EXPECT_NE(read.status().message().find(Reader(1)), std::string::npos);
  EXPECT_EQ(CardService::Issue(Reader(1), TypicalChild(), terminal_.creds).status().code(),
            ErrorCode::kNotOneCard);
  EXPECT_EQ(CardService::Update(Reader(1), TypicalChild(), terminal_.creds).code(),
            ErrorCode::kNotOneCard);

  // An ISO 7816-4 card that already carries another application (an EF.DIR under the MF).
  Insert("iso7816", 0);
  EXPECT_EQ(Raw({{0x00, 0xA4, 0x00, 0x0C, {0x3F, 0x00}, {}},
                 {0x00,
                  0xE0,
                  0x00,
                  0x00,
                  {0x62, 0x0B, 0x80, 0x02, 0x00, 0x20, 0x82, 0x01, 0x01, 0x83, 0x02, 0x2F, 0x00},
                  {}}}),
            (std::vector<uint16_t>{0x9000, 0x9000}));
  EXPECT_EQ(CardService::Read(Reader(0), terminal_.creds).status().code(), ErrorCode::kNotOneCard);
  EXPECT_EQ(CardService::Issue(Reader(0), TypicalChild(), terminal_.creds).status().code(),
            ErrorCode::kNotOneCard);
}

TEST_F(CardServiceTest, BlankCardAndEmptyReaderGiveClearErrors) {
  Insert();
  auto blank = CardService::Read(Reader(), terminal_.creds);
  EXPECT_EQ(blank.status().code(), ErrorCode::kFailedPrecondition) << blank.status().message();
  EXPECT_EQ(CardService::Update(Reader(), TypicalChild(), terminal_.creds).code(),
            ErrorCode::kFailedPrecondition);

  stack_.RemoveCard(1);
  auto none = CardService::Read(Reader(1), terminal_.creds);
  EXPECT_EQ(none.status().code(), ErrorCode::kNotFound) << none.status().message();
  EXPECT_NE(none.status().message().find(Reader(1)), std::string::npos) << none.status().message();
  auto unknown = CardService::Read("No Such Reader 99", terminal_.creds);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kNotFound) << unknown.status().message();
}

// Pull the card at every APDU position of an update: the card must then hold the old record or
// the new one, always valid.
TEST_F(CardServiceTest, UpdateIsTearSafeAtEveryApdu) {
  Insert();
  json child = TypicalChild();
  auto serial = CardService::Issue(Reader(), child, terminal_.creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  json current = WithSerial(child, *serial);
  bool completed = false;
  for (size_t pull_after = 0; !completed && pull_after < 30; ++pull_after) {
    SCOPED_TRACE("card pulled after APDU " + std::to_string(pull_after));
    json next = child;
    next["school"]["grade"] = std::to_string(pull_after);
    {
      auto pcsc = PcscCardReader::Connect(Reader());
      ASSERT_TRUE(pcsc.ok()) << pcsc.status().message();
      FaultInjectingCardReader tearing(**pcsc);
      tearing.PullCardAfter(pull_after);
      Status s = CardService::UpdateOn(tearing, next, terminal_.creds);
      completed = s.ok();
      if (!completed) {
        EXPECT_EQ(s.code(), ErrorCode::kCardRemoved) << s.message();
      }
    }
    auto read = CardService::Read(Reader(), terminal_.creds);
    ASSERT_TRUE(read.ok()) << read.status().message();
    json expected_new = WithSerial(next, *serial);
    EXPECT_TRUE(read->child == current || read->child == expected_new);
    if (completed) {
      EXPECT_EQ(read->child, expected_new);
    } else {
      EXPECT_EQ(read->child, current) << "the commit is the last APDU";
    }
    current = read->child;
  }
  EXPECT_TRUE(completed);
}

}  // namespace
}  // namespace onecard::terminal
