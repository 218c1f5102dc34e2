// The incremental identity refresh (identity_refresh_step.h) against the full resolution it
// replaces: after every batch of new children, edits and supervisors' decisions, refreshed in many
// small steps, the persons, links and review queue in the store equal what IdentityResolver over
// every record and GroupIdentities give (the oracle).

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "identity_decisions.h"
#include "identity_grouping.h"
#include "identity_refresh_step.h"
#include "identity_store.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/identity_resolver.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;

// The derived tables as sorted lines, to compare.
struct GroupingRows {
  std::vector<std::string> persons, links, review;
  bool operator==(const GroupingRows&) const = default;
};

std::string Number(double score) { return std::to_string(score); }

Result<GroupingRows> StoredRows(Database& db) {
  GroupingRows rows;
  ASSIGN_OR_RETURN(Statement persons,
                   db.Prepare("SELECT child_id, person_id, current FROM identity_persons"));
  RETURN_IF_ERROR(persons.ForEachRow([&](const Statement& r) {
    rows.persons.push_back(r.ColumnText(0) + " " + r.ColumnText(1) + " " + r.ColumnText(2));
  }));
  ASSIGN_OR_RETURN(
      Statement links,
      db.Prepare("SELECT a, b, kind, CAST(score AS REAL), reasons FROM identity_links"));
  RETURN_IF_ERROR(links.ForEachRow([&](const Statement& r) {
    rows.links.push_back(r.ColumnText(0) + " " + r.ColumnText(1) + " " + r.ColumnText(2) + " " +
                         Number(std::stod(r.ColumnText(3))) + " " + r.ColumnText(4));
  }));
  ASSIGN_OR_RETURN(Statement review,
                   db.Prepare("SELECT a, b, CAST(score AS REAL), reasons FROM identity_review"));
  RETURN_IF_ERROR(review.ForEachRow([&](const Statement& r) {
    rows.review.push_back(r.ColumnText(0) + " " + r.ColumnText(1) + " " +
                          Number(std::stod(r.ColumnText(2))) + " " + r.ColumnText(3));
  }));
  for (auto* v : {&rows.persons, &rows.links, &rows.review}) std::sort(v->begin(), v->end());
  return rows;
}

// The oracle: every identity record resolved at once, then grouped under the decisions.
Result<GroupingRows> FullResolution(Database& db, const IdentityThresholds& thresholds) {
  IdentityResolver resolver(thresholds);
  std::vector<GroupedRecord> records;
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT child_id, recency, fields FROM identity_records"));
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& r) {
    auto identity = IdentityRecordFromChild(json::parse(r.ColumnText(2)), r.ColumnText(0));
    if (!identity.ok()) return;
    EXPECT_TRUE(resolver.Add(std::move(identity).value()).ok());
    records.push_back({r.ColumnText(0), static_cast<uint64_t>(r.ColumnInt(1))});
  }));
  ASSIGN_OR_RETURN(IdentityDecisions decisions, LoadDecisions(db));
  IdentityGrouping g = GroupIdentities(records, resolver.Resolve(), decisions);
  GroupingRows rows;
  for (const Person& p : g.persons) {
    for (const std::string& m : p.members)
      rows.persons.push_back(m + " " + p.person_id + " " + (m == p.current ? "1" : "0"));
  }
  for (const GroupedLink& l : g.links) {
    rows.links.push_back(l.a + " " + l.b + " " + (l.merged ? "merge" : "auto") + " " +
                         Number(l.score) + " " + std::to_string(l.reasons));
  }
  for (const IdentityPair& p : g.review) {
    rows.review.push_back(p.a + " " + p.b + " " + Number(p.score) + " " +
                          std::to_string(p.reasons));
  }
  for (auto* v : {&rows.persons, &rows.links, &rows.review}) std::sort(v->begin(), v->end());
  return rows;
}

// Children drawn so that blocks, families, twins, homophones and shared ID numbers are common:
// few surnames and given names, birth dates in a few months, fathers shared between families.
class Population {
 public:
  explicit Population(uint32_t seed) : rng_(seed) {}

  json NewChild(bool at_receiving_end) {
    static const char* kSurnames[] = {"王", "李", "陈"};
    static const char* kGiven[] = {"小明", "晓明", "子涵", "子含", "思雨", "思琪",
                                   "浩然", "皓然", "一鸣", "欣怡", "欣仪", "明"};
    static const char* kFathers[] = {"王建国", "李国强", "陈志伟", "王建华"};
    const CivilDate birth{2014 + Pick(3), 1 + Pick(3), 1 + Pick(12)};
    json child = {{"name", std::string(kSurnames[Pick(3)]) + kGiven[Pick(12)]},
                  {"sex", Pick(2) == 0 ? "M" : "F"},
                  {"birth_date", birth.ToString()},
                  {"hukou_area", "321324"},
                  {"residence_area", at_receiving_end ? "440306" : "321324"},
                  {"consent", {{"by", "张建国"}, {"relation", "father"}, {"date", "2025-06-01"}}}};
    if (Pick(4) != 0) {
      const int f = Pick(4);
      json father = {{"name", kFathers[f]}, {"relation", "father"}};
      if (Pick(2) == 0)
        father["id_number"] =
            MakeIdNumber("321324", CivilDate{1985, 1, 1 + f}, 11 + 2 * f);  // odd: a man
      child["guardians"] = json::array({father});
    }
    if (Pick(8) == 0)
      child["id_number"] =  // the sequence's parity gives the sex
          MakeIdNumber("321324", birth, Pick(3) * 2 + (child["sex"] == "M" ? 1 : 2));
    return child;
  }

  // The same child registered again at the other end, with the kind of slip registrars make.
  json Again(json child) {
    child["residence_area"] = child["residence_area"] == "321324" ? "440306" : "321324";
    Mutate(child);
    return child;
  }

  // One slip: a homophone or another given name, the day and month swapped, another father, a
  // lost ID number.
  void Mutate(json& child) {
    CivilDate birth = *CivilDate::Parse(child["birth_date"].get<std::string>());
    switch (Pick(5)) {
      case 0: {
        std::string name = child["name"];
        child["name"] = name.substr(0, 3) + (Pick(2) == 0 ? "晓明" : "子含");
        break;
      }
      case 1:
        if (birth.day <= 12) std::swap(birth.day, birth.month);
        child["birth_date"] = birth.ToString();
        break;
      case 2:
        child.erase("guardians");
        break;
      case 3:
        child.erase("id_number");
        break;
      default:
        birth.day = birth.day % 12 + 1;
        child["birth_date"] = birth.ToString();
        break;
    }
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  std::mt19937 rng_;
};

class IdentityIncrementalTest : public ServerStoreFixture {
 protected:
  void SetUp() override { CreateTwoSiteStore(); }

  // Registers a child from the terminal of the end it lives at; returns its id.
  std::string Register(const json& child) {
    const bool receiving = child["residence_area"] == "440306";
    const std::string terminal = receiving ? "T2" : "T1";
    const std::string id = terminal + "-" + std::to_string(++seq_[terminal]);
    Put(terminal, seq_[terminal], ++hlc_, id, child);
    owner_[id] = terminal;
    children_.push_back(id);
    return id;
  }
  void Edit(const std::string& id, const json& fields) {
    const std::string& terminal = owner_.at(id);
    Put(terminal, ++seq_[terminal], ++hlc_, id, fields);
  }

  // Registers `count` new children (a third of them twice, at the other end), then edits `edits`
  // children registered earlier: their fields `edited` become those of a newly drawn child (a
  // corrected birth date or name can join or split persons).
  void RegisterBatch(Population& people, int count, int edits,
                     const std::vector<std::string>& edited) {
    for (int i = 0; i < count; ++i) {
      json child = people.NewChild(people.Pick(2) == 0);
      Register(child);
      if (people.Pick(3) == 0) Register(people.Again(child));
    }
    for (int i = 0; i < edits; ++i) {
      const json drawn = people.NewChild(false);
      json fields = json::object();
      for (const std::string& f : edited) fields[f] = drawn[f];
      Edit(children_[static_cast<size_t>(people.Pick(static_cast<int>(children_.size())))], fields);
    }
  }

  // Brings the grouping up to date in small steps; returns their number.
  size_t RefreshInSmallSteps() {
    IdentityRefreshStats stats;
    while (true) {
      auto more = ServerStoreInternals::WithDatabase(
          *store_, [&](Database& db) { return RunRefreshStep(db, budget_, stats); });
      EXPECT_TRUE(more.ok()) << more.status().message();
      if (!more.ok() || !*more) return stats.steps;
    }
  }

  void ExpectSameAsFullResolution(const std::string& when) {
    auto stored = ServerStoreInternals::WithDatabase(*store_, StoredRows);
    auto full = ServerStoreInternals::WithDatabase(
        *store_, [&](Database& db) { return FullResolution(db, budget_.thresholds); });
    ASSERT_TRUE(stored.ok() && full.ok());
    EXPECT_EQ(stored->persons, full->persons) << when;
    EXPECT_EQ(stored->links, full->links) << when;
    EXPECT_EQ(stored->review, full->review) << when;
  }

  RefreshStepBudget budget_{std::chrono::steady_clock::duration::zero(), 7, 3, {}};
  std::map<std::string, uint64_t> seq_;
  std::map<std::string, std::string> owner_;
  std::vector<std::string> children_;
  uint64_t hlc_ = 1000;
};

// Batches of new children (a third registered twice), edits of earlier ones, then a rebuild:
// always the full resolution's grouping.
TEST_F(IdentityIncrementalTest, NewChildrenAndEditsGiveTheFullResolutionsGrouping) {
  Population people(2026);
  for (int batch = 0; batch < 6; ++batch) {
    RegisterBatch(people, 25, batch > 0 ? 5 : 0, {"name", "birth_date"});
    EXPECT_GT(RefreshInSmallSteps(), 3u);
    ExpectSameAsFullResolution("after batch " + std::to_string(batch));
  }
  EXPECT_GT(CountRows("identity_persons"), 20);
  EXPECT_GT(CountRows("identity_review"), 5);
  ASSERT_TRUE(store_->RefreshIdentities(/*force=*/true).ok());
  ExpectSameAsFullResolution("after a rebuild");
}

// The same with a block limit so small that blocks keep crossing it.
TEST_F(IdentityIncrementalTest, BlocksCrossingTheSizeLimitGiveTheFullResolutionsGrouping) {
  budget_.thresholds.max_block = 4;
  Population people(7);
  for (int batch = 0; batch < 5; ++batch) {
    RegisterBatch(people, 20, batch > 0 ? 8 : 0, {"birth_date"});
    RefreshInSmallSteps();
    ExpectSameAsFullResolution("after batch " + std::to_string(batch));
  }
  EXPECT_GT(CountRows("identity_persons"), 5);
}

// Erased children leave their persons, links and review pairs as if never registered.
TEST_F(IdentityIncrementalTest, ErasuresGiveTheFullResolutionsGrouping) {
  Population people(23);
  RegisterBatch(people, 60, 0, {});
  RefreshInSmallSteps();
  ASSERT_GT(CountRows("identity_links"), 3);
  // Linked records first (their persons lose a member or dissolve), then any.
  std::vector<std::string> erased;
  auto linked = ServerStoreInternals::WithDatabase(*store_, [](Database& db) {
    auto st = db.Prepare("SELECT a FROM identity_links ORDER BY a LIMIT 3");
    return st.ok() ? st->FirstColumnTexts() : Result<std::vector<std::string>>(st.status());
  });
  ASSERT_TRUE(linked.ok());
  erased = *linked;
  for (int i = 0; i < 4; ++i)
    erased.push_back(
        children_[static_cast<size_t>(people.Pick(static_cast<int>(children_.size())))]);
  for (const std::string& id : erased) {
    Status done = store_->EraseChild({id, "registered_in_error", "admin"});
    EXPECT_TRUE(done.ok() || done.code() == ErrorCode::kAlreadyExists) << done.message();
  }
  EXPECT_GT(RefreshInSmallSteps(), 0u);
  ExpectSameAsFullResolution("after the erasures");
  EXPECT_EQ(CountRows("identity_records WHERE fields LIKE '%erased%'"), 0);
  // More children and edits of those not erased (an erased child's id takes no change).
  std::erase_if(children_, [&](const std::string& id) {
    return std::find(erased.begin(), erased.end(), id) != erased.end();
  });
  RegisterBatch(people, 20, 5, {"name"});
  RefreshInSmallSteps();
  ExpectSameAsFullResolution("after more children");
}

TEST_F(IdentityIncrementalTest, DecisionsGiveTheFullResolutionsGrouping) {
  Population people(11);
  for (int i = 0; i < 60; ++i) {
    json child = people.NewChild(people.Pick(2) == 0);
    Register(child);
    if (people.Pick(2) == 0) Register(people.Again(child));
  }
  RefreshInSmallSteps();
  ExpectSameAsFullResolution("before the decisions");
  // Supervisors merge and separate pairs of the queue, unmerge linked ones, and a terminal's
  // decision arrives as an event would leave it (the grouping marked out of date).
  for (int round = 0; round < 12; ++round) {
    auto queue = ServerStoreInternals::WithDatabase(*store_, IdentityReviewQueue);
    ASSERT_TRUE(queue.ok());
    if (queue->empty()) break;
    const ReviewQueueEntry& pair =
        (*queue)[static_cast<size_t>(people.Pick(static_cast<int>(queue->size())))];
    const IdentityCommand command =
        round % 3 == 0 ? IdentityCommand::kSeparate : IdentityCommand::kMerge;
    Status decided = ServerStoreInternals::WithDatabase(
        *store_, [&](Database& db) { return DecideIdentity(db, command, pair.a, pair.b, "zhou"); });
    EXPECT_TRUE(decided.ok() || decided.code() == ErrorCode::kFailedPrecondition)
        << decided.message();
    ExpectSameAsFullResolution("after decision " + std::to_string(round));
    if (round % 4 == 1 && command == IdentityCommand::kMerge && decided.ok()) {
      ASSERT_TRUE(ServerStoreInternals::WithDatabase(*store_, [&](Database& db) {
                    return DecideIdentity(db, IdentityCommand::kUnmerge, pair.a, pair.b, "li");
                  }).ok());
      ExpectSameAsFullResolution("after unmerging " + pair.a + " " + pair.b);
    }
  }
  ASSERT_TRUE(ServerStoreInternals::WithDatabase(*store_, [&](Database& db) {
                return AppendDecision(db, "merge", children_[0], children_[1], std::nullopt, 0,
                                      "wu @ T1");
              }).ok());
  ASSERT_TRUE(ServerStoreInternals::WithDatabase(*store_, [](Database& db) {
                return db.Exec("UPDATE identity_refresh SET through_seq = -1");
              }).ok());
  RefreshInSmallSteps();
  ExpectSameAsFullResolution("after a terminal's decision");
}

}  // namespace
}  // namespace onecard::server
