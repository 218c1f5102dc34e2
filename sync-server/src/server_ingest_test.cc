// Group commit (ServerStore::IngestGroup): each batch keeps Ingest's contract on its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "onecard/protocol/frame.h"
#include "onecard/protocol/utf8.h"
#include "onecard/server/server_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

class ServerIngestGroupTest : public ServerStoreFixture {
 protected:
  void SetUp() override { CreateStore({kBaoan}, {{"T1", "GD"}, {"T2", "GD"}, {"T3", "GD"}}); }

  static wire::Event Upsert(const std::string& terminal, uint64_t seq) {
    std::string child = terminal + "-" + std::to_string(seq);
    return MakeUpsert(terminal, seq, 1000 + seq, child,
                      {{"name", "张三"},
                       {"sex", "F"},
                       {"birth_date", "2015-01-01"},
                       {"hukou_area", "321324"},
                       {"residence_area", "440306"},
                       {"consent", Consent()}});
  }
  static IngestBatch Batch(const std::string& terminal, uint64_t from, uint64_t to) {
    IngestBatch b;
    b.terminal_id = terminal;
    for (uint64_t s = from; s <= to; ++s) b.events.push_back(Upsert(terminal, s));
    return b;
  }
  int64_t Count(const std::string& sql) {
    return ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      auto st = db.Prepare(sql);
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(*st->Step());
      return st->ColumnInt(0);
    });
  }
};

// Found by the ingest fuzz target (fuzz/corpus/ingest/crash-refusal-not-utf8): a payload that is
// not UTF-8 was refused with a message quoting its bytes, and the push's reply, whose refusal
// messages are protobuf strings, could not be decoded by the terminal.
TEST_F(ServerIngestGroupTest, ARefusalQuotingBytesThatAreNotUtf8IsTextTheTerminalCanDecode) {
  std::vector<IngestBatch> group(1);
  group[0].terminal_id = "T1";
  group[0].refuse_singly = true;
  group[0].events.push_back(Upsert("T1", 1));
  group[0].events[0].set_payload("{\"child_id\": \"T1-1\xFF");
  store_->IngestGroup(group);
  ASSERT_TRUE(group[0].acked.ok()) << group[0].acked.status().message();
  ASSERT_EQ(group[0].refused.size(), 1u);
  EXPECT_TRUE(DecodeUtf8Strict(group[0].refused[0].message()).has_value())
      << group[0].refused[0].message();
  EXPECT_NE(group[0].refused[0].message().find("T1-1\\xFF"), std::string::npos)
      << group[0].refused[0].message();
  wire::Envelope reply;
  *reply.mutable_push_ack()->add_refused() = group[0].refused[0];
  Bytes frame = EncodeFrame(reply);
  EXPECT_EQ(DecodeFrame(frame, kDefaultMaxFrameBytes).state, FrameState::kComplete);

  // A version 2 push fails whole, with the same message in its error reply.
  std::vector<IngestBatch> v2(1);
  v2[0].terminal_id = "T2";
  v2[0].events.push_back(Upsert("T2", 1));
  v2[0].events[0].set_payload("{\"child_id\": \"T2-1\xFF");
  store_->IngestGroup(v2);
  ASSERT_FALSE(v2[0].acked.ok());
  Bytes error = EncodeFrame(ErrorEnvelope(v2[0].acked.status()));
  EXPECT_EQ(DecodeFrame(error, kDefaultMaxFrameBytes).state, FrameState::kComplete);
}

TEST_F(ServerIngestGroupTest, BadBatchFailsAloneAndTheOthersAreAckedGapFree) {
  std::vector<IngestBatch> group;
  group.push_back(Batch("T1", 1, 3));
  IngestBatch bad = Batch("T2", 1, 2);
  bad.events[1].set_terminal_id("T3");  // an event claiming another terminal spoils the whole batch
  group.push_back(std::move(bad));
  group.push_back(Batch("T3", 2, 4));  // seq 1 missing: stored, but acked only up to 0
  group.push_back(Batch("UNKNOWN", 1, 1));
  store_->IngestGroup(group);

  ASSERT_TRUE(group[0].acked.ok());
  EXPECT_EQ(*group[0].acked, 3u);
  EXPECT_EQ(group[1].acked.status().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(group[2].acked.ok());
  EXPECT_EQ(*group[2].acked, 0u);
  EXPECT_EQ(group[3].acked.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE terminal_id = 'T2'"),
            0);  // nothing of the bad batch
  EXPECT_EQ(Count("SELECT count(*) FROM events"), 6);
  EXPECT_EQ(Count("SELECT count(*) FROM children"), 6);
  EXPECT_EQ(Count("SELECT count(DISTINCT change_seq) FROM children"), 6);

  // The gap filled in a later group; replays in the same group do nothing.
  std::vector<IngestBatch> later;
  later.push_back(Batch("T3", 1, 1));
  later.push_back(Batch("T1", 1, 3));
  store_->IngestGroup(later);
  ASSERT_TRUE(later[0].acked.ok());
  EXPECT_EQ(*later[0].acked, 4u);
  ASSERT_TRUE(later[1].acked.ok());
  EXPECT_EQ(*later[1].acked, 3u);
  EXPECT_EQ(Count("SELECT count(*) FROM events"), 7);
}

TEST_F(ServerIngestGroupTest, ChangeNumbersIncreaseAcrossGroupsAndAfterRevocations) {
  std::vector<IngestBatch> first;
  first.push_back(Batch("T1", 1, 2));
  store_->IngestGroup(first);
  ASSERT_TRUE(first[0].acked.ok());
  ASSERT_TRUE(store_->RevokeTerminal("T2").ok());  // takes a number of the same sequence
  std::vector<IngestBatch> second;
  second.push_back(Batch("T1", 3, 4));
  store_->IngestGroup(second);
  ASSERT_TRUE(second[0].acked.ok());
  // Every number distinct across children and revocations, and the new children after the
  // revocation.
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT change_seq FROM children UNION SELECT change_seq "
                  "FROM revocations)"),
            5);
  EXPECT_GT(Count("SELECT min(change_seq) FROM children WHERE child_id IN ('T1-3', 'T1-4')"),
            Count("SELECT max(change_seq) FROM revocations"));
}

}  // namespace
}  // namespace onecard::server
