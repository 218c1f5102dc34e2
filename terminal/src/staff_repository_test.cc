#include <gtest/gtest.h>

#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/store_keys.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using testing::kTestPassphrase;

TEST(StaffRoles, WhoMayDoWhat) {
  struct Case {
    StaffAction action;
    bool registrar;
    bool supervisor;
  };
  const Case cases[] = {
      {StaffAction::kRegister, true, true},    {StaffAction::kUpdate, true, true},
      {StaffAction::kShow, true, true},        {StaffAction::kSearch, true, true},
      {StaffAction::kDue, true, true},         {StaffAction::kCardIssue, true, true},
      {StaffAction::kCardRead, true, true},    {StaffAction::kCardUpdate, true, true},
      {StaffAction::kReferral, true, true},    {StaffAction::kSync, true, true},
      {StaffAction::kAuditVerify, true, true}, {StaffAction::kChangeOwnPassphrase, true, true},
      {StaffAction::kStaffAdd, false, true},   {StaffAction::kCardReplace, false, true},
      {StaffAction::kCardRevoke, false, true}, {StaffAction::kResolveConflict, false, true},
      {StaffAction::kEraseChild, false, true}, {StaffAction::kExport, true, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RoleMayDo(StaffRole::kRegistrar, c.action), c.registrar) << StaffActionName(c.action);
    EXPECT_EQ(RoleMayDo(StaffRole::kSupervisor, c.action), c.supervisor)
        << StaffActionName(c.action);
  }
  EXPECT_EQ(ParseStaffRole("registrar"), StaffRole::kRegistrar);
  EXPECT_EQ(ParseStaffRole("supervisor"), StaffRole::kSupervisor);
  EXPECT_EQ(ParseStaffRole("Supervisor"), std::nullopt);
  EXPECT_EQ(ParseStaffRole(""), std::nullopt);
}

class TerminalStaff : public testing::StoreFixture {};

TEST_F(TerminalStaff, SupervisorAddsRegistrarWhoCannotAddStaff) {
  auto chen = OpenAs("chen");
  ASSERT_TRUE(chen);
  EXPECT_EQ(chen->role(), StaffRole::kSupervisor);
  ASSERT_TRUE(chen->staff().Add("li", StaffRole::kRegistrar, "li's passphrase").ok());
  EXPECT_EQ(chen->staff().Add("li", StaffRole::kSupervisor, "another one").code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(chen->staff().Add("wu", StaffRole::kRegistrar, "short").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(chen->staff().Add("", StaffRole::kRegistrar, "long enough").code(),
            ErrorCode::kInvalidArgument);
  chen.reset();

  auto li = OpenAs("li", "li's passphrase");
  ASSERT_TRUE(li);
  EXPECT_EQ(li->role(), StaffRole::kRegistrar);
  EXPECT_TRUE(li->staff().Authorize(StaffAction::kRegister).ok());
  auto id = li->children().Register(testing::MakeTestRecord("李娜"));
  ASSERT_TRUE(id.ok());
  Status denied = li->staff().Add("wu", StaffRole::kSupervisor, "wu's passphrase");
  EXPECT_EQ(denied.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("staff.add"), std::string::npos) << denied.message();
  EXPECT_EQ(li->staff().Authorize(StaffAction::kCardRevoke).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(li->staff().Authorize(StaffAction::kCardReplace).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(li->staff().Authorize(StaffAction::kResolveConflict).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(TerminalStore::Open(dir_, "wu", "wu's passphrase").status().code(),
            ErrorCode::kUnauthenticated);

  // Additions and refusals are in the audit log, and the chain holds.
  auto report = li->audit().Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  // init, staff.add, register, then four refusals.
  EXPECT_EQ(report->entries, 7);
}

TEST_F(TerminalStaff, PassphraseChangeRewrapsOnlyTheOwnSlot) {
  auto chen = OpenAs("chen");
  ASSERT_TRUE(chen);
  ASSERT_TRUE(chen->staff().Add("li", StaffRole::kRegistrar, "li's passphrase").ok());
  auto id = chen->children().Register(testing::MakeTestRecord("李娜"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(chen->staff().ChangePassphrase("short").code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(chen->staff().ChangePassphrase("chen's new passphrase").ok());
  chen.reset();
  EXPECT_EQ(TerminalStore::Open(dir_, "chen", kTestPassphrase).status().code(),
            ErrorCode::kUnauthenticated);
  auto again = OpenAs("chen", "chen's new passphrase");
  ASSERT_TRUE(again);
  EXPECT_EQ((*again->children().Show(*id))["name"], "李娜");  // same data: nothing was re-encrypted
  again.reset();
  EXPECT_TRUE(OpenAs("li", "li's passphrase"));
}

TEST_F(TerminalStaff, KeySlotWithoutStaffRowOpensNothing) {
  auto key = StoreKeys::Unlock(dir_, "chen", kTestPassphrase);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(StoreKeys::SetSlot(dir_, "ghost", "ghost passphrase", *key).ok());
  EXPECT_EQ(TerminalStore::Open(dir_, "ghost", "ghost passphrase").status().code(),
            ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace onecard::terminal
