// ServerStore's AccountStore: the officials' accounts, sessions and API audit (migration 011).

#include <algorithm>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {
namespace {

using schema::Statement;
using schema::Transaction;

Status NoSuchAccount(const std::string& user_name) {
  return Status(ErrorCode::kNotFound, Tr("没有账户 " + user_name, "no account named " + user_name));
}

constexpr std::string_view kAccountColumns =
    "user_name, role, area_prefix, disabled, totp_secret IS NOT NULL, created_at";

Account AccountFromRow(const Statement& st) {
  return Account{st.ColumnText(0),     st.ColumnText(1),     st.ColumnText(2),
                 st.ColumnInt(3) != 0, st.ColumnInt(4) != 0, st.ColumnText(5)};
}

}  // namespace

Status ServerStore::AddAccount(const Account& account, const std::string& password_hash,
                               const SecretBytes& totp_secret) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("INSERT INTO api_users(user_name, role, area_prefix, password_hash, "
                               "totp_secret, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, account.user_name).Bind(2, account.role).Bind(3, account.area_prefix);
  st.Bind(4, password_hash);
  if (totp_secret.empty()) {
    st.BindNull(5);
  } else {
    st.Bind(5, totp_secret.span());
  }
  st.Bind(6, int64_t{account.disabled ? 1 : 0}).Bind(7, UtcNowIso8601(*clock_));
  Status s = st.Run();
  if (s.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr("账户 " + account.user_name + " 已存在",
                     "account " + account.user_name + " already exists"));
  }
  return s;
}

Result<std::vector<Account>> ServerStore::ListAccounts() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT " + std::string(kAccountColumns) +
                                             " FROM api_users ORDER BY user_name"));
  std::vector<Account> accounts;
  RETURN_IF_ERROR(
      st.ForEachRow([&](const Statement& row) { accounts.push_back(AccountFromRow(row)); }));
  return accounts;
}

Result<AccountCredentials> ServerStore::FindAccount(const std::string& user_name) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare("SELECT " + std::string(kAccountColumns) +
                  ", password_hash, totp_secret, failed_signins, last_failure_ms, "
                  "locked_until_ms, totp_last_step FROM api_users WHERE user_name = ?"));
  st.Bind(1, user_name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NoSuchAccount(user_name);
  AccountCredentials found;
  found.account = AccountFromRow(st);
  found.password_hash = st.ColumnText(6);
  if (!st.ColumnIsNull(7)) found.totp_secret = SecretBytes(st.ColumnBlob(7));
  found.state = SignInState{static_cast<int>(st.ColumnInt(8)), st.ColumnInt(9), st.ColumnInt(10),
                            static_cast<uint64_t>(st.ColumnInt(11))};
  return found;
}

Status ServerStore::UpdateAccountLocked(std::string_view sql, const std::string& user_name,
                                        const std::function<void(Statement&)>& bind) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  bind(st);
  RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return NoSuchAccount(user_name);
  ASSIGN_OR_RETURN(Statement end, db_.Prepare("DELETE FROM api_sessions WHERE user_name = ?"));
  RETURN_IF_ERROR(end.Bind(1, user_name).Run());
  return tx.Commit();
}

Status ServerStore::SetDisabled(const std::string& user_name, bool disabled) {
  std::lock_guard lock(mu_);
  return UpdateAccountLocked(
      "UPDATE api_users SET disabled = ? WHERE user_name = ?", user_name,
      [&](Statement& st) { st.Bind(1, int64_t{disabled ? 1 : 0}).Bind(2, user_name); });
}

Status ServerStore::SetPassword(const std::string& user_name, const std::string& password_hash) {
  std::lock_guard lock(mu_);
  return UpdateAccountLocked(
      "UPDATE api_users SET password_hash = ?, failed_signins = 0, last_failure_ms = 0, "
      "locked_until_ms = 0 WHERE user_name = ?",
      user_name, [&](Statement& st) { st.Bind(1, password_hash).Bind(2, user_name); });
}

Status ServerStore::SetTotpSecret(const std::string& user_name, const SecretBytes& totp_secret) {
  std::lock_guard lock(mu_);
  return UpdateAccountLocked(
      "UPDATE api_users SET totp_secret = ?, totp_last_step = 0 WHERE user_name = ?", user_name,
      [&](Statement& st) {
        if (totp_secret.empty()) {
          st.BindNull(1);
        } else {
          st.Bind(1, totp_secret.span());
        }
        st.Bind(2, user_name);
      });
}

Status ServerStore::SaveSignInState(const std::string& user_name, const SignInState& state) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE api_users SET failed_signins = ?, "
                                             "last_failure_ms = ?, locked_until_ms = ?, "
                                             "totp_last_step = ? WHERE user_name = ?"));
  RETURN_IF_ERROR(st.Bind(1, int64_t{state.failed})
                      .Bind(2, state.last_failure_ms)
                      .Bind(3, state.locked_until_ms)
                      .Bind(4, static_cast<int64_t>(state.totp_last_step))
                      .Bind(5, user_name)
                      .Run());
  return db_.Changes() == 0 ? NoSuchAccount(user_name) : Status::Ok();
}

Status ServerStore::CreateSession(const Bytes& token_hash, const std::string& user_name,
                                  int64_t now_ms) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("INSERT INTO api_sessions(token_hash, user_name, created_ms, "
                               "last_seen_ms) VALUES (?, ?, ?, ?)"));
  return st.Bind(1, ByteSpan(token_hash)).Bind(2, user_name).Bind(3, now_ms).Bind(4, now_ms).Run();
}

Result<std::optional<ApiSession>> ServerStore::FindSession(const Bytes& token_hash) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   CachedLocked("SELECT user_name, created_ms, last_seen_ms FROM api_sessions "
                                "WHERE token_hash = ?"));
  st->Bind(1, ByteSpan(token_hash));
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<ApiSession>();
  return std::optional<ApiSession>(
      ApiSession{st->ColumnText(0), st->ColumnInt(1), st->ColumnInt(2)});
}

Status ServerStore::TouchSession(const Bytes& token_hash, int64_t now_ms) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   CachedLocked("UPDATE api_sessions SET last_seen_ms = ? WHERE token_hash = ?"));
  return st->Bind(1, now_ms).Bind(2, ByteSpan(token_hash)).Run();
}

Status ServerStore::DeleteSession(const Bytes& token_hash) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM api_sessions WHERE token_hash = ?"));
  return st.Bind(1, ByteSpan(token_hash)).Run();
}

Status ServerStore::DeleteStaleSessions(int64_t idle_cutoff_ms, int64_t created_cutoff_ms) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM api_sessions WHERE last_seen_ms < ? OR "
                                             "created_ms < ?"));
  return st.Bind(1, idle_cutoff_ms).Bind(2, created_cutoff_ms).Run();
}

Status ServerStore::AppendApiAudit(const ApiAuditEntry& entry) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   CachedLocked("INSERT INTO api_audit(at, user_name, method, target, status, "
                                "cells) VALUES (?, ?, ?, ?, ?, ?)"));
  return st->Bind(1, entry.at)
      .Bind(2, entry.user_name)
      .Bind(3, entry.method)
      .Bind(4, entry.target)
      .Bind(5, int64_t{entry.status})
      .Bind(6, entry.cells)
      .Run();
}

Result<std::vector<ApiAuditEntry>> ServerStore::ApiAudit(const std::string& user_name,
                                                         size_t newest) {
  std::lock_guard lock(mu_);
  // Newest first by the rowid, so that LIMIT stops the scan; reversed below. LIMIT -1: no limit.
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("SELECT audit_id, at, user_name, method, target, status, cells "
                               "FROM api_audit WHERE ?1 = '' OR user_name = ?1 "
                               "ORDER BY audit_id DESC LIMIT ?2"));
  st.Bind(1, user_name).Bind(2, newest == 0 ? int64_t{-1} : static_cast<int64_t>(newest));
  std::vector<ApiAuditEntry> entries;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) {
    entries.push_back(ApiAuditEntry{row.ColumnInt(0), row.ColumnText(1), row.ColumnText(2),
                                    row.ColumnText(3), row.ColumnText(4),
                                    static_cast<int>(row.ColumnInt(5)), row.ColumnInt(6)});
  }));
  std::reverse(entries.begin(), entries.end());
  return entries;
}

}  // namespace onecard::server
