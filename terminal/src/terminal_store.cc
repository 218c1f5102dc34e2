#include "onecard/terminal/terminal_store.h"

#include <charconv>

#include "child_projection.h"
#include "child_search.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/migrations.h"
#include "onecard/terminal/store_keys.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;
using schema::Transaction;

constexpr char kDbFile[] = "/terminal.db";
constexpr char kBundleFormat[] = "onecard-enrolment/1";

Status BadBundle(const std::string& field) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("登记包无效：字段 " + field + " 缺失或格式错误",
                   "invalid enrolment bundle: field " + field + " is missing or malformed"));
}

Result<std::string> BundleString(const json& bundle, const std::string& field) {
  auto it = bundle.find(field);
  if (it == bundle.end() || !it->is_string() || it->get<std::string>().empty())
    return BadBundle(field);
  return it->get<std::string>();
}

SecretBytes SecretOf(const std::string& s) { return SecretBytes(Bytes(s.begin(), s.end())); }
std::string StringOf(const SecretBytes& s) { return std::string(s.span().begin(), s.span().end()); }

Status ValidUser(const std::string& user) {
  if (user.empty() || user.size() > 64 || user.find_first_of("\n\r\t") != std::string::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("工作人员用户名无效（请用 --user 或 ONECARD_USER 给出 1–64 个字符）",
                     "invalid staff user name (give 1–64 characters with --user or ONECARD_USER)"));
  }
  return Status::Ok();
}

Status ValidPassphrase(const std::string& passphrase) {
  if (passphrase.size() < 8) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("口令至少需要 8 个字符", "the passphrase must have at least 8 characters"));
  }
  return Status::Ok();
}

// The fields of an enrolment bundle a new store keeps. `site` points into the bundle read.
struct EnrolmentBundle {
  std::string terminal_id, server, ca_cert, tls_cert, tls_key, signing_key, signer_cert,
      root_public;
  const json* site = nullptr;
  std::string site_id, site_area, site_name;
};

// The bundle's format and text fields, in the order they are checked; BadBundle naming the
// first missing or malformed one.
Result<EnrolmentBundle> ReadBundleFields(const json& bundle) {
  if (!bundle.is_object() || bundle.value("format", "") != kBundleFormat)
    return BadBundle("format");
  EnrolmentBundle b;
  ASSIGN_OR_RETURN(b.terminal_id, BundleString(bundle, "terminal_id"));
  ASSIGN_OR_RETURN(b.server, BundleString(bundle, "server"));
  ASSIGN_OR_RETURN(b.ca_cert, BundleString(bundle, "ca_certificate"));
  ASSIGN_OR_RETURN(b.tls_cert, BundleString(bundle, "tls_certificate"));
  ASSIGN_OR_RETURN(b.tls_key, BundleString(bundle, "tls_key"));
  ASSIGN_OR_RETURN(b.signing_key, BundleString(bundle, "card_signing_key"));
  ASSIGN_OR_RETURN(b.signer_cert, BundleString(bundle, "card_signer_certificate"));
  ASSIGN_OR_RETURN(b.root_public, BundleString(bundle, "card_root_public"));
  if (!bundle.contains("site") || !bundle["site"].is_object()) return BadBundle("site");
  b.site = &bundle["site"];
  ASSIGN_OR_RETURN(b.site_id, BundleString(*b.site, "site_id"));
  ASSIGN_OR_RETURN(b.site_area, BundleString(*b.site, "area"));
  b.site_name = b.site->value("name", "");
  return b;
}

// Checks the keys and certificates of the bundle decode: the TLS and card signing private keys,
// the signer certificate, the card root public point, then the card data keys (a non-empty
// object of decimal versions to hex AEAD keys, with a positive current version).
Status CheckBundleKeys(const json& bundle, const EnrolmentBundle& b) {
  if (!EcKey::FromPrivatePem(b.tls_key).ok()) return BadBundle("tls_key");
  if (!EcKey::FromPrivatePem(b.signing_key).ok()) return BadBundle("card_signing_key");
  if (!Base64Decode(b.signer_cert).ok()) return BadBundle("card_signer_certificate");
  auto root_point = Base64Decode(b.root_public);
  if (!root_point.ok() || !EcKey::FromPublicPoint(*root_point).ok())
    return BadBundle("card_root_public");
  if (!bundle.contains("card_data_keys") || !bundle["card_data_keys"].is_object() ||
      bundle["card_data_keys"].empty() ||
      !bundle.value("card_data_key_version", json()).is_number_integer() ||
      bundle["card_data_key_version"].get<int64_t>() <= 0) {
    return BadBundle("card_data_keys");
  }
  for (const auto& [version, hex] : bundle["card_data_keys"].items()) {
    auto k = hex.is_string() ? HexDecode(hex.get<std::string>())
                             : Result<Bytes>(BadBundle("card_data_keys"));
    if (!k.ok() || k->size() != kAeadKeySize || version.empty() ||
        version.find_first_not_of("0123456789") != std::string::npos) {
      return BadBundle("card_data_keys");
    }
  }
  return Status::Ok();
}

// The meta values of a new store, in the order they are written.
std::vector<std::pair<const char*, std::string>> InitialMeta(const json& bundle,
                                                             const EnrolmentBundle& b,
                                                             const platform::Clock& clock) {
  return {
      {"terminal_id", b.terminal_id},
      {"site_id", b.site_id},
      {"site_area", b.site_area},
      {"site_name", b.site_name},
      {"server", b.server},
      {"ca_certificate", b.ca_cert},
      {"tls_certificate", b.tls_cert},
      {"card_signer_certificate", b.signer_cert},
      {"card_root_public", b.root_public},
      {"card_data_key_version", std::to_string(bundle["card_data_key_version"].get<uint32_t>())},
      {"next_seq", "1"},
      {"next_child_number", "1"},
      {"hlc", "0"},
      {"pull_cursor", "0"},
      {"created_at", UtcNowIso8601(clock)}};
}

// Writes the TLS key, the card signing key and each card data key (the bundle was checked).
Status WriteBundleSecrets(Database& db, const json& bundle, const EnrolmentBundle& b) {
  ASSIGN_OR_RETURN(Statement secret, db.Prepare("INSERT INTO secrets(name, value) VALUES (?, ?)"));
  auto put = [&](const std::string& name, const SecretBytes& value) -> Status {
    RETURN_IF_ERROR(secret.Reset());
    return secret.Bind(1, name).Bind(2, value.span()).Run();
  };
  RETURN_IF_ERROR(put("tls_key", SecretOf(b.tls_key)));
  RETURN_IF_ERROR(put("card_signing_key", SecretOf(b.signing_key)));
  for (const auto& [version, hex] : bundle["card_data_keys"].items()) {
    RETURN_IF_ERROR(
        put("card_data_key:" + version, SecretBytes(*HexDecode(hex.get<std::string>()))));
  }
  return Status::Ok();
}

// Makes `user` the first supervisor, writes the own site and audits the initialisation.
Status WriteFirstSupervisorAndSite(Database& db, const EnrolmentBundle& b, const std::string& user,
                                   const platform::Clock& clock) {
  ASSIGN_OR_RETURN(
      Statement staff,
      db.Prepare("INSERT INTO staff(name, role, created_at) VALUES (?, 'supervisor', ?)"));
  RETURN_IF_ERROR(staff.Bind(1, user).Bind(2, UtcNowIso8601(clock)).Run());
  RETURN_IF_ERROR(WriteOwnSite(db, *b.site, UtcNowIso8601(clock)));
  return AppendAudit(db, clock, user, "terminal.init", "",
                     {{"terminal_id", b.terminal_id}, {"site_id", b.site_id}});
}

// Leaves no half-made store behind: the directory may be retried.
void RemovePartialStore(const std::string& dir) {
  std::remove((dir + kDbFile).c_str());
  std::remove((dir + kDbFile + "-wal").c_str());
  std::remove((dir + kDbFile + "-shm").c_str());
  std::remove((dir + "/keys.json").c_str());
}

}  // namespace

Status TerminalStore::Initialize(const std::string& dir, const json& bundle,
                                 const std::string& user, const std::string& passphrase,
                                 const platform::Clock& clock) {
  RETURN_IF_ERROR(ValidUser(user));
  RETURN_IF_ERROR(ValidPassphrase(passphrase));
  // Check the whole bundle before writing anything.
  ASSIGN_OR_RETURN(EnrolmentBundle b, ReadBundleFields(bundle));
  RETURN_IF_ERROR(CheckBundleKeys(bundle, b));

  RETURN_IF_ERROR(platform::EnsurePrivateDirectory(dir));
  if (platform::FileExists(dir + kDbFile)) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr("该目录已有终端数据：" + dir, "a terminal store already exists in " + dir));
  }
  ASSIGN_OR_RETURN(SecretBytes key, StoreKeys::Create(dir, user, passphrase));
  auto created = [&]() -> Status {
    ASSIGN_OR_RETURN(Database db, Database::Open(dir + kDbFile, key, /*create=*/true));
    RETURN_IF_ERROR(schema::Migrate(db, schema::TerminalMigrationFiles()));
    RETURN_IF_ERROR(RefreshNameKeysIfStale(db));  // no children yet: marks the name keys current
    TerminalStore store(std::move(db), user, b.terminal_id, clock);
    ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db_));
    for (const auto& [k, v] : InitialMeta(bundle, b, clock))
      RETURN_IF_ERROR(store.SetMetaValue(k, v));
    RETURN_IF_ERROR(WriteBundleSecrets(store.db_, bundle, b));
    RETURN_IF_ERROR(WriteFirstSupervisorAndSite(store.db_, b, user, clock));
    return tx.Commit();
  }();
  WipeString(b.tls_key);
  WipeString(b.signing_key);
  if (!created.ok()) RemovePartialStore(dir);
  return created;
}

Result<std::unique_ptr<TerminalStore>> TerminalStore::Open(const std::string& dir,
                                                           const std::string& user,
                                                           const std::string& passphrase,
                                                           const platform::Clock& clock) {
  RETURN_IF_ERROR(ValidUser(user));
  ASSIGN_OR_RETURN(SecretBytes key, StoreKeys::Unlock(dir, user, passphrase));
  ASSIGN_OR_RETURN(Database db, Database::Open(dir + kDbFile, key, /*create=*/false));
  RETURN_IF_ERROR(schema::Migrate(db, schema::TerminalMigrationFiles()));
  RETURN_IF_ERROR(RefreshNameKeysIfStale(db));
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT value FROM meta WHERE key = 'terminal_id'"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据缺少终端编号", "the terminal store has no terminal id"));
  std::string terminal_id = st.ColumnText(0);
  auto store =
      std::unique_ptr<TerminalStore>(new TerminalStore(std::move(db), user, terminal_id, clock));
  store->dir_ = dir;
  store->store_key_ = std::move(key);
  RETURN_IF_ERROR(store->LoadRole());
  return store;
}

Result<std::string> TerminalStore::Meta(const std::string& key) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status(ErrorCode::kNotFound, Tr("未设置 " + key, key + " is not set"));
  return st.ColumnText(0);
}

Status TerminalStore::SetMetaValue(const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("INSERT INTO meta(key, value) VALUES (?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return st.Bind(1, key).Bind(2, value).Run();
}

Result<uint64_t> TerminalStore::MetaNumber(const std::string& key) {
  ASSIGN_OR_RETURN(std::string text, Meta(key));
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) {
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据中的 " + key + " 不是一个数：" + text,
                     "the terminal store's " + key + " is not a number: " + text));
  }
  return value;
}

Result<uint64_t> TerminalStore::NextHlc() {
  ASSIGN_OR_RETURN(uint64_t last, MetaNumber("hlc"));
  HybridClock clock(last);
  uint64_t now = clock.Now(HybridClock::PhysicalNowMs(*clock_));
  RETURN_IF_ERROR(SetMetaValue("hlc", std::to_string(now)));
  return now;
}

Result<CardCredentials> TerminalStore::LoadCardCredentials() {
  CardCredentials creds;
  creds.terminal_id = terminal_id_;
  creds.clock = clock_;
  ASSIGN_OR_RETURN(Statement key_st, db_.Prepare("SELECT name, value FROM secrets"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, key_st.Step());
    if (!row) break;
    std::string name = key_st.ColumnText(0);
    SecretBytes value(key_st.ColumnBlob(1));
    if (name == "card_signing_key") {
      ASSIGN_OR_RETURN(creds.signing_key, EcKey::FromPrivatePem(StringOf(value)));
    } else if (name.starts_with("card_data_key:")) {
      creds.data_keys[static_cast<uint32_t>(std::stoul(name.substr(14)))] = std::move(value);
    }
  }
  ASSIGN_OR_RETURN(std::string signer, Meta("card_signer_certificate"));
  ASSIGN_OR_RETURN(creds.signer_certificate, Base64Decode(signer));
  ASSIGN_OR_RETURN(std::string root, Meta("card_root_public"));
  ASSIGN_OR_RETURN(Bytes root_point, Base64Decode(root));
  ASSIGN_OR_RETURN(creds.root_public, EcKey::FromPublicPoint(root_point));
  ASSIGN_OR_RETURN(std::string version, Meta("card_data_key_version"));
  creds.current_data_key_version = static_cast<uint32_t>(std::stoul(version));
  return creds;
}

Result<SyncEndpoint> TerminalStore::LoadSyncEndpoint(const std::string& server_override) {
  SyncEndpoint ep;
  std::string address = server_override;
  if (address.empty()) {
    ASSIGN_OR_RETURN(address, Meta("server"));
  }
  auto colon = address.rfind(':');
  int port = 0;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(address.substr(colon + 1));
    } catch (...) {
      port = 0;
    }
  }
  if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("服务器地址无效：" + address + "（应为 主机:端口）",
                     "invalid server address: " + address + " (expected host:port)"));
  }
  ep.host = address.substr(0, colon);
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']')
    ep.host = ep.host.substr(1, ep.host.size() - 2);
  ep.port = static_cast<uint16_t>(port);
  ep.terminal_id = terminal_id_;
  ASSIGN_OR_RETURN(ep.ca_cert_pem, Meta("ca_certificate"));
  ASSIGN_OR_RETURN(ep.cert_pem, Meta("tls_certificate"));
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM secrets WHERE name = 'tls_key'"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据缺少 TLS 私钥", "the terminal store has no TLS key"));
  ep.key_pem = StringOf(SecretBytes(st.ColumnBlob(0)));
  return ep;
}

Status TerminalStore::AuditSync(const SyncReport& report) {
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, "sync", "",
                              {{"pushed", report.pushed}, {"pulled", report.pulled}}));
  return tx.Commit();
}

Result<AuditReport> TerminalStore::VerifyAuditLog() { return VerifyAudit(db_); }

Result<std::vector<wire::Event>> TerminalStore::PendingEvents(size_t max, uint64_t after_seq) {
  // Each child event goes with the child's card as last read here, if any (sync.md, "Who may
  // change a child"): the server looks at it only for a child outside this site's scope.
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "SELECT o.seq, o.hlc, o.type, o.child_id, o.payload, p.serial, p.sealed_record "
          "FROM outbox o LEFT JOIN card_proofs p ON p.child_id = o.child_id "
          "AND o.type IN ('child.upsert', 'card.revoke') WHERE o.seq > ? ORDER BY o.seq LIMIT ?"));
  st.Bind(1, static_cast<int64_t>(after_seq)).Bind(2, static_cast<int64_t>(max));
  std::vector<wire::Event> events;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    wire::Event e;
    e.set_terminal_id(terminal_id_);
    e.set_seq(static_cast<uint64_t>(st.ColumnInt(0)));
    e.set_hlc(static_cast<uint64_t>(st.ColumnInt(1)));
    e.set_type(st.ColumnText(2));
    e.set_child_id(st.ColumnText(3));
    e.set_payload(st.ColumnText(4));
    if (!st.ColumnIsNull(5)) {
      e.mutable_card_proof()->set_serial(ToString(st.ColumnBlob(5)));
      e.mutable_card_proof()->set_sealed_record(ToString(st.ColumnBlob(6)));
    }
    events.push_back(std::move(e));
  }
  return events;
}

Status TerminalStore::Acknowledge(uint64_t acked_seq) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM outbox WHERE seq <= ?"));
  return st.Bind(1, static_cast<int64_t>(acked_seq)).Run();
}

Status TerminalStore::SetAsideRefused(const std::vector<wire::EventRefusal>& refused) {
  if (refused.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(
      Statement move,
      db_.Prepare(
          "INSERT OR IGNORE INTO refused_events(seq, hlc, type, child_id, payload, code, message, "
          "refused_at) SELECT seq, hlc, type, child_id, payload, ?, ?, ? FROM outbox WHERE seq = "
          "?"));
  ASSIGN_OR_RETURN(Statement drop, db_.Prepare("DELETE FROM outbox WHERE seq = ?"));
  const std::string now = UtcNowIso8601(*clock_);
  for (const wire::EventRefusal& r : refused) {
    const auto seq = static_cast<int64_t>(r.seq());
    RETURN_IF_ERROR(move.Reset());
    RETURN_IF_ERROR(move.Bind(1, r.code()).Bind(2, r.message()).Bind(3, now).Bind(4, seq).Run());
    RETURN_IF_ERROR(drop.Reset());
    RETURN_IF_ERROR(drop.Bind(1, seq).Run());
    // The audit names the event and the reason's code, not the server's sentence (which may quote
    // a value of the record).
    RETURN_IF_ERROR(AppendAudit(db_, *clock_, user_, "sync.event_refused", "",
                                {{"seq", r.seq()}, {"code", r.code()}}));
  }
  return tx.Commit();
}

Result<uint64_t> TerminalStore::PullCursor() { return MetaNumber("pull_cursor"); }

}  // namespace onecard::terminal
