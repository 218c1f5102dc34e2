// Waiting for a card (SCardGetStatusChange) against pcscd + vpcd + vicc, and the message a person
// gets when pcscd is not running.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "card_test_data.h"
#include "deployment.h"
#include "onecard/protocol/card_certificate.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/pcsc_reader.h"
#include "process.h"
#include "virtual_card.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using onecard::testing::VirtualCardStack;
using std::chrono::milliseconds;
using std::chrono::seconds;

class CardWaitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(stack_.error(), "") << stack_.error(); }
  static std::string Reader(int index) { return VirtualCardStack::ReaderName(index); }
  VirtualCardStack stack_;
};

TEST_F(CardWaitTest, WaitReturnsWhenACardIsInsertedAndTheCardIsThenUsable) {
  auto waiting = std::async(std::launch::async, [] { return WaitForCard(Reader(0), seconds(60)); });
  // Nothing to return while the reader is empty.
  EXPECT_EQ(waiting.wait_for(milliseconds(500)), std::future_status::timeout);
  ASSERT_TRUE(stack_.InsertCard("iso7816", 0)) << stack_.error();
  ASSERT_EQ(waiting.wait_for(seconds(30)), std::future_status::ready);
  Result<std::string> reader = waiting.get();
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(*reader, Reader(0));

  CardCredentials creds = TestCardTerminal("T-WAIT").creds;
  json child = {
      {"child_id", "T-WAIT-1"}, {"name", "王小明"}, {"sex", "M"}, {"birth_date", "2016-03-14"}};
  auto serial = CardService::Issue(*reader, child, creds);
  ASSERT_TRUE(serial.ok()) << serial.status().message();
  auto card = CardService::Read(*reader, creds);
  ASSERT_TRUE(card.ok()) << card.status().message();
  EXPECT_EQ(card->child["name"], "王小明");
  EXPECT_EQ(card->serial, *serial);
}

TEST_F(CardWaitTest, WithoutAReaderNameAnyReaderCounts) {
  auto waiting = std::async(std::launch::async, [] { return WaitForCard("", seconds(60)); });
  ASSERT_TRUE(stack_.InsertCard("iso7816", 1)) << stack_.error();
  ASSERT_EQ(waiting.wait_for(seconds(30)), std::future_status::ready);
  Result<std::string> reader = waiting.get();
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(*reader, Reader(1));
}

TEST_F(CardWaitTest, CardAlreadyPresentReturnsAtOnce) {
  ASSERT_TRUE(stack_.InsertCard("iso7816", 0)) << stack_.error();
  auto start = std::chrono::steady_clock::now();
  Result<std::string> reader = WaitForCard(Reader(0), seconds(30));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST_F(CardWaitTest, NoCardBeforeTheDeadlineIsDeadlineExceeded) {
  const Language language = CurrentLanguage();
  SetLanguage(Language::kEn);
  auto start = std::chrono::steady_clock::now();
  Result<std::string> reader = WaitForCard(Reader(0), seconds(2));
  auto elapsed = std::chrono::steady_clock::now() - start;
  SetLanguage(language);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(reader.status().message().find("within 2 seconds"), std::string::npos)
      << reader.status().message();
  EXPECT_GE(elapsed, milliseconds(1900));
  EXPECT_LT(elapsed, seconds(15));
}

TEST_F(CardWaitTest, UnknownReaderIsNotFound) {
  Result<std::string> reader = WaitForCard("No Such Reader 99", seconds(5));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), ErrorCode::kNotFound);
}

// onecard-terminal card read --wait: the command waits for the card, then reads it (a blank card
// here: the emulator cannot start with an issued card, so the read reports a blank card).
TEST_F(CardWaitTest, CardReadWaitsForTheCardFromTheCommandLine) {
  onecard::testing::Deployment d;
  ASSERT_EQ(d.Server({"init"}).exit_code, 0);
  std::string data = d.AddTerminal("GD", "宝安", "440306", "receiving", "GD-T1", "chen");
  onecard::testing::RunOptions options;
  options.env = {{"ONECARD_PASSPHRASE", onecard::testing::Deployment::kPassphrase},
                 {"ONECARD_LANG", "en"}};
  onecard::testing::Process waiting(
      {onecard::testing::BuiltProgram("onecard-terminal"), "card", "read", "--wait", "60",
       "--reader", Reader(0), "--data", data, "--user", "chen"},
      options, d.dir() / "wait.log");
  // Still waiting a moment later: no card yet.
  EXPECT_EQ(waiting.Wait(milliseconds(1500)), -1);
  EXPECT_TRUE(waiting.running());
  ASSERT_TRUE(stack_.InsertCard("iso7816", 0)) << stack_.error();
  EXPECT_EQ(waiting.Wait(seconds(30)), 1);
  EXPECT_NE(waiting.Log().find("is blank"), std::string::npos) << waiting.Log();
}

// The client library finds pcscd through its socket; pointing it elsewhere is pcscd not running,
// without stopping the real one.
TEST(PcscdNotRunning, CommandsSayPcscdIsNotRunning) {
  for (const auto& [lang, expected] :
       {std::pair<std::string, std::string>{"en", "the smart card service (pcscd) is not running"},
        {"zh", "智能卡服务 pcscd 没有运行"}}) {
    onecard::testing::RunOptions options;
    options.env = {{"PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm"}, {"ONECARD_LANG", lang}};
    onecard::testing::RunResult r = onecard::testing::Run(
        {onecard::testing::BuiltProgram("onecard-terminal"), "readers"}, options);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace onecard::terminal
