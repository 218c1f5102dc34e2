// The account rules (accounts.h) and Argon2id passwords (password_hash.h), over a real store.
#include "onecard/server/accounts.h"

#include <gtest/gtest.h>

#include "password_hash.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

TEST(AccountRules, NamesRolesAreasAndPasswords) {
  EXPECT_TRUE(ValidateAccountName("wang.li").ok());
  EXPECT_TRUE(ValidateAccountName("a").ok());
  for (const char* bad : {"", ".wang", "Wang", "wang li", "王丽", "-x"}) {
    EXPECT_EQ(ValidateAccountName(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(ValidateAccountName(std::string(65, 'a')).ok());
  EXPECT_TRUE(ValidateRole("official").ok());
  EXPECT_TRUE(ValidateRole("admin").ok());
  EXPECT_FALSE(ValidateRole("root").ok());
  for (const char* good : {"44", "4403", "440306", "3213"}) {
    EXPECT_TRUE(ValidateAreaPrefix(good).ok()) << good;
  }
  for (const char* bad : {"", "4", "440", "99", "4499", "44x3", "4403061"}) {
    EXPECT_FALSE(ValidateAreaPrefix(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidatePassword("elevenchars").ok());                // 11
  EXPECT_TRUE(ValidatePassword("twelve chars").ok());                // 12
  EXPECT_TRUE(ValidatePassword("流动儿童留守儿童一卡通登记").ok());  // 12 characters, 36 bytes
  EXPECT_FALSE(ValidatePassword("流动儿童留守儿童一卡通").ok());     // 11 characters
  EXPECT_FALSE(ValidatePassword("\xff\xfe long enough password").ok());
  EXPECT_FALSE(ValidatePassword(std::string(1025, 'x')).ok());
}

TEST(PasswordHash, Argon2idVerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  auto again = HashPassword("correct horse battery");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);  // a new salt each time
}

class AccountsTest : public ServerStoreFixture {};

TEST_F(AccountsTest, AdminsAlwaysGetATotpKeyOfficialsOnRequest) {
  CreateStore({}, {});
  auto admin = AddAccount(*store_, {"zhao.admin", "admin", "44"}, "long enough password");
  ASSERT_TRUE(admin.ok()) << admin.status().message();
  EXPECT_EQ(admin->size(), 20u);
  auto plain = AddAccount(*store_, {"wang.li", "official", "4403"}, "long enough password");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->empty());
  auto with = AddAccount(*store_, {"sun.qing", "official", "3213", true}, "long enough password");
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->size(), 20u);
  EXPECT_EQ(
      AddAccount(*store_, {"wang.li", "official", "44"}, "long enough password").status().code(),
      ErrorCode::kAlreadyExists);
  EXPECT_EQ(AddAccount(*store_, {"short", "official", "44"}, "short").status().code(),
            ErrorCode::kInvalidArgument);

  auto accounts = store_->ListAccounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 3u);
  EXPECT_EQ((*accounts)[0].user_name, "sun.qing");
  EXPECT_TRUE((*accounts)[0].has_totp);
  EXPECT_FALSE((*accounts)[1].has_totp);  // wang.li
  EXPECT_EQ(ResetTotp(*store_, "zhao.admin", /*off=*/true).status().code(),
            ErrorCode::kFailedPrecondition);
  auto off = ResetTotp(*store_, "sun.qing", /*off=*/true);
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->empty());
  auto found = store_->FindAccount("sun.qing");
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->totp_secret.empty());
  EXPECT_TRUE(VerifyPassword(found->password_hash, "long enough password"));
  ASSERT_TRUE(ChangePassword(*store_, "sun.qing", "another long password").ok());
  found = store_->FindAccount("sun.qing");
  EXPECT_TRUE(VerifyPassword(found->password_hash, "another long password"));
  EXPECT_EQ(ChangePassword(*store_, "nobody", "another long password").code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace onecard::server
