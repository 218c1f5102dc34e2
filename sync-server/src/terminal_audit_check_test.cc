// The server's check of a terminal's pushed audit chain (terminal_audit_check.h), and the store
// that keeps it (terminal_audit_store.h through ServerStore), over a real store.

#include "terminal_audit_check.h"

#include <gtest/gtest.h>

#include "onecard/protocol/i18n.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

// Entries 1..n of a well-formed chain, as a terminal's audit_log.cc writes them.
std::vector<wire::AuditEntry> Chain(int n) {
  std::vector<wire::AuditEntry> chain;
  std::string prev = kAuditGenesisHash;
  for (int id = 1; id <= n; ++id) {
    wire::AuditEntry& e = chain.emplace_back();
    e.set_id(static_cast<uint64_t>(id));
    e.set_at("2026-03-01T08:00:0" + std::to_string(id % 10) + "Z");
    e.set_actor("chen");
    e.set_action(id % 2 == 0 ? "child.update" : "child.register");
    e.set_child_id("GD-T1-" + std::to_string(id));
    e.set_detail(R"({"fields":["name","sex"]})");
    e.set_prev_hash(prev);
    e.set_hash(AuditEntryHash(prev, ChainEntryOf(e)));
    prev = e.hash();
  }
  return chain;
}

// Checks `entries` in order against `head` with no copies held; returns the first problem.
AuditProblem FirstProblem(AuditChainHead& head, const std::vector<wire::AuditEntry>& entries) {
  for (const wire::AuditEntry& e : entries) {
    AuditEntryVerdict v = CheckAuditEntry(head, e, {});
    if (v.problem.kind != AuditProblemKind::kNone) return v.problem;
  }
  return {};
}

TEST(TerminalAuditCheck, AnIntactChainIsContinuous) {
  AuditChainHead head;
  EXPECT_EQ(FirstProblem(head, Chain(5)).kind, AuditProblemKind::kNone);
  EXPECT_EQ(head.last_id, 5);
  EXPECT_EQ(head.last_hash, Chain(5).back().hash());
}

TEST(TerminalAuditCheck, MissingEntriesAreAGap) {
  std::vector<wire::AuditEntry> chain = Chain(6);
  chain.erase(chain.begin() + 2, chain.begin() + 4);  // entries 3 and 4
  AuditChainHead head;
  AuditProblem p = FirstProblem(head, chain);
  EXPECT_EQ(p.kind, AuditProblemKind::kGap);
  EXPECT_EQ(p.id, 3);
  EXPECT_EQ(p.to, 4);
}

TEST(TerminalAuditCheck, AnEntryChangedAfterHashingIsAltered) {
  std::vector<wire::AuditEntry> chain = Chain(4);
  chain[2].set_actor("mallory");
  AuditChainHead head;
  AuditProblem p = FirstProblem(head, chain);
  EXPECT_EQ(p.kind, AuditProblemKind::kAltered);
  EXPECT_EQ(p.id, 3);
}

TEST(TerminalAuditCheck, AChainRehashedAfterThePushBreaksTheLink) {
  AuditChainHead head;
  std::vector<wire::AuditEntry> chain = Chain(3);
  ASSERT_EQ(FirstProblem(head, {chain[0], chain[1]}).kind, AuditProblemKind::kNone);
  // Entry 2 rewritten at the terminal and the chain hashed again from it: entry 3 is consistent
  // in itself but does not follow entry 2 as the server received it.
  chain[1].set_detail(R"({"fields":["sex"]})");
  chain[1].set_hash(AuditEntryHash(chain[0].hash(), ChainEntryOf(chain[1])));
  chain[2].set_prev_hash(chain[1].hash());
  chain[2].set_hash(AuditEntryHash(chain[1].hash(), ChainEntryOf(chain[2])));
  AuditProblem p = FirstProblem(head, {chain[2]});
  EXPECT_EQ(p.kind, AuditProblemKind::kBrokenLink);
  EXPECT_EQ(p.id, 3);
}

TEST(TerminalAuditCheck, AnIdenticalResendIsFineAndNotStoredAgain) {
  AuditChainHead head;
  std::vector<wire::AuditEntry> chain = Chain(3);
  ASSERT_EQ(FirstProblem(head, chain).kind, AuditProblemKind::kNone);
  AuditEntryVerdict v = CheckAuditEntry(head, chain[1], {chain[1]});
  EXPECT_EQ(v.problem.kind, AuditProblemKind::kNone);
  EXPECT_FALSE(v.store);
  EXPECT_EQ(head.last_id, 3);
}

TEST(TerminalAuditCheck, ADifferingResendIsARewrite) {
  AuditChainHead head;
  std::vector<wire::AuditEntry> chain = Chain(3);
  ASSERT_EQ(FirstProblem(head, chain).kind, AuditProblemKind::kNone);
  wire::AuditEntry changed = chain[1];
  changed.set_child_id("GD-T1-9");
  changed.set_hash(AuditEntryHash(chain[0].hash(), ChainEntryOf(changed)));  // even rehashed
  AuditEntryVerdict v = CheckAuditEntry(head, changed, {chain[1]});
  EXPECT_EQ(v.problem.kind, AuditProblemKind::kRewritten);
  EXPECT_EQ(v.problem.id, 2);
  EXPECT_TRUE(v.store);  // kept as evidence beside the first copy
}

TEST(TerminalAuditCheck, ProblemsAreOneSentenceNamingTerminalAndEntry) {
  const Language saved = CurrentLanguage();
  SetLanguage(Language::kEn);
  EXPECT_EQ(AuditProblemText("GD-T1", {AuditProblemKind::kGap, 3, 4}),
            "terminal GD-T1's audit chain is missing entries 3 to 4");
  EXPECT_EQ(AuditProblemText("GD-T1", {AuditProblemKind::kAltered, 7, 7}),
            "terminal GD-T1's audit entry 7 does not match its hash (the entry was altered)");
  for (AuditProblemKind kind : {AuditProblemKind::kGap, AuditProblemKind::kAltered,
                                AuditProblemKind::kBrokenLink, AuditProblemKind::kRewritten}) {
    EXPECT_EQ(ParseAuditProblemCode(AuditProblemCode(kind)), kind);
  }
  SetLanguage(saved);
}

class TerminalAuditStore : public ServerStoreFixture {
 protected:
  void SetUp() override {
    CreateStore({{"GD-BAOAN", "宝安区登记点", "440306", "receiving"}},
                {{"GD-T1", "GD-BAOAN"}, {"GD-T2", "GD-BAOAN"}});
  }
  AuditReceipt Push(const std::string& terminal, const std::vector<wire::AuditEntry>& entries) {
    Result<AuditReceipt> r = store_->StoreTerminalAudit(terminal, entries);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : AuditReceipt{};
  }
  TerminalAuditState State(const std::string& terminal) {
    auto states = store_->TerminalAudits();
    EXPECT_TRUE(states.ok());
    for (const TerminalAuditState& s : *states) {
      if (s.terminal_id == terminal) return s;
    }
    ADD_FAILURE() << terminal << " not listed";
    return {};
  }
};

TEST_F(TerminalAuditStore, KeepsTheChainAcrossPushesAndResends) {
  std::vector<wire::AuditEntry> chain = Chain(5);
  EXPECT_EQ(Push("GD-T1", {chain.begin(), chain.begin() + 3}).held_id, 3u);
  EXPECT_EQ(Push("GD-T1", chain).held_id, 5u);  // 1..3 again, identical: fine
  TerminalAuditState t1 = State("GD-T1");
  EXPECT_EQ(t1.entries, 5);
  EXPECT_EQ(t1.last_id, 5);
  EXPECT_EQ(t1.problem.kind, AuditProblemKind::kNone);
  TerminalAuditState t2 = State("GD-T2");  // enrolled, nothing pushed
  EXPECT_EQ(t2.entries, 0);
  EXPECT_EQ(t2.problem.kind, AuditProblemKind::kNone);
}

TEST_F(TerminalAuditStore, RecordsTheFirstProblemAndStoresWhatWasSent) {
  std::vector<wire::AuditEntry> chain = Chain(6);
  Push("GD-T1", {chain.begin(), chain.begin() + 3});
  wire::AuditEntry rewritten = chain[1];
  rewritten.set_action("child.view");
  AuditReceipt first = Push("GD-T1", {rewritten});
  EXPECT_EQ(first.new_problem.kind, AuditProblemKind::kRewritten);
  EXPECT_EQ(first.held_id, 3u);
  AuditReceipt later = Push("GD-T1", {chain[5]});  // a gap 4..5, but not the first problem
  EXPECT_EQ(later.new_problem.kind, AuditProblemKind::kNone);
  EXPECT_EQ(later.held_id, 6u);
  TerminalAuditState t1 = State("GD-T1");
  EXPECT_EQ(t1.problem.kind, AuditProblemKind::kRewritten);
  EXPECT_EQ(t1.problem.id, 2);
  EXPECT_EQ(t1.entries, 4);  // ids 1, 2 (two copies), 3, 6
}

}  // namespace
}  // namespace onecard::server
