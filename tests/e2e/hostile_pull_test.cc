// A terminal trusts no pull (issue 12, point 4; sync.md, "What a terminal checks of a pull"), over
// the real programs: a server whose store holds a hostile child state (a name that is a number, a
// stamp in the year 2100; written straight into its `children` table, as a bug or an attacker
// would leave it) does not stop another terminal's `sync`. The bad children are set aside with a
// line each naming the child and the fault, the good child arrives, and the terminal's next change
// is stamped now, not in 2100.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "deployment_fixtures.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/schema/database.h"
#include "onecard/server/server_store.h"
#include "onecard/testing/registration.h"
#include "process.h"
#include "server_store_internals.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

constexpr uint64_t kYear2100Hlc = uint64_t{4'102'444'800'000} << 16;

class HostilePull : public OneAreaTwoTerminals {
 protected:
  // Rewrites the server's stored state of `child_id` with `change` (the server is stopped).
  void Corrupt(const std::string& child_id, const std::function<void(json&)>& change) {
    auto store = server::ServerStore::Open(d_.server_dir());
    ASSERT_TRUE(store.ok()) << store.status().message();
    Status written =
        server::ServerStoreInternals::WithDatabase(**store, [&](schema::Database& db) -> Status {
          ASSIGN_OR_RETURN(schema::Statement read,
                           db.Prepare("SELECT state FROM children WHERE child_id = ?"));
          read.Bind(1, child_id);
          ASSIGN_OR_RETURN(bool row, read.Step());
          if (!row) return Status(ErrorCode::kNotFound, child_id);
          json state = json::parse(read.ColumnText(0));
          change(state);
          ASSIGN_OR_RETURN(schema::Statement write,
                           db.Prepare("UPDATE children SET state = ? WHERE child_id = ?"));
          return write.Bind(1, state.dump()).Bind(2, child_id).Run();
        });
    ASSERT_TRUE(written.ok()) << written.message();
  }
  uint64_t LatestEventHlcOf(const std::string& terminal_id) {
    auto store = server::ServerStore::Open(d_.server_dir());
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return 0;
    return server::ServerStoreInternals::WithDatabase(
        **store, [&](schema::Database& db) -> uint64_t {
          auto st = db.Prepare("SELECT max(hlc) FROM events WHERE terminal_id = ?");
          EXPECT_TRUE(st.ok());
          if (!st.ok()) return 0;
          st->Bind(1, terminal_id);
          auto row = st->Step();
          return row.ok() && *row ? static_cast<uint64_t>(st->ColumnInt(0)) : 0;
        });
  }
};

TEST_F(HostilePull, BadChildrenAreSetAsideTheGoodArriveAndTheClockStaysNow) {
  for (const char* name : {"王小明", "李小红", "张小军"}) {
    RunResult r = d_.Terminal(t1_, {"register", "--record", "-"}, MigrantRegistration(name).dump());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult pushed = d_.Terminal(t1_, {"sync"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  d_.StopServer();
  Corrupt("GD-T1-1", [](json& state) { state["fields"]["name"]["v"] = 12345; });
  Corrupt("GD-T1-2", [](json& state) { state["fields"]["name"]["s"][0] = kYear2100Hlc; });
  ASSERT_TRUE(d_.StartServer()) << d_.ServerLog();

  RunResult pulled = d_.Terminal(t2_, {"sync"});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_NE(pulled.out.find("received 1 child records"), std::string::npos) << pulled.out;
  EXPECT_NE(pulled.out.find("2 items from the server failed the checks"), std::string::npos)
      << pulled.out;
  // One line per bad child, naming it and what is wrong with it.
  EXPECT_NE(pulled.out.find("child GD-T1-1 ("), std::string::npos) << pulled.out;
  EXPECT_NE(pulled.out.find("name"), std::string::npos) << pulled.out;
  EXPECT_NE(pulled.out.find("child GD-T1-2 ("), std::string::npos) << pulled.out;
  EXPECT_NE(pulled.out.find("2100-01-01"), std::string::npos) << pulled.out;

  RunResult good = d_.Terminal(t2_, {"show", "--child", "GD-T1-3"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("张小军"), std::string::npos) << good.out;
  EXPECT_NE(d_.Terminal(t2_, {"show", "--child", "GD-T1-1"}).exit_code, 0);
  EXPECT_NE(d_.Terminal(t2_, {"show", "--child", "GD-T1-2"}).exit_code, 0);

  // A second sync neither fails nor sees them again (the cursor moved past them).
  RunResult again = d_.Terminal(t2_, {"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("failed the checks"), std::string::npos) << again.out;

  // The terminal's next registration is stamped now, not in 2100.
  ASSERT_EQ(d_.Terminal(t2_, {"register", "--record", "-"}, MigrantRegistration("赵小燕").dump())
                .exit_code,
            0);
  ASSERT_EQ(d_.Terminal(t2_, {"sync"}).exit_code, 0);
  d_.StopServer();
  const uint64_t hlc = LatestEventHlcOf("GD-T2");
  ASSERT_GT(hlc, 0u);
  EXPECT_LE(HybridClock::PhysicalMs(hlc), HybridClock::PhysicalNowMs(platform::SystemClock()));
}

}  // namespace
}  // namespace onecard::testing
