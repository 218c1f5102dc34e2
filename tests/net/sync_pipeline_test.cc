// Pipelined push (protocol version 2, sync.md "Pipelined push"): a terminal may send kPushWindow
// PushRequests before the first reply; replies come back in request order, each after its
// batch's durable commit, and a terminal waiting for an acknowledgement is not idle.
#include <gtest/gtest.h>

#include <memory>

#include "net_fixture.h"

namespace onecard::testing {
namespace {

using std::chrono::milliseconds;

// A PushRequest of child.upsert events first..last of `terminal_id`.
wire::Envelope Push(const std::string& terminal_id, uint64_t first, uint64_t last) {
  FakeLocalStore local;
  local.AddEvents(terminal_id, first, last - first + 1, "C");
  wire::Envelope e;
  for (const wire::Event& event : local.outbox) *e.mutable_push()->add_events() = event;
  return e;
}

class SyncPipelineTest : public SyncNetTest {
 protected:
  // A raw client that said Hello as `terminal_id` and got HelloAck with `version`.
  void Open(RawTlsClient& client, const std::string& terminal_id,
            uint32_t version = kSyncProtocolVersion) {
    auto ack = client.ConnectAndHello(service_->port(), terminal_id, version);
    ASSERT_TRUE(ack.has_value());
    ASSERT_EQ(ack->protocol_version(), version);
  }
  // A raw client, Open as `terminal_id`, which is added to the store at site S-P (320102).
  std::unique_ptr<RawTlsClient> OpenClient(const std::string& terminal_id,
                                           uint32_t version = kSyncProtocolVersion) {
    store_.AddTerminal(terminal_id, "S-P", "320102");
    Credential credential = pki_.IssueTerminal(terminal_id);
    auto client = std::make_unique<RawTlsClient>(pki_.ca_pem, &credential);
    Open(*client, terminal_id, version);
    return client;
  }
};

TEST_F(SyncPipelineTest, RequestsSentBackToBackAreAnsweredInOrder) {
  StartService();
  auto client = OpenClient("T-P");

  // Three pushes (more than the window: the third is read once the first is acknowledged) and a
  // pull, all written before reading anything.
  ASSERT_TRUE(client->Send(Push("T-P", 1, 10)));
  ASSERT_TRUE(client->Send(Push("T-P", 11, 20)));
  ASSERT_TRUE(client->Send(Push("T-P", 21, 30)));
  wire::Envelope pull;
  pull.mutable_pull()->set_cursor(0);
  ASSERT_TRUE(client->Send(pull));

  for (uint64_t expected : {10u, 20u, 30u}) {
    auto reply = client->Receive();
    ASSERT_TRUE(reply.has_value()) << "no reply for the push ending at " << expected;
    ASSERT_TRUE(reply->has_push_ack()) << reply->DebugString();
    EXPECT_EQ(reply->push_ack().acked_seq(), expected);
  }
  auto page = client->Receive();
  ASSERT_TRUE(page.has_value());
  ASSERT_TRUE(page->has_pull_page()) << page->DebugString();
  // The pull was answered after the pushes were committed: it sees all 30 children.
  EXPECT_EQ(page->pull_page().children_size(), 30);
  EXPECT_EQ(store_.stored_events(), 30u);
}

TEST_F(SyncPipelineTest, ARefusedBatchIsAnsweredInItsPlaceAndTheNextIsStillAcknowledged) {
  StartService();
  auto client = OpenClient("T-P");

  ASSERT_TRUE(client->Send(Push("T-OTHER", 1, 5)));  // events of another terminal: refused
  ASSERT_TRUE(client->Send(Push("T-P", 1, 5)));
  auto first = client->Receive();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->has_error()) << first->DebugString();
  EXPECT_EQ(first->error().code(), "invalid_argument");
  auto second = client->Receive();
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(second->has_push_ack()) << second->DebugString();
  EXPECT_EQ(second->push_ack().acked_seq(), 5u);
  EXPECT_EQ(store_.stored_events(), 5u);
}

TEST_F(SyncPipelineTest, WaitingForASlowCommitIsNotIdleButSilenceAfterTheAckIs) {
  StartService([](server::SyncServiceOptions& o) { o.idle_timeout = milliseconds(300); });
  store_.ingest_delay = milliseconds(900);  // three idle timeouts
  auto client = OpenClient("T-P");

  ASSERT_TRUE(client->Send(Push("T-P", 1, 3)));
  auto ack = client->Receive(milliseconds(5000));
  ASSERT_TRUE(ack.has_value()) << "the session was dropped while the commit was running";
  ASSERT_TRUE(ack->has_push_ack());
  EXPECT_EQ(ack->push_ack().acked_seq(), 3u);
  // Nothing more from the terminal: the idle deadline runs from the acknowledgement.
  EXPECT_TRUE(client->WaitClosed(milliseconds(3000)));
  EXPECT_TRUE(StatReaches([](const server::SyncServiceStats& s) { return s.timed_out == 1u; }))
      << "timed_out";
}

TEST_F(SyncPipelineTest, AVersionOneTerminalIsServedAndTheClientPipelinesOnlyFromVersionTwo) {
  StartService();
  auto old_terminal = OpenClient("T-OLD", 1);
  ASSERT_TRUE(old_terminal->Send(Push("T-OLD", 1, 4)));
  auto ack = old_terminal->Receive();
  ASSERT_TRUE(ack.has_value());
  ASSERT_TRUE(ack->has_push_ack());
  EXPECT_EQ(ack->push_ack().acked_seq(), 4u);

  // The terminal's client, with batches of 7: 100 events go in 15 pipelined requests.
  terminal::SyncEndpoint endpoint = Enrol("T-NEW");
  FakeLocalStore local;
  local.AddEvents("T-NEW", 1, 100, "N");
  terminal::SyncOptions options = QuickOptions();
  options.push_batch = 7;
  auto report = terminal::RunSync(endpoint, local, options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->protocol_version, kSyncProtocolVersion);
  EXPECT_EQ(report->pushed, 100u);
  EXPECT_TRUE(local.outbox.empty());
  EXPECT_EQ(local.acknowledgements, 15);
  EXPECT_EQ(local.last_acked, 100u);
  EXPECT_EQ(store_.stored_events(), 104u);
}

}  // namespace
}  // namespace onecard::testing
