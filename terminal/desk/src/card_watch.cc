#include "card_watch.h"

#include <nlohmann/json.hpp>

#include "onecard/terminal/card_reading.h"
#include "onecard/terminal/card_service.h"

namespace onecard::desk {

using nlohmann::json;

CardWatch::CardWatch(SignedInStore& store, ReaderAvailability& availability,
                     std::shared_ptr<http::EventChannel> events, std::string reader)
    : store_(store),
      availability_(availability),
      events_(std::move(events)),
      reader_(std::move(reader)) {}

CardWatch::~CardWatch() { Stop(); }

void CardWatch::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void CardWatch::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void CardWatch::PublishReader(bool available, const std::string& message) {
  if (availability_.Set(available, message))
    events_->Publish("reader", availability_.ToJson().dump());
}

void CardWatch::Run() {
  while (!stopping_) {
    Result<std::string> reader = terminal::WaitForCard(reader_, kPoll);
    if (!reader.ok()) {
      if (reader.status().code() == ErrorCode::kDeadlineExceeded) {
        PublishReader(true, "");
        continue;
      }
      // pcscd is not running or the reader is gone: say so once, look again shortly.
      PublishReader(false, reader.status().message());
      std::this_thread::sleep_for(kPoll * 4);
      continue;
    }
    PublishReader(true, "");
    const bool read = ReadAndPublish(*reader);
    AwaitRemoval(*reader, /*read_at_sign_in=*/!read);
  }
}

bool CardWatch::ReadAndPublish(const std::string& reader) {
  Result<terminal::CardReading> reading = store_.With(
      terminal::StaffAction::kCardRead,
      [&](terminal::TerminalStore& store) { return terminal::ReadCardIntoStore(store, reader); });
  json data = {{"reader", reader}};
  bool locked = false;
  if (!reading.ok()) {
    locked = reading.status().code() == ErrorCode::kUnauthenticated && !store_.Current();
    data["outcome"] = locked ? "locked" : "error";
    if (!locked) {
      data["code"] = ErrorCodeName(reading.status().code());
      data["message"] = reading.status().message();
    }
  } else {
    const terminal::CardContents& card = reading->card;
    data["outcome"] = "read";
    data["serial"] = card.serial;
    data["child_id"] = card.child.value("child_id", "");
    data["signer_terminal_id"] = card.signer_terminal_id;
    data["imported"] = reading->imported;
    if (reading->closed_on) data["closed_on"] = reading->closed_on->ToString();
  }
  events_->Publish("card", data.dump());
  return !locked;
}

void CardWatch::AwaitRemoval(const std::string& reader, bool read_at_sign_in) {
  while (!stopping_) {
    // A card inserted while the desk was locked is read once someone signs in.
    if (read_at_sign_in && store_.Current()) read_at_sign_in = !ReadAndPublish(reader);
    Result<std::vector<terminal::ReaderStatus>> readers = terminal::ListReaders();
    if (!readers.ok()) break;  // pcscd went away: the main loop says so
    bool present = false;
    for (const terminal::ReaderStatus& r : *readers) present |= r.name == reader && r.card_present;
    if (!present) break;
    std::this_thread::sleep_for(kPoll);
  }
  events_->Publish("card.removed", json{{"reader", reader}}.dump());
}

}  // namespace onecard::desk
