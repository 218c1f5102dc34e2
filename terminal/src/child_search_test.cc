#include "child_search.h"

#include <gtest/gtest.h>

#include "onecard/terminal/store_keys.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using testing::kTestPassphrase;
using testing::MakeTestRecord;

class ChildSearch : public testing::StoreFixture {
 protected:
  std::vector<std::string> Names(TerminalStore& store, const std::string& name,
                                 const std::string& id_number = "") {
    auto found = store.children().Search(name, id_number);
    EXPECT_TRUE(found.ok()) << found.status().message();
    std::vector<std::string> names;
    if (found.ok()) {
      for (const json& r : *found) names.push_back(r["name"]);
    }
    return names;
  }
};

TEST_F(ChildSearch, ByHanPinyinAndIdNumber) {
  auto store = OpenAs("chen");
  ASSERT_TRUE(store);
  json with_id = MakeTestRecord("王小明");
  with_id["id_number"] = "44030620180504002X";
  ASSERT_TRUE(store->children().Register(with_id).ok());
  ASSERT_TRUE(store->children().Register(MakeTestRecord("王小红")).ok());
  ASSERT_TRUE(store->children().Register(MakeTestRecord("李晓明")).ok());
  ASSERT_TRUE(store->children().Register(MakeTestRecord("阿依古丽·买买提")).ok());

  struct Case {
    const char* query;
    std::vector<std::string> names;  // in child_id order
  };
  const Case cases[] = {
      {"王小明", {"王小明"}},          {"小明", {"王小明"}},
      {"王", {"王小明", "王小红"}},    {"wang xiaoming", {"王小明"}},
      {"wangxiaoming", {"王小明"}},    {"xiaoming", {"王小明", "李晓明"}},
      {"Wang", {"王小明", "王小红"}},  {"maimaiti", {"阿依古丽·买买提"}},
      {"买买提", {"阿依古丽·买买提"}}, {"zhang", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(Names(*store, c.query), c.names) << c.query;

  EXPECT_EQ(Names(*store, "", "44030620180504002x"), std::vector<std::string>{"王小明"});
  EXPECT_EQ(Names(*store, "wang", "44030620180504002X"), std::vector<std::string>{"王小明"});
  EXPECT_TRUE(Names(*store, "xiaohong", "44030620180504002X").empty());
  EXPECT_EQ(store->children().Search("", "").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->children().Search("  ?! ", "").status().code(), ErrorCode::kInvalidArgument);

  // A renamed child is found under the new name only.
  auto found = store->children().Search("wang xiaohong", "");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  std::string id = (*found)[0]["child_id"];
  ASSERT_TRUE(store->children().Update(id, {{"name", "王小虹"}}).ok());
  EXPECT_EQ(Names(*store, "王小红"), std::vector<std::string>{});
  EXPECT_EQ(Names(*store, "wang xiaohong"), std::vector<std::string>{"王小虹"});  // same pinyin
  EXPECT_EQ(Names(*store, "小虹"), std::vector<std::string>{"王小虹"});
}

TEST_F(ChildSearch, StaleNameKeysAreRebuiltOnOpen) {
  {
    auto store = OpenAs("chen");
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->children().Register(MakeTestRecord("王小明")).ok());
  }
  {
    auto key = StoreKeys::Unlock(dir_, "chen", kTestPassphrase);
    ASSERT_TRUE(key.ok());
    auto db = schema::Database::Open(dir_ + "/terminal.db", *key, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("DELETE FROM child_name_keys; UPDATE children SET name_pinyin = NULL;"
                         "UPDATE meta SET value = '0' WHERE key = 'name_keys_version';")
                    .ok());
    auto ids = FindChildIds(*db, "xiaoming", "", 10);
    ASSERT_TRUE(ids.ok());
    EXPECT_TRUE(ids->empty());
  }
  auto store = OpenAs("chen");
  ASSERT_TRUE(store);
  EXPECT_EQ(Names(*store, "xiaoming"), std::vector<std::string>{"王小明"});
}

}  // namespace
}  // namespace onecard::terminal
