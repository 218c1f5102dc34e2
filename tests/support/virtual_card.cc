#include "virtual_card.h"

#include <signal.h>

#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

namespace onecard::testing {
namespace {

constexpr int kFirstPort = 35963;

bool PollUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

std::string VirtualCardStack::ReaderName(int index) {
  return "Virtual PCD 00 0" + std::to_string(index);
}

VirtualCardStack::VirtualCardStack() {
  // A pcscd already running (another test's, or the demo's) is reused; it may itself have started
  // a moment ago, so it too must list the readers before a card is inserted.
  const bool reused = WaitForTcpPort(kFirstPort, std::chrono::milliseconds(0));
  if (!reused) {
    pcscd_ = Process({"pcscd", "--foreground"}, {}, dir_ / "pcscd.log");
    if (!WaitForTcpPort(kFirstPort, std::chrono::seconds(15))) {
      error_ = "pcscd did not open its virtual reader port " + std::to_string(kFirstPort) + ": " +
               pcscd_.Log();
      return;
    }
  }
  // The driver's port opens before pcscd answers clients: wait until PC/SC lists the readers.
  if (!PollUntil(
          [] {
            return Run({"opensc-tool", "-l"}, {{}, "", std::chrono::seconds(20), ""})
                       .out.find(ReaderName(1)) != std::string::npos;
          },
          std::chrono::seconds(15))) {
    error_ = std::string("pcscd does not list the virtual readers") +
             (reused ? " (a pcscd that was already running)" : ": " + pcscd_.Log());
  }
}

VirtualCardStack::~VirtualCardStack() {
  for (Process& card : cards_) {
    if (card.pid() > 0) card.Stop(SIGTERM, std::chrono::seconds(3));
  }
  if (pcscd_.pid() > 0) pcscd_.Stop(SIGTERM, std::chrono::seconds(5));
}

bool VirtualCardStack::CardVisible(int index) {
  RunResult r = Run({"opensc-tool", "-l"}, {{}, "", std::chrono::seconds(20), ""});
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(ReaderName(index)) != std::string::npos)
      return line.find(" Yes ") != std::string::npos;
  }
  return false;
}

bool VirtualCardStack::InsertCard(const std::string& type, int index, const std::string& image) {
  if (!error_.empty()) return false;
  RemoveCard(index);
  // vicc exits at once when pcscd's driver refuses its connection (the driver is still taking back
  // the previous card's socket): then it is started once more (as scripts/virtual-reader.sh does).
  std::string logs;
  RunOptions options;
  options.env["ONECARD_VICC_IMAGE"] = image;  // empty: no image (the variable is removed)
  for (int attempt = 1; attempt <= 2; ++attempt) {
    std::string log =
        dir_ / ("vicc-" + std::to_string(index) + "-" + std::to_string(attempt) + ".log");
    cards_[index] = Process(
        {SourcePath("scripts/vicc.py"), "-t", type, "-P", std::to_string(kFirstPort + index)},
        options, log);
    bool up = PollUntil([&] { return !cards_[index].running() || CardVisible(index); },
                        std::chrono::seconds(20));
    if (up && cards_[index].running()) return true;
    logs += " [attempt " + std::to_string(attempt) + "] " + cards_[index].Log();
    if (cards_[index].running()) break;  // running but never seen: starting again would not help
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  error_ = "card '" + type + "' did not appear in " + ReaderName(index) + ":" + logs;
  return false;
}

void VirtualCardStack::RemoveCard(int index) {
  if (cards_[index].pid() <= 0) return;
  cards_[index].Stop(SIGTERM, std::chrono::seconds(3));
  cards_[index] = Process();
  PollUntil([&] { return !CardVisible(index); }, std::chrono::seconds(10));
}

}  // namespace onecard::testing
