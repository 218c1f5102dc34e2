#include "onecard/server/accounts.h"

#include <algorithm>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/totp.h"
#include "onecard/protocol/utf8.h"
#include "password_hash.h"

namespace onecard::server {
namespace {

Status Invalid(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

Status ValidateAccountName(std::string_view name) {
  const std::string shown(name.substr(0, kMaxAccountNameBytes));
  bool ok = !name.empty() && name.size() <= kMaxAccountNameBytes && IsNameChar(name[0]) &&
            name[0] != '.' && name[0] != '_' && name[0] != '-';
  for (char c : name) ok = ok && IsNameChar(c);
  if (ok) return Status::Ok();
  return Invalid("账户名应为 1–64 个小写字母、数字、“.”、“_”或“-”，以字母或数字开头：" + shown,
                 "an account name is 1–64 of a–z, 0–9, '.', '_' or '-', starting with a letter "
                 "or digit: " +
                     shown);
}

Status ValidateRole(std::string_view role) {
  if (role == "official" || role == "admin") return Status::Ok();
  return Invalid("--role 应为 official 或 admin：" + std::string(role),
                 "--role must be official or admin: " + std::string(role));
}

Status ValidateAreaPrefix(std::string_view prefix) {
  bool digits = prefix.size() == 2 || prefix.size() == 4 || prefix.size() == 6;
  for (char c : prefix) digits = digits && c >= '0' && c <= '9';
  if (digits && IsKnownArea(std::string(prefix) + std::string(6 - prefix.size(), '0'))) {
    return Status::Ok();
  }
  return Invalid("--area 应为已知省、地市或县的 2、4 或 6 位代码前缀：" + std::string(prefix),
                 "--area must be the 2, 4 or 6 digits of a known province, prefecture or "
                 "county: " +
                     std::string(prefix));
}

Status ValidatePassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Invalid("口令过长（最多 1024 字节）", "the password is too long (at most 1024 bytes)");
  }
  std::optional<std::u32string> chars = DecodeUtf8Strict(password);
  if (!chars) return Invalid("口令不是有效的 UTF-8 文本", "the password is not valid UTF-8 text");
  const size_t count = chars->size();
  std::fill(chars->begin(), chars->end(), U'\0');  // the password's characters, wiped
  if (count < kMinPasswordChars) {
    return Invalid("口令至少需要 12 个字符", "the password must have at least 12 characters");
  }
  return Status::Ok();
}

Result<SecretBytes> AddAccount(AccountStore& store, const NewAccount& account,
                               std::string_view password) {
  RETURN_IF_ERROR(ValidateAccountName(account.user_name));
  RETURN_IF_ERROR(ValidateRole(account.role));
  RETURN_IF_ERROR(ValidateAreaPrefix(account.area_prefix));
  RETURN_IF_ERROR(ValidatePassword(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  SecretBytes totp_key;
  if (account.role == "admin" || account.totp) totp_key = RandomSecret(kTotpSecretBytes);
  RETURN_IF_ERROR(store.AddAccount(
      Account{account.user_name, account.role, account.area_prefix, false, !totp_key.empty(), ""},
      hash, totp_key));
  return totp_key;
}

Status ChangePassword(AccountStore& store, const std::string& user_name,
                      std::string_view password) {
  RETURN_IF_ERROR(ValidatePassword(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return store.SetPassword(user_name, hash);
}

Result<SecretBytes> ResetTotp(AccountStore& store, const std::string& user_name, bool off) {
  ASSIGN_OR_RETURN(AccountCredentials found, store.FindAccount(user_name));
  if (off && found.account.role == "admin") {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("管理员账户必须使用动态验证码，不能关闭",
                     "administrators must use a one-time code; it cannot be turned off"));
  }
  SecretBytes key = off ? SecretBytes() : RandomSecret(kTotpSecretBytes);
  RETURN_IF_ERROR(store.SetTotpSecret(user_name, key));
  return key;
}

}  // namespace onecard::server
