// The embedded server store: one SQLCipher file (server.db) in the data directory, keyed by a
// random 256-bit key kept in store.key (mode 0600) beside it. Implements SyncStore for the sync
// service, ReportStore for the reports (their SQL: counts.cc, referral_stats.cc, conflicts.cc,
// residence_history.cc, identity_store.cc) and AdminStore for setup and enrolment, AccountStore for
// the officials' accounts; holds sites, terminals, the CA and server keys, events and children's
// merged states. Callers other than the code that opens the store use those interfaces, never the
// database.
//
// Thread-safety: all methods may be called from any thread; they serialise on one connection.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/platform/clock.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/crypto.h"
#include "onecard/schema/database.h"
#include "onecard/server/account_store.h"
#include "onecard/server/admin_store.h"
#include "onecard/server/report_store.h"
#include "onecard/server/sync_store.h"

namespace onecard::server {

class StatsDelta;   // the statistics model's pending changes (stats_cube.h, private)
class RecordKeyer;  // record keys under the cell key secret (record_key.h, private)
struct StatsEntry;  // a counted record's place in the statistics (stats_cube.h)

// AreaScopePrefix (a site's scope): onecard/protocol/area_codes.h.

// The retention of `text` in whole years, 0 to kMaxRetentionYears (ageing_out.h); else
// kInvalidArgument naming the text (server_ageing_out.cc).
Result<int> ParseRetentionYears(std::string_view text);
// Who erased a record whose retention ended, as the erasures table names it.
inline constexpr char kAgedOutErasedBy[] = "retention";

class ServerStore : public SyncStore, public ReportStore, public AdminStore, public AccountStore {
 public:
  // Creates the data directory, store.key and an empty, migrated server.db. kAlreadyExists when a
  // store is already there.
  // `clock` stamps what the store writes and checks events' stamps; it must outlive the store.
  static Result<std::unique_ptr<ServerStore>> Create(
      const std::string& data_dir, const platform::Clock& clock = platform::SystemClock());
  ~ServerStore() override;
  // Opens an existing store (applying pending migrations). kFailedPrecondition when there is none.
  static Result<std::unique_ptr<ServerStore>> Open(
      const std::string& data_dir, const platform::Clock& clock = platform::SystemClock());
  const platform::Clock& clock() const override { return *clock_; }

  // AdminStore (server_store.cc).
  Status SetMeta(const std::string& key, const std::string& value) override;
  Result<std::string> GetMeta(const std::string& key) override;
  Status SetSecret(const std::string& name, const SecretBytes& value) override;
  Result<SecretBytes> GetSecret(const std::string& name) override;
  Status AddSite(const Site& site) override;
  Result<Site> FindSite(const std::string& site_id) override;
  Status AddTerminal(const std::string& terminal_id, const std::string& site_id) override;
  Status RevokeTerminal(const std::string& terminal_id) override;
  Status EraseChild(const ErasureRequest& request) override;  // server_erasure.cc
  Status AppendServerAudit(const std::string& actor, const std::string& action,
                           const std::string& subject, const std::string& detail) override;
  Result<schema::AuditChainReport> VerifyServerAudit() override;  // server_audit.cc
  Result<int> RetentionYears() override;                          // server_ageing_out.cc
  Status SetRetentionYears(int years) override;                   // server_ageing_out.cc
  // Terminals' audit chains (server_terminal_audit.cc).
  Result<std::vector<TerminalAuditState>> TerminalAudits() override;
  Result<AuditReceipt> StoreTerminalAudit(const std::string& terminal_id,
                                          const std::vector<wire::AuditEntry>& entries) override;
  // server_coverage.cc.
  Status SetCoverageEstimate(const CoverageEstimate& estimate) override;

  // AccountStore (server_accounts.cc).
  Status AddAccount(const Account& account, const std::string& password_hash,
                    const SecretBytes& totp_secret) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<AccountCredentials> FindAccount(const std::string& user_name) override;
  Status SetDisabled(const std::string& user_name, bool disabled) override;
  Status SetPassword(const std::string& user_name, const std::string& password_hash) override;
  Status SetTotpSecret(const std::string& user_name, const SecretBytes& totp_secret) override;
  Status SaveSignInState(const std::string& user_name, const SignInState& state) override;
  Status CreateSession(const Bytes& token_hash, const std::string& user_name,
                       int64_t now_ms) override;
  Result<std::optional<ApiSession>> FindSession(const Bytes& token_hash) override;
  Status TouchSession(const Bytes& token_hash, int64_t now_ms) override;
  Status DeleteSession(const Bytes& token_hash) override;
  Status DeleteStaleSessions(int64_t idle_cutoff_ms, int64_t created_cutoff_ms) override;
  Status AppendApiAudit(const ApiAuditEntry& entry) override;
  Result<std::vector<ApiAuditEntry>> ApiAudit(const std::string& user_name, size_t newest) override;

  Result<TerminalInfo> FindTerminal(const std::string& terminal_id) override;
  Result<std::vector<std::string>> RevokedTerminalIds() override;
  Result<uint64_t> Ingest(const std::string& terminal_id,
                          const std::vector<wire::Event>& events) override;
  // One transaction for all batches (a savepoint each, so that a bad batch fails alone), one
  // durable commit (server_ingest.cc).
  void IngestGroup(std::vector<IngestBatch>& batches) override;
  // server_pull.cc: children, referrals, sites and revocations merged in change order.
  Result<wire::PullPage> Pull(const PullScope& scope, uint64_t cursor, uint32_t max_items) override;

  // One step of the identity refresh (identity_refresh_step.h), under the store's lock; when the
  // grouping is current, once a day, steps of erasing the records whose retention ended.
  Result<bool> RefreshInBackground() override;

  // How long a report (counts, flows, history, review) goes on bringing the identity grouping up
  // to date before it answers from the grouping as it is (default: until current). `serve` sets a
  // short limit: its background refresh does the rest, and an official never waits for a
  // province's first indexing. With a limit set, a report does not wait at all when more than a
  // thousand records wait to be indexed (a bulk load: the background refresh's work).
  void SetReportRefreshLimit(std::chrono::steady_clock::duration limit) {
    std::lock_guard lock(mu_);
    report_refresh_limit_ = limit;
  }

  // ReportStore (server_reports.cc): each under the store's lock, over the embedded SQL.
  Result<CountsReport> Counts(const CountsQuery& query) override;
  Result<ReferralStatsReport> ReferralStats(const ReferralStatsQuery& query) override;
  Result<ConflictsReport> Conflicts(const std::string& area_prefix) override;
  Result<ResidenceHistoryReport> ResidenceHistory(const std::string& child_id) override;
  Result<std::vector<ReviewQueueEntry>> ReviewQueue() override;
  Result<std::vector<DecisionLogEntry>> DecisionLog() override;
  Result<IdentityRefreshStats> RefreshIdentities(bool force) override;
  Status DecideIdentity(IdentityCommand command, const std::string& a, const std::string& b,
                        const std::string& who) override;
  // Flows (server_reports.cc); coverage estimates (server_coverage.cc).
  Result<FlowsReport> Flows(const FlowsQuery& query) override;
  Result<std::vector<CoverageEstimate>> CoverageEstimates(const std::string& area_prefix) override;

 private:
  // Tests and benchmarks that plant or inspect stored rows reach the database through it
  // (server_store_internals.h); nothing else may.
  friend class ServerStoreInternals;

  // `fn(db_)` under the store's lock.
  template <typename Fn>
  auto WithDatabase(Fn&& fn) {
    std::lock_guard lock(mu_);
    return fn(db_);
  }

  ServerStore(schema::Database db, const platform::Clock& clock);
  // Ingest internals (server_ingest.cc), called inside a transaction.
  // What one batch's events are judged against, read once per batch.
  struct TerminalIngestState {
    int64_t contiguous = 0;   // terminals.contiguous_seq before the batch
    int64_t max_settled = 0;  // the greatest seq of this terminal stored or refused
    std::string scope;        // AreaScopePrefix of the terminal's site area
  };
  // Checks batch.checked first when empty. Each event is ingested (IngestEventLocked) or, with
  // batch.refuse_singly, recorded as refused; any other failure fails the batch.
  Result<uint64_t> IngestBatchLocked(IngestBatch& batch);
  Result<TerminalIngestState> LoadTerminalIngestStateLocked(const std::string& terminal_id);
  // One event: a replay gets its first answer again; otherwise the store's checks, then the change.
  // Returns a refusal (kInvalidArgument, kPermissionDenied) or a store error.
  Status IngestEventLocked(const TerminalIngestState& terminal, const wire::Event& event,
                           CheckedEvent& checked, const std::string& received_at);
  // A "child.upsert" that passed CheckEvent (checked.upsert): who may change the child (sync.md,
  // "Who may change a child"), then the merge; its change is moved into the child's state.
  Status IngestUpsertLocked(const TerminalIngestState& terminal, const wire::Event& event,
                            CheckedEvent& checked, const std::string& received_at);
  // Advances terminals.contiguous_seq from `contiguous` over the batch's seqs and any settled
  // beyond them; returns it.
  // Writes a child's changed state (its row, profile and record key) and gathers its move in the
  // statistics' cells: out of `counted_as` (where it was counted, if anywhere), into its new cell
  // when `counted` (its person's current record, or new). `vaccination`: its vaccination status
  // on the statistics' date when already known (ProfileOf).
  Status SaveChildLocked(const ChildState& state, const std::optional<StatsEntry>& counted_as,
                         bool counted, const std::string& received_at,
                         const VaccinationOutlook* vaccination);
  Result<uint64_t> AdvanceContiguousLocked(const std::string& terminal_id, int64_t contiguous,
                                           const std::vector<wire::Event>& events);
  // Ok when the terminal may change the event's child as stored now (known to the server): in its
  // site scope, or with a verified card proof; else kPermissionDenied. Unknown children: Ok.
  Status CheckMayChangeChildLocked(const TerminalIngestState& terminal, const wire::Event& event);
  // Records a refusal in refused_events (replays get the same answer) and in batch.refused.
  Status RecordRefusalLocked(IngestBatch& batch, const wire::Event& event, const Status& refusal,
                             const std::string& received_at);
  // Whether the event (terminal_id, seq) is settled, and its answer then: Ok when stored, its
  // refusal when refused. (A struct, not std::optional<Status>: GCC 12 with -fsanitize=address
  // reports the optional's string as maybe-uninitialized, which -Werror turns into an error.)
  struct SettledAnswer {
    bool settled = false;
    Status answer;
  };
  Result<SettledAnswer> SettledAnswerLocked(const std::string& terminal_id, uint64_t seq);
  // Card proofs (server_card_proof.cc): Ok when the event presents a verified card of its child
  // that is not revoked, signed by another terminal or being the card the server knows as the
  // child's (`stored_card_serial`, "" when none); else kPermissionDenied saying why.
  Status CheckCardProofLocked(const wire::Event& event, const std::string& stored_card_serial);
  Status LoadCardKeysLocked();
  // The events table, every event once per (terminal_id, seq) (server_ingest.cc). Stores `event`
  // unless it is stored already: true when stored now, false for a replay. Kept in the legacy form
  // (type + canonical JSON payload; checked.stored_payload for an event that came typed).
  Result<bool> StoreEventLocked(const std::string& terminal_id, const wire::Event& event,
                                const CheckedEvent& checked, const std::string& received_at);
  // True when the event (terminal_id, seq) is settled: stored or refused.
  Result<bool> EventSettledLocked(const std::string& terminal_id, uint64_t seq);
  // A prepared statement for `sql`, kept for the store's lifetime and reset before it is returned.
  Result<schema::Statement*> CachedLocked(std::string_view sql);
  Status SetMetaLocked(const std::string& key, const std::string& value);
  Result<std::string> GetMetaLocked(const std::string& key);
  Result<SecretBytes> GetSecretLocked(const std::string& name);
  // Runs `sql` (binding the account's name last, after `bind` bound the rest) and then ends the
  // account's sessions, in one transaction; kNotFound when no account has that name
  // (server_accounts.cc).
  Status UpdateAccountLocked(std::string_view sql, const std::string& user_name,
                             const std::function<void(schema::Statement&)>& bind);

  // Record keys for the counts' cell key perturbation (server_record_keys.cc, record_key.h).
  // The secret "cell_key_secret", made on first use when the store has none, then kept here.
  Result<const SecretBytes*> CellKeySecretLocked();
  // Record keys under that secret, its HMAC key prepared on first use and kept with it.
  Result<const RecordKeyer*> RecordKeyerLocked();
  // Keys every child stored without a record key (inside the caller's transaction); run by
  // BringStatsLocked.
  Status KeyChildrenLocked();
  // Keys the moves stored without a key (back-filled by migration 015; server_moves.cc).
  Status KeyMovesLocked();
  // Records the move of `event`'s child from residence `from` to `to` (moves.h) when both are
  // set and differ: at ingest, when the merged state's residence changed (server_moves.cc).
  Status RecordMoveLocked(const wire::Event& event, const std::string& from, const std::string& to);
  // SetSecret of "cell_key_secret": kFailedPrecondition once a child is stored (a new secret would
  // publish a second, independent perturbation of every table); else forgets the cached one.
  Status CheckCellKeySecretChangeLocked();

  // One item of a pull page: its number in the change sequence and how it is added to a page.
  struct PullItem {
    int64_t seq;
    std::function<void(wire::PullPage&)> add;
  };
  // Each appends to `items` at most `limit` of its items numbered after `cursor`, oldest first
  // (server_pull.cc; revocations in server_revocations.cc).
  Status LoadChildrenLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                            std::vector<PullItem>& items);
  Status LoadReferralsLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                             std::vector<PullItem>& items);
  Status LoadSitesLocked(uint64_t cursor, uint32_t limit, std::vector<PullItem>& items);
  Status LoadRevocationsLocked(uint64_t cursor, uint32_t limit, std::vector<PullItem>& items);
  // Identity review pairs and persons that concern the site (server_identity_sync.cc).
  Status LoadIdentityReviewLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                                  std::vector<PullItem>& items);
  Status LoadPersonsLocked(const PullScope& scope, uint64_t cursor, uint32_t limit,
                           std::vector<PullItem>& items);
  // Before a pull page: brings the identity grouping up to date when few children or decisions
  // changed since the last refresh (server_identity_sync.cc).
  Status RefreshIdentitiesForPullLocked();
  // Before a report: refresh steps as SetReportRefreshLimit says (server_reports.cc).
  Status RefreshIdentitiesForReport();
  // Refresh steps, each under the store's lock, until the grouping is current or `limit` has
  // passed (server_reports.cc).
  Result<IdentityRefreshStats> RefreshIdentitiesInSteps(std::chrono::steady_clock::duration limit);
  // Identity decisions from terminals (server_identity_sync.cc): stores an "identity.decision"
  // event (idempotent like IngestUpsertLocked) in identity_decisions; the next refresh applies it.
  // The decision is checked.body's IdentityDecisionEvent.
  Status IngestIdentityDecisionLocked(const std::string& terminal_id, const wire::Event& event,
                                      const CheckedEvent& checked, const std::string& received_at);

  // Referrals (server_referrals.cc): stores a "referral.create" or "referral.status" event
  // (idempotent like IngestUpsertLocked) and merges it into the referral, which takes
  // next_change_seq_.
  // The change is checked.body's Referral (a create) or ReferralStatusChange.
  Status IngestReferralLocked(const std::string& terminal_id, const wire::Event& event,
                              const CheckedEvent& checked, const std::string& received_at);

  // Revocations (server_revocations.cc). The next number of the change sequence shared by
  // children, revocations, referrals and sites (the pull cursor).
  Result<int64_t> NextChangeSeqLocked();
  // Stores a "card.revoke" event (idempotent like IngestUpsertLocked) and the card's revocation.
  // The revocation is checked.body's CardRevokeEvent.
  Status IngestCardRevocationLocked(const TerminalIngestState& terminal, const wire::Event& event,
                                    const CheckedEvent& checked);
  // Erasure (server_erasure.cc). A "child.erase" event: checked, stored, and the child erased.
  Status IngestChildEraseLocked(const TerminalIngestState& terminal, const wire::Event& event,
                                const CheckedEvent& checked, const std::string& received_at);
  // Erases `child_id`'s personal data inside the open transaction, its statistics' change added
  // to `delta`; nothing when it was erased before.
  Status EraseChildLocked(const std::string& child_id, std::string_view reason,
                          const std::string& by, int64_t erased_at_ms, StatsDelta& delta);
  // kFailedPrecondition, naming the erasure, when `event` concerns an erased child (its child_id,
  // or an identity decision's other child). A revocation of a card is let through: it only
  // takes a card out of use.
  Status RefuseIfErasedLocked(const wire::Event& event, const CheckedEvent& checked);
  // After a commit that erased: the WAL checkpointed and truncated, so that no old page of the
  // child stays in it (tried again after the next commit when readers hold it).
  void CheckpointAfterErasureLocked();
  Status LoadErasuresLocked(uint64_t cursor, uint32_t limit, std::vector<PullItem>& items);
  // Ageing out (server_ageing_out.cc). The retention setting; erasing at most `limit` records
  // whose retention ended by today in one transaction (returns how many); and the background
  // step: nothing when today's erasing is done, else one EraseAgedOutLocked (true when it erased).
  Result<int> RetentionYearsLocked();
  Result<size_t> EraseAgedOutLocked(size_t limit);
  Result<bool> EraseAgedOutStepLocked();
  // Records a terminal's revocation (already marked in `terminals`) in the revocation list.
  Status RecordTerminalRevocationLocked(const std::string& terminal_id);
  // Keys unkeyed children and brings the statistics model to today (stats_cube.h BringStatsTo),
  // in a transaction of its own unless one is open. Returns the statistics' date.
  Result<CivilDate> BringStatsLocked();

  const platform::Clock* clock_;
  std::mutex mu_;
  schema::Database db_;
  // Declared after db_: destroyed (finalized) before the connection closes.
  std::map<std::string, schema::Statement, std::less<>> statements_;
  // The next number of the change sequence, valid inside an ingest transaction only (loaded at its
  // start with NextChangeSeqLocked, under the write lock, so other processes' writes are seen).
  int64_t next_change_seq_ = 0;
  std::chrono::steady_clock::duration report_refresh_limit_ =
      std::chrono::steady_clock::duration::max();
  // Card proofs' keys (server_card_proof.cc), loaded on first use.
  bool card_keys_loaded_ = false;
  EcKey card_root_public_;
  std::map<uint32_t, SecretBytes> card_data_keys_;
  // The cell key secret, loaded (or made) on first use; empty until then.
  SecretBytes cell_key_secret_;
  std::unique_ptr<RecordKeyer>
      record_keyer_;  // null until RecordKeyerLocked, or the secret changes
  // Inside an ingest transaction: the statistics' date, the changes to their cells so far, and the
  // receipt time of the newest child change (empty when none).
  CivilDate stats_date_;
  std::unique_ptr<StatsDelta> stats_delta_;
  std::string stats_as_of_;
  // A transaction erased a child since the WAL was last truncated (CheckpointAfterErasureLocked).
  bool erased_since_checkpoint_ = false;
  // The day in China on which no record was left due for ageing-out erasure (none yet).
  std::optional<CivilDate> aged_out_done_on_;
};

}  // namespace onecard::server
