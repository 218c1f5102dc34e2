// The desk's browser test's harness (desk.test.mjs): pcscd with its virtual readers, a terminal
// store holding one registered child, and the real desk (DeskServer) watching virtual reader 0.
// The test drives the card with lines on standard input, as a person at the desk would:
//
//   issue     writes the child's card in virtual reader 1 (out of the desk's sight), then pulls it
//   insert    puts that card into reader 0          remove    pulls it out of reader 0
//   foreign   puts a card of another application (cryptoflex) into reader 0
//
// Each command answers one line: "ok", or "error: why". Prints one JSON line first:
// {"launch_url", "child_id", "passphrase"}. Stops when standard input closes.
//
//   onecard_desk_test_harness --dir DIR [--idle-seconds N]   (DIR is wiped and made afresh;
//   the desk locks after N seconds without a request, default 600)
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/desk/desk_server.h"
#include "onecard/platform/clock.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/terminal_store.h"
#include "onecard/testing/registration.h"
#include "test_bundle.h"
#include "virtual_card.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using testing::VirtualCardStack;

constexpr char kUser[] = "chen";

Result<std::string> RegisterChild(const std::string& store_dir) {
  ASSIGN_OR_RETURN(auto store, terminal::TerminalStore::Open(store_dir, kUser,
                                                             terminal::testing::kTestPassphrase));
  return store->children().Register(testing::MigrantRegistration("刘小明"));
}

// Writes the child's card in reader 1 with `image` as its content, then pulls it out.
Status IssueCard(VirtualCardStack& cards, const std::string& store_dir, const std::string& child_id,
                 const std::string& image) {
  if (!cards.InsertCard("iso7816", 1, image)) {
    return Status(ErrorCode::kUnavailable, cards.error());
  }
  ASSIGN_OR_RETURN(auto store, terminal::TerminalStore::Open(store_dir, kUser,
                                                             terminal::testing::kTestPassphrase));
  ASSIGN_OR_RETURN(terminal::CardCredentials creds, store->enrolment().LoadCardCredentials());
  ASSIGN_OR_RETURN(json record, store->children().RecordOf(child_id));
  ASSIGN_OR_RETURN(std::string serial,
                   terminal::CardService::Issue(VirtualCardStack::ReaderName(1), record, creds));
  RETURN_IF_ERROR(store->children().Update(child_id, json{{"card_serial", serial}}).status());
  cards.RemoveCard(1);
  return Status::Ok();
}

int Run(const std::filesystem::path& dir, std::chrono::seconds idle) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string store_dir = dir / "terminal";
  const std::string image = dir / "card.image";
  VirtualCardStack cards;
  if (!cards.error().empty()) {
    std::cerr << "pcscd: " << cards.error() << std::endl;
    return 1;
  }
  Status made =
      terminal::TerminalStore::Initialize(store_dir, terminal::testing::MakeTestBundle("GD-T1"),
                                          kUser, terminal::testing::kTestPassphrase);
  Result<std::string> child_id = made.ok() ? RegisterChild(store_dir) : Result<std::string>(made);
  if (!child_id.ok()) {
    std::cerr << child_id.status().message() << std::endl;
    return 1;
  }
  DeskServer desk(
      {.data_dir = store_dir, .reader = VirtualCardStack::ReaderName(0), .idle_limit = idle},
      platform::SystemClock());
  if (Status started = desk.Start(); !started.ok()) {
    std::cerr << started.message() << std::endl;
    return 1;
  }
  std::cout << json{{"launch_url", desk.LaunchUrl()},
                    {"child_id", *child_id},
                    {"passphrase", terminal::testing::kTestPassphrase}}
                   .dump()
            << std::endl;
  for (std::string line; std::getline(std::cin, line);) {
    Status done;
    if (line == "issue") done = IssueCard(cards, store_dir, *child_id, image);
    if (line == "insert" && !cards.InsertCard("iso7816", 0, image)) {
      done = Status(ErrorCode::kUnavailable, cards.error());
    }
    if (line == "foreign" && !cards.InsertCard("cryptoflex", 0)) {
      done = Status(ErrorCode::kUnavailable, cards.error());
    }
    if (line == "remove") cards.RemoveCard(0);
    if (line != "issue" && line != "insert" && line != "foreign" && line != "remove") {
      done = Status(ErrorCode::kInvalidArgument, "unknown command: " + line);
    }
    std::cout << (done.ok() ? "ok" : "error: " + done.message()) << std::endl;
  }
  desk.Stop();
  return 0;
}

}  // namespace
}  // namespace onecard::desk

int main(int argc, char** argv) {
  const bool idle = argc == 5 && std::string(argv[3]) == "--idle-seconds";
  if ((argc != 3 && !idle) || std::string(argv[1]) != "--dir") {
    std::cerr << "usage: onecard_desk_test_harness --dir DIR [--idle-seconds N]" << std::endl;
    return 2;
  }
  return onecard::desk::Run(argv[2], std::chrono::seconds(idle ? std::atoi(argv[4]) : 600));
}
