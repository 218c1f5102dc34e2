// The statistics model (stats_cube.h) against a recount from scratch: after every kind of change
// — registrations, edits that move a child, change its school or add doses, identity merges and
// unmerges, days passing (the daily roll, by a test clock) — every cell at every level equals the
// cells recounted from the children's rows. And each dimension of counts over known children.
#include "stats_cube.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "onecard/platform/test_clock.h"
#include "onecard/protocol/area_codes.h"
#include "server_store_fixture.h"
#include "stats_block.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using Cells = std::map<std::tuple<int64_t, int64_t, int64_t, int64_t>,
                       std::pair<int64_t, int64_t>>;  // level, areas, attributes -> n, key sum

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kStartMs = 1'767'312'000'000;  // 2026-01-02T00:00:00Z

class StatsCubeTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    CreateStore({kSihong, {"SZ", "深圳市", "440300", "receiving"}, kChangsha},
                {{"T1", "JS"}, {"T2", "SZ"}, {"T3", "HN"}}, clock_);
  }

  // The cells as stored, read out of their blocks (stats_block.h).
  Cells Stored() {
    Cells cells;
    Status s = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) -> Status {
      ASSIGN_OR_RETURN(schema::Statement st,
                       db.Prepare("SELECT level, residence, hukou, head, cells FROM stats_blocks"));
      return st.ForEachRow([&](const schema::Statement& r) -> Status {
        EXPECT_FALSE(r.ColumnBlobView(4).empty()) << "an empty block is kept";
        return ForEachStatsBlockCell(r.ColumnBlobView(4), [&](uint32_t tail, KeyedCount cell) {
          const auto head = static_cast<StatsAttributes>(r.ColumnInt(3));
          EXPECT_EQ(StatsHead(head), head);
          cells[{r.ColumnInt(0), r.ColumnInt(1), r.ColumnInt(2), int64_t{StatsJoin(head, tail)}}] =
              {cell.n, int64_t{cell.key}};
        });
      });
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return cells;
  }

  // The cells recounted from every children row: each counted record profiled on the statistics'
  // date, summed at every level.
  Cells Recounted() {
    Cells cells;
    Status s = ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) -> Status {
      ASSIGN_OR_RETURN(std::optional<CivilDate> date, StatsDate(db));
      EXPECT_TRUE(date.has_value());
      ASSIGN_OR_RETURN(
          schema::Statement st,
          db.Prepare("SELECT child_id, state, residence_area, hukou_area, category, sex, "
                     "birth_date, record_key FROM children WHERE child_id NOT IN (SELECT "
                     "child_id FROM identity_persons WHERE current = 0)"));
      return st.ForEachRow([&](const schema::Statement& r) -> Status {
        Result<ChildState> state = StoredChildState(r.ColumnText(1));
        if (!state.ok()) return state.status();
        const std::string category = r.ColumnText(4), sex = r.ColumnText(5),
                          birth = r.ColumnText(6);
        ASSIGN_OR_RETURN(schema::Statement revoked, db.Prepare(kCardRevokedSql));
        revoked.Bind(1, StatsCardSerial(*state));
        ASSIGN_OR_RETURN(bool row, revoked.Step());
        const bool card_revoked = row && revoked.ColumnInt(0) != 0;
        const StatsProfile p = ProfileOf({category, sex, birth, card_revoked}, *state, *date);
        // An area's first digits as a number; -1 for no known code; 0 for no digits.
        auto cut = [](const std::string& stored, int digits) -> int64_t {
          if (digits == 0) return 0;
          if (stored.size() != 6 || !IsKnownArea(stored)) return -1;
          return std::stoll(stored.substr(0, static_cast<size_t>(digits)));
        };
        const std::string residence = r.ColumnText(2), hukou = r.ColumnText(3);
        for (const StatsLevel& level : kStatsLevels) {
          auto& [n, key] = cells[{level.id(), cut(residence, level.residence),
                                  cut(hukou, level.hukou), int64_t{p.attributes}}];
          n += 1;
          key = (key + r.ColumnInt(7)) % 4294967296;
        }
        return Status::Ok();
      });
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return cells;
  }

  // Brings the model to the clock's day (as every count does) and compares it with a recount.
  void ExpectCellsMatchRecount(const std::string& after) {
    CountsQuery q{"3", false, {}, true, "test"};
    ASSERT_TRUE(static_cast<ReportStore&>(*store_).Counts(q).ok());
    EXPECT_EQ(Stored(), Recounted()) << "after " << after;
  }

  // A valid record of a child born on `birth`, with school and doses by its age.
  static json RandomChild(std::mt19937& rng, int n, CivilDate birth) {
    static const std::vector<std::string> areas = {"440306", "440305", "321324", "430102"};
    static const std::vector<std::string> surnames = {"赵", "钱", "孙", "李", "周", "吴", "郑",
                                                      "王", "冯", "陈", "褚", "卫", "蒋", "沈"};
    static const std::vector<std::string> given = {"明", "华", "芳", "磊", "静", "强", "丽"};
    const std::string residence = areas[rng() % areas.size()];
    json c = NewChild(surnames[n % surnames.size()] + given[(n / 14) % given.size()] +
                          given[rng() % given.size()],
                      residence, birth.ToString());
    c["sex"] = rng() % 2 ? "M" : "F";
    c["hukou_area"] = areas[rng() % areas.size()];
    c["category"] = std::vector<std::string>{"migrant", "left_behind", "other"}[rng() % 3];
    // The birth doses: up to date for a newborn until the second HepB dose falls overdue.
    if (rng() % 2 == 0) {
      c["immunizations"] =
          json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", birth.ToString()}},
                       {{"vaccine", "BCG"}, {"dose", 1}, {"date", birth.ToString()}}});
    }
    if (rng() % 2 == 0) {
      c["school"] = rng() % 2 ? json{{"status", "enrolled"}, {"grade", 1 + int(rng() % 12)}}
                              : json{{"status", "not_enrolled"}};
    }
    if (rng() % 2 == 0) c["card_serial"] = CardSerial(n);
    return c;
  }

  // The serial of the `n`th card written in the test.
  static std::string CardSerial(int n) {
    char serial[17];
    std::snprintf(serial, sizeof serial, "%016X", n);
    return serial;
  }

  platform::TestClock clock_{kStartMs};
};

TEST_F(StatsCubeTest, CellsEqualARecountAfterEveryKindOfChange) {
  std::mt19937 rng(13);
  // Stamps at the clock's time (ms; Put shifts them into HLC form): the record's dates are checked
  // against its stamp's day.
  uint64_t last_ms = 0;
  auto stamp = [&] {
    last_ms = std::max<uint64_t>(last_ms + 1, static_cast<uint64_t>(clock_.WallMs()));
    return last_ms;
  };
  std::map<std::string, uint64_t> seqs;  // by terminal
  std::vector<std::string> children;
  std::map<std::string, std::string> lives_in;  // child -> residence
  std::map<std::string, std::string> card_of;   // child -> the serial of its card
  int cards = 1000;
  // The terminal whose site holds an area in its scope (the server refuses others' changes).
  auto terminal_of = [](const std::string& area) {
    return area.rfind("4403", 0) == 0 ? "T2" : area == "321324" ? "T1" : "T3";
  };
  for (int step = 0; step < 60; ++step) {
    const int kind = children.size() < 6 ? 0 : static_cast<int>(rng() % 6);
    std::string what;
    if (kind == 0) {  // a registration
      // Half of them newborns (their doses fall due and overdue as days pass), half of any age.
      const int64_t today = CivilDate::TodayInChina(clock_).ToDays();
      const CivilDate birth =
          CivilDate::FromDays(rng() % 2 ? today - 1 - rng() % 40 : today - 1 - rng() % 6000);
      const uint64_t seq = ++seqs["T1"];
      const std::string id = "T1-" + std::to_string(seq);
      const json child = RandomChild(rng, static_cast<int>(seq), birth);
      Put("T1", seq, stamp(), id, child);
      children.push_back(id);
      lives_in[id] = child["residence_area"];
      if (child.contains("card_serial")) card_of[id] = child["card_serial"];
      what = "registering " + id;
    } else if (kind == 1) {  // an edit: a move, a new school, a new category
      const std::string& id = children[rng() % children.size()];
      json change = {{"residence_area", rng() % 2 ? "440305" : "430102"},
                     {"school", {{"status", "enrolled"}, {"grade", 1 + int(rng() % 12)}}},
                     {"category", rng() % 2 ? "migrant" : "other"}};
      const std::string terminal = terminal_of(lives_in[id]);
      Put(terminal, ++seqs[terminal], stamp(), id, change);
      lives_in[id] = change["residence_area"];
      what = "editing " + id;
    } else if (kind == 2 || kind == 3) {  // a merge, or undoing one
      const std::string& a = children[rng() % children.size()];
      const std::string& b = children[rng() % children.size()];
      if (a == b) continue;
      (void)store_->DecideIdentity(kind == 2 ? IdentityCommand::kMerge : IdentityCommand::kUnmerge,
                                   a, b, "zhou");
      what = (kind == 2 ? "merging " : "unmerging ") + a + " " + b;
    } else if (kind == 5) {  // a card revoked (lost), or a new card written after one was
      const std::string& id = children[rng() % children.size()];
      const std::string terminal = terminal_of(lives_in[id]);
      if (rng() % 2 == 0) {  // its card, or (no card) a serial it never held
        const std::string serial = card_of.count(id) ? card_of[id] : CardSerial(++cards);
        const json revoke = {{"serial", serial}, {"child_id", id}, {"reason", "lost"}};
        auto acked = store_->Ingest(terminal, {MakeEvent(terminal, "card.revoke", ++seqs[terminal],
                                                         stamp() << 16, id, revoke)});
        ASSERT_TRUE(acked.ok()) << acked.status().message();
        what = "revoking card " + serial + " of " + id;
      } else {
        card_of[id] = CardSerial(++cards);
        Put(terminal, ++seqs[terminal], stamp(), id, {{"card_serial", card_of[id]}});
        what = "a new card for " + id;
      }
    } else {  // days pass: birthdays, doses falling overdue
      clock_.Advance(std::chrono::milliseconds(kDayMs * (1 + rng() % 400)));
      what = "the roll to " + CivilDate::TodayInChina(clock_).ToString();
    }
    ExpectCellsMatchRecount(what);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace onecard::server

namespace onecard::server {
namespace {

// Counts by the dimensions the model adds, over children whose values are known: the school stage
// (stated, or implied by the grade), the vaccination status on the statistics' date, the card.
TEST_F(StatsCubeTest, CountsBySchoolStageVaccinationAndCard) {
  clock_.SetWallMs(1'790'812'800'000);  // 2026-10-01
  const uint64_t ms = 1'790'812'700'000;
  auto child = [](const std::string& name, const std::string& birth) {
    return NewChild(name, "440306", birth);
  };
  json junior = child("赵明", "2013-05-01");
  junior["school"] = {{"status", "enrolled"}, {"grade", 8}};
  junior["card_serial"] = "0102030405060708";
  json newborn = child("钱华", "2026-09-01");  // birth doses given: up to date until HepB 2 is due
  newborn["immunizations"] =
      json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", "2026-09-01"}},
                   {{"vaccine", "BCG"}, {"dose", 1}, {"date", "2026-09-01"}}});
  json overdue = child("孙芳", "2018-03-01");  // one dose, years ago: overdue
  overdue["immunizations"] =
      json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", "2018-03-01"}}});
  Put("T2", 1, ms, "T2-1", junior);
  Put("T2", 2, ms + 1, "T2-2", newborn);
  Put("T2", 3, ms + 2, "T2-3", overdue);
  json kindergarten = child("李静", "2022-05-01");  // 幼儿园: a stage without a grade
  kindergarten["school"] = {{"status", "enrolled"}, {"stage", "preschool"}};
  Put("T2", 4, ms + 3, "T2-4", kindergarten);
  auto counts = [&](const std::string& by) {
    std::map<std::string, int64_t> out;
    auto r = static_cast<ReportStore&>(*store_).Counts({"4403", false, {by}, true, "test"});
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (r.ok()) {
      for (const CountsCell& g : r->groups) out[g.values[0]] = *g.count;
    }
    return out;
  };
  using Groups = std::map<std::string, int64_t>;
  EXPECT_EQ(counts("school_stage"), (Groups{{"junior", 1}, {"preschool", 1}, {"unknown", 2}}));
  EXPECT_EQ(counts("vaccination"), (Groups{{"overdue", 1}, {"unknown", 2}, {"up_to_date", 1}}));
  EXPECT_EQ(counts("card"), (Groups{{"issued", 1}, {"none", 3}}));
  // The junior's card is reported lost and revoked: no card until a new one is written.
  auto revoked = store_->Ingest(
      "T2",
      {MakeEvent("T2", "card.revoke", 5, (ms + 4) << 16, "T2-1",
                 {{"serial", "0102030405060708"}, {"child_id", "T2-1"}, {"reason", "lost"}})});
  ASSERT_TRUE(revoked.ok()) << revoked.status().message();
  EXPECT_EQ(counts("card"), (Groups{{"none", 4}}));
  Put("T2", 6, ms + 5, "T2-1", {{"card_serial", "0102030405060709"}});
  EXPECT_EQ(counts("card"), (Groups{{"issued", 1}, {"none", 3}}));
  // HepB 2 is recommended at one month (2026-10-01) and overdue 30 days later: the roll moves the
  // newborn when that day comes, not before.
  clock_.SetWallMs(1'790'812'800'000 + 29 * kDayMs);
  EXPECT_EQ(counts("vaccination")["up_to_date"], 1);
  clock_.SetWallMs(1'790'812'800'000 + 31 * kDayMs);
  EXPECT_EQ(counts("vaccination"), (Groups{{"overdue", 2}, {"unknown", 2}}));
}

}  // namespace
}  // namespace onecard::server
