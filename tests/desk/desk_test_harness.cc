// The desk's browser test's harness (desk.test.mjs): a real sync server on loopback with two sites
// of Bao'an district — a community registration point (terminal GD-T1) and a clinic (GD-T9) —
// each terminal with its own store and its own real desk (DeskServer); pcscd with its virtual
// readers, the community desk watching reader 0. The community store holds two registered
// children (both born in 2016 with no dose recorded, so both are on the overdue worklist), and both
// terminals have synced once, so each knows the other's site. The test drives the cards with lines
// on standard input, as a person at the desk would:
//
//   issue     writes the first child's card in virtual reader 1 (out of the desk's sight), then
//             pulls it; that card becomes the current card
//   blank     puts a new blank card into reader 0 (the page issues it); it becomes the current card
//   insert    puts the current card into reader 0      remove    pulls it out of reader 0
//   foreign   puts a card of another application (cryptoflex) into reader 0
//
// Each command answers one line: "ok", or "error: why". Prints one JSON line first:
// {"launch_url", "child_id", "overdue_child_id", "user", "passphrase", "clinic_launch_url",
//  "clinic_site_id", "clinic_site_name"} (the same staff name and passphrase at both desks).
// Stops when standard input closes.
//
//   onecard_desk_test_harness --dir DIR [--idle-seconds N]   (DIR is wiped and made afresh for
//   the card images; the desks lock after N seconds without a request, default 600)
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "deployment.h"
#include "onecard/desk/desk_server.h"
#include "onecard/platform/clock.h"
#include "onecard/terminal/card_service.h"
#include "onecard/terminal/terminal_store.h"
#include "onecard/testing/registration.h"
#include "virtual_card.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using testing::Deployment;
using testing::VirtualCardStack;

constexpr char kUser[] = "chen";
constexpr char kClinicSite[] = "GD-BAOAN-FUYOU";
constexpr char kClinicName[] = "宝安区妇幼保健院";

Result<std::unique_ptr<terminal::TerminalStore>> OpenStore(const std::string& store_dir) {
  return terminal::TerminalStore::Open(store_dir, kUser, Deployment::kPassphrase);
}

Result<std::string> RegisterChild(const std::string& store_dir, const std::string& name) {
  ASSIGN_OR_RETURN(auto store, OpenStore(store_dir));
  return store->children().Register(testing::MigrantRegistration(name));
}

// `onecard-terminal sync` at `store_dir`: kUnavailable with its output when it fails.
Status SyncTerminal(Deployment& d, const std::string& store_dir) {
  testing::RunResult synced = d.Terminal(store_dir, {"sync"});
  if (synced.exit_code != 0) return Status(ErrorCode::kUnavailable, "sync: " + synced.err);
  return Status::Ok();
}

// Writes the child's card in reader 1 with `image` as its content, then pulls it out.
Status IssueCard(VirtualCardStack& cards, const std::string& store_dir, const std::string& child_id,
                 const std::string& image) {
  if (!cards.InsertCard("iso7816", 1, image)) {
    return Status(ErrorCode::kUnavailable, cards.error());
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(store_dir));
  ASSIGN_OR_RETURN(terminal::CardCredentials creds, store->enrolment().LoadCardCredentials());
  ASSIGN_OR_RETURN(json record, store->children().RecordOf(child_id));
  ASSIGN_OR_RETURN(std::string serial,
                   terminal::CardService::Issue(VirtualCardStack::ReaderName(1), record, creds));
  RETURN_IF_ERROR(store->children().Update(child_id, json{{"card_serial", serial}}).status());
  cards.RemoveCard(1);
  return Status::Ok();
}

// The deployment: the server, both sites' terminals, the children, the first syncs.
struct Sites {
  std::string community_dir, clinic_dir, child_id, overdue_child_id;
};

Result<Sites> MakeSites(Deployment& d) {
  if (d.Server({"init"}).exit_code != 0) return Status(ErrorCode::kInternal, "server init failed");
  Sites sites;
  sites.community_dir =
      d.AddTerminal("GD-BAOAN", "宝安区新安街道登记点", "440306", "receiving", "GD-T1", kUser);
  sites.clinic_dir = d.AddTerminal(kClinicSite, kClinicName, "440306", "receiving", "GD-T9", kUser);
  if (!d.StartServer()) return Status(ErrorCode::kUnavailable, "the server did not start");
  ASSIGN_OR_RETURN(sites.child_id, RegisterChild(sites.community_dir, "刘小明"));
  ASSIGN_OR_RETURN(sites.overdue_child_id, RegisterChild(sites.community_dir, "张小红"));
  RETURN_IF_ERROR(SyncTerminal(d, sites.community_dir));
  RETURN_IF_ERROR(SyncTerminal(d, sites.clinic_dir));
  return sites;
}

// Answers the test's lines until standard input closes.
void FollowCommands(VirtualCardStack& cards, const std::filesystem::path& dir, const Sites& sites) {
  std::string current = dir / "card.image";
  int blanks = 0;
  for (std::string line; std::getline(std::cin, line);) {
    Status done;
    if (line == "issue") {
      current = dir / "card.image";
      done = IssueCard(cards, sites.community_dir, sites.child_id, current);
    } else if (line == "blank" || line == "insert") {
      if (line == "blank") current = dir / ("blank-" + std::to_string(++blanks) + ".image");
      if (!cards.InsertCard("iso7816", 0, current))
        done = Status(ErrorCode::kUnavailable, cards.error());
    } else if (line == "foreign") {
      if (!cards.InsertCard("cryptoflex", 0)) done = Status(ErrorCode::kUnavailable, cards.error());
    } else if (line == "remove") {
      cards.RemoveCard(0);
    } else {
      done = Status(ErrorCode::kInvalidArgument, "unknown command: " + line);
    }
    std::cout << (done.ok() ? "ok" : "error: " + done.message()) << std::endl;
  }
}

int Run(const std::filesystem::path& dir, std::chrono::seconds idle) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  VirtualCardStack cards;
  if (!cards.error().empty()) {
    std::cerr << "pcscd: " << cards.error() << std::endl;
    return 1;
  }
  Deployment d;
  Result<Sites> sites = MakeSites(d);
  if (!sites.ok()) {
    std::cerr << sites.status().message() << "\n" << d.ServerLog() << std::endl;
    return 1;
  }
  DeskServer community({.data_dir = sites->community_dir,
                        .reader = VirtualCardStack::ReaderName(0),
                        .idle_limit = idle},
                       platform::SystemClock());
  DeskServer clinic({.data_dir = sites->clinic_dir,
                     .reader = VirtualCardStack::ReaderName(1),
                     .idle_limit = idle,
                     .watch_cards = false},
                    platform::SystemClock());
  for (DeskServer* desk : {&community, &clinic}) {
    if (Status started = desk->Start(); !started.ok()) {
      std::cerr << started.message() << std::endl;
      return 1;
    }
  }
  std::cout << json{{"launch_url", community.LaunchUrl()},
                    {"child_id", sites->child_id},
                    {"overdue_child_id", sites->overdue_child_id},
                    {"user", kUser},
                    {"passphrase", Deployment::kPassphrase},
                    {"clinic_launch_url", clinic.LaunchUrl()},
                    {"clinic_site_id", kClinicSite},
                    {"clinic_site_name", kClinicName}}
                   .dump()
            << std::endl;
  FollowCommands(cards, dir, *sites);
  community.Stop();
  clinic.Stop();
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
