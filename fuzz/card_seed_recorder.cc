// Writes seed inputs for the card fuzz targets (fuzz/corpus/<target>/): valid records sealed with
// the fuzz credentials, and — when a blank vicc card sits in the first virtual reader
// (scripts/virtual-reader.sh start) — recorded PC/SC sessions of issue, read and update.
//
//   card_seed_recorder <corpus-dir> [reader]
#include <fstream>
#include <iostream>

#include "card_fuzz_support.h"
#include "onecard/protocol/card_record.h"
#include "onecard/terminal/pcsc_reader.h"

namespace onecard::fuzz {
namespace {

// Passes exchanges to a real card and keeps each response.
class RecordingReader : public terminal::CardReader {
 public:
  explicit RecordingReader(terminal::CardReader& inner) : inner_(inner) {}
  const std::string& name() const override { return inner_.name(); }
  const Bytes& atr() const override { return inner_.atr(); }
  Result<Bytes> Exchange(ByteSpan command) override {
    auto r = inner_.Exchange(command);
    if (r.ok()) responses_.push_back(*r);
    return r;
  }
  Status BeginTransaction() override { return inner_.BeginTransaction(); }
  void EndTransaction() override { inner_.EndTransaction(); }
  std::vector<Bytes> Take() { return std::move(responses_); }

 private:
  terminal::CardReader& inner_;
  std::vector<Bytes> responses_;
};

void Write(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  std::cout << path << " (" << bytes.size() << " bytes)" << std::endl;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: card_seed_recorder <corpus-dir> [reader]" << std::endl;
    return 2;
  }
  const std::string dir = argv[1];
  const auto& creds = FuzzCredentials();
  CardRecordHeader header;
  header.serial = Bytes{1, 2, 3, 4, 5, 6, 7, 8};
  header.write_counter = 3;
  header.key_version = 1;
  header.written_unix = 1'790'000'000;
  nlohmann::json child = FuzzChild();
  child["card_serial"] = "0102030405060708";
  Bytes sealed = SealCardRecord(child, header, creds.signing_key, creds.signer_certificate,
                                creds.data_keys.at(1))
                     .value();
  Write(dir + "/card_record/sealed_typical", sealed);
  Write(dir + "/card_record/child_tlv_typical", EncodeChildTlv(child).value().bytes);
  Write(dir + "/card_record/child_tlv_extension",
        EncodeChildTlv({{"x-note", {1, "a", nullptr}}, {"grade", 3}}).value().bytes);

  // Sessions that need no card: a foreign card and a card that vanishes at once.
  Bytes iso_atr = {0x3B, 0x80, 0x80, 0x01, 0x01};
  Write(dir + "/card_layer/foreign_read",
        EncodeCardSession({CardOp::kRead, iso_atr, {{0x6A, 0x82}, {0x6A, 0x82}}}));
  Write(dir + "/card_layer/get_response_read",
        EncodeCardSession({CardOp::kRead, iso_atr, {{0x61, 0x10}, {0x90, 0x00}}}));

  std::string reader_name = argc > 2 ? argv[2] : "";
  auto card = terminal::PcscCardReader::Connect(reader_name);
  if (!card.ok()) {
    std::cerr << "no card sessions recorded: " << card.status().message() << std::endl;
    return 0;
  }
  RecordingReader recorder(**card);
  const Bytes atr = (*card)->atr();
  auto serial = terminal::CardService::IssueOn(recorder, FuzzChild(), creds);
  if (!serial.ok()) {
    std::cerr << "issue failed (a blank card is needed): " << serial.status().message()
              << std::endl;
    return 1;
  }
  Write(dir + "/card_layer/issue_blank", EncodeCardSession({CardOp::kIssue, atr, recorder.Take()}));
  if (auto r = terminal::CardService::ReadOn(recorder, creds); !r.ok()) return 1;
  Write(dir + "/card_layer/read_issued", EncodeCardSession({CardOp::kRead, atr, recorder.Take()}));
  if (!terminal::CardService::UpdateOn(recorder, FuzzChild(), creds).ok()) return 1;
  Write(dir + "/card_layer/update_issued",
        EncodeCardSession({CardOp::kUpdate, atr, recorder.Take()}));
  if (auto r = terminal::CardService::ReadOn(recorder, creds); !r.ok()) return 1;
  Write(dir + "/card_layer/read_updated", EncodeCardSession({CardOp::kRead, atr, recorder.Take()}));
  auto again = terminal::CardService::IssueOn(recorder, FuzzChild(), creds);
  Write(dir + "/card_layer/issue_already_issued",
        EncodeCardSession({CardOp::kIssue, atr, recorder.Take()}));
  return again.ok() ? 1 : 0;
}

}  // namespace
}  // namespace onecard::fuzz

int main(int argc, char** argv) { return onecard::fuzz::Main(argc, argv); }
