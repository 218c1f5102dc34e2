// End to end: the card lifecycle over the real stack — onecard-server on loopback, two terminals
// at sites of different areas, and virtual cards behind pcscd (vicc). A card is issued and then
// replaced at terminal A; a revocation made at A reaches terminal B through the server, and B
// refuses the revoked card without importing anything. A record written by a terminal after the
// server revoked it is refused the same way. A card whose record was altered byte-wise is reported
// as not verifying at the other terminal, which imports nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "deployment_fixtures.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/protocol/tlv.h"
#include "onecard/terminal/card_application.h"
#include "onecard/terminal/card_channel.h"
#include "onecard/terminal/pcsc_reader.h"
#include "onecard/testing/registration.h"
#include "process.h"
#include "virtual_card.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

class CardLifecycle : public TwoProvinces {
 protected:
  CardLifecycle() : TwoProvinces("li.supervisor", "chen.supervisor") {}
  void SetUp() override {
    ASSERT_TRUE(cards_.error().empty()) << cards_.error();
    TwoProvinces::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(cards_.InsertCard("iso7816", 0)) << cards_.error();
    RunResult reg =
        d_.Terminal(js_, {"register", "--record", "-"}, LeftBehindRegistration("王小明").dump());
    ASSERT_EQ(reg.exit_code, 0) << reg.err;
    child_id_ = reg.out.substr(0, reg.out.find('\n'));
  }
  std::string Reader() const { return VirtualCardStack::ReaderName(0); }

  VirtualCardStack cards_;
  std::string child_id_;
};

TEST_F(CardLifecycle, ReplaceThenRevokeReachesTheOtherTerminalWhichRefusesTheCard) {
  RunResult issue = d_.Terminal(js_, {"card", "issue", "--child", child_id_, "--reader", Reader()});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  std::string first = CardSerialIn(issue.out);
  ASSERT_EQ(first.size(), 16u) << issue.out;
  Sync(js_);

  // The card is lost; a new blank card goes into the reader (the old card's content is gone).
  ASSERT_TRUE(cards_.InsertCard("iso7816", 0)) << cards_.error();
  RunResult replace = d_.Terminal(
      js_, {"card", "replace", "--child", child_id_, "--reader", Reader(), "--reason", "丢失"});
  ASSERT_EQ(replace.exit_code, 0) << replace.err;
  std::string second = CardSerialIn(replace.out);
  ASSERT_EQ(second.size(), 16u) << replace.out;
  EXPECT_NE(second, first);
  EXPECT_NE(replace.out.find(first), std::string::npos)
      << "names the revoked card: " << replace.out;
  RunResult shown = d_.Terminal(js_, {"show", "--child", child_id_, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["card_serial"], second);
  // Revoking the old serial again is refused: it is revoked already.
  RunResult again = d_.Terminal(js_, {"card", "revoke", "--serial", first});
  EXPECT_NE(again.exit_code, 0);
  Sync(js_);
  Sync(gd_);

  // The replacement card reads at A and carries its own serial.
  RunResult read_a = d_.Terminal(js_, {"card", "read", "--json", "--reader", Reader()});
  ASSERT_EQ(read_a.exit_code, 0) << read_a.err;
  EXPECT_EQ(json::parse(read_a.out)["card_serial"], second);

  // Now that card is reported lost too: revoked at A, synced to B through the server.
  RunResult revoke = d_.Terminal(js_, {"card", "revoke", "--serial", second, "--reason", "lost"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  Sync(js_);
  Sync(gd_);

  // B has never seen the child (another area) and must not learn it from a revoked card.
  ASSERT_NE(d_.Terminal(gd_, {"show", "--child", child_id_}).exit_code, 0);
  RunResult read_b = d_.Terminal(gd_, {"card", "read", "--reader", Reader()});
  EXPECT_NE(read_b.exit_code, 0) << read_b.out;
  EXPECT_NE(read_b.err.find(second), std::string::npos) << read_b.err;
  EXPECT_NE(read_b.err.find(UtcIso8601(platform::SystemClock().WallSeconds()).substr(0, 10)),
            std::string::npos)
      << "the date of the revocation: " << read_b.err;
  EXPECT_NE(d_.Terminal(gd_, {"show", "--child", child_id_}).exit_code, 0) << "nothing imported";
  RunResult audit = d_.Terminal(gd_, {"audit", "verify"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;

  // A refuses it as well, and will not write onto it.
  EXPECT_NE(d_.Terminal(js_, {"card", "read", "--reader", Reader()}).exit_code, 0);
  EXPECT_NE(d_.Terminal(js_, {"card", "update", "--reader", Reader()}).exit_code, 0);
}

TEST_F(CardLifecycle, RecordSignedAfterTheSignersRevocationIsRefused) {
  RunResult issue = d_.Terminal(js_, {"card", "issue", "--child", child_id_, "--reader", Reader()});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;

  // The administrator revokes terminal A; A, offline, does not know and keeps writing cards.
  ASSERT_EQ(d_.Server({"revoke", "--terminal", "JS-T1"}).exit_code, 0);
  // Revocation times have one-second resolution: let the clock pass the revocation's second.
  const int64_t revoked_second = platform::SystemClock().WallSeconds();
  while (platform::SystemClock().WallSeconds() <= revoked_second)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(d_.Terminal(js_, {"update", "--child", child_id_, "--record", "-"},
                        json{{"residence_address", "泗洪县青阳街道幸福路 10 号"}}.dump())
                .exit_code,
            0);
  RunResult update = d_.Terminal(js_, {"card", "update", "--reader", Reader()});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  Sync(gd_);

  RunResult read_b = d_.Terminal(gd_, {"card", "read", "--reader", Reader()});
  EXPECT_NE(read_b.exit_code, 0) << read_b.out;
  EXPECT_NE(read_b.err.find("JS-T1"), std::string::npos) << read_b.err;
  EXPECT_NE(d_.Terminal(gd_, {"show", "--child", child_id_}).exit_code, 0) << "nothing imported";
}

TEST_F(CardLifecycle, TamperedCardIsReportedAtTheOtherTerminalAndNothingIsImported) {
  RunResult issue = d_.Terminal(js_, {"card", "issue", "--child", child_id_, "--reader", Reader()});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  {
    // Someone with a plain reader flips one byte inside the sealed record of the active slot
    // (slot A, SFI 2, after an issue): raw READ BINARY / UPDATE BINARY, no OneCard software.
    auto reader = terminal::PcscCardReader::Connect(Reader());
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    terminal::CardChannel channel(**reader);
    const Bytes aid(std::begin(terminal::kOneCardAid), std::end(terminal::kOneCardAid));
    ASSERT_TRUE(channel.Transmit({0x00, 0xA4, 0x04, 0x0C, aid, {}})->ok());
    // The first 1 KiB of slot A (SFI 2), in four READ BINARY.
    Bytes slot;
    for (size_t offset = 0; offset < 1024; offset += 256) {
      auto part = channel.Transmit({0x00,
                                    0xB0,
                                    static_cast<uint8_t>(offset == 0 ? 0x82 : offset >> 8),
                                    static_cast<uint8_t>(offset & 0xFF),
                                    {},
                                    256});
      ASSERT_TRUE(part.ok() && part->ok());
      slot.insert(slot.end(), part->data.begin(), part->data.end());
    }
    // The middle byte of the ciphertext (tag 85 inside the record TLV 70, card.md).
    size_t consumed = 0;
    auto record = ParseTlv(slot, &consumed);
    ASSERT_TRUE(record.ok() && record->tag == 0x70) << "slot A holds a record";
    auto fields = ParseTlvSequence(record->value);
    ASSERT_TRUE(fields.ok());
    auto ciphertext =
        std::find_if(fields->begin(), fields->end(), [](const Tlv& t) { return t.tag == 0x85; });
    ASSERT_NE(ciphertext, fields->end());
    const size_t at =
        static_cast<size_t>(ciphertext->value.data() - slot.data()) + ciphertext->value.size() / 2;
    const uint8_t flipped = slot[at] ^ 0x01;
    ASSERT_TRUE(channel
                    .Transmit({0x00,
                               0xD6,
                               static_cast<uint8_t>(at >> 8),
                               static_cast<uint8_t>(at & 0xFF),
                               {flipped},
                               {}})
                    ->ok());
  }
  RunResult read_b = d_.Terminal(gd_, {"card", "read", "--reader", Reader()});
  EXPECT_NE(read_b.exit_code, 0) << read_b.out;
  EXPECT_NE(read_b.err.find("does not verify"), std::string::npos) << read_b.err;
  EXPECT_EQ(read_b.out.find("王小明"), std::string::npos) << "nothing of the record is shown";
  EXPECT_NE(d_.Terminal(gd_, {"show", "--child", child_id_}).exit_code, 0) << "nothing imported";
  RunResult found = d_.Terminal(gd_, {"search", "--name", "王小明", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(json::parse(found.out), json::array()) << found.out;
}

}  // namespace
}  // namespace onecard::testing
