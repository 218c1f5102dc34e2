// A CardReader that plays a script: fed with an ATR and a list of responses, it answers each
// exchange with the next response and records the commands it was sent. For unit tests of the
// card layer without pcscd, and for fuzzing it with hostile card responses.
#pragma once

#include <vector>

#include "onecard/terminal/card_reader.h"

namespace onecard::terminal {

class ScriptedCardReader : public CardReader {
 public:
  ScriptedCardReader(Bytes atr, std::vector<Bytes> responses, std::string name = "Scripted Reader")
      : name_(std::move(name)), atr_(std::move(atr)), responses_(std::move(responses)) {}

  const std::string& name() const override { return name_; }
  const Bytes& atr() const override { return atr_; }
  // The next scripted response; kCardRemoved once the script is exhausted.
  Result<Bytes> Exchange(ByteSpan command) override;
  Status BeginTransaction() override { return Status::Ok(); }
  void EndTransaction() override {}

  const std::vector<Bytes>& commands() const { return commands_; }

 private:
  std::string name_;
  Bytes atr_;
  std::vector<Bytes> responses_;
  size_t next_ = 0;
  std::vector<Bytes> commands_;
};

}  // namespace onecard::terminal
