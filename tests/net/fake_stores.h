// In-memory stand-ins for the server's SyncStore and the terminal's SyncLocalStore, so the
// transport can be tested over real TLS without databases. Both follow the contracts of the real
// interfaces (idempotent ingest, gap-free acked_seq, cursor paging, scoped pull) and add counters
// and fault injection for tests.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "onecard/protocol/event_types.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/server/sync_store.h"
#include "onecard/terminal/sync_client.h"

namespace onecard::testing {

// Thread-safe, as SyncStore requires. A child's snapshot is the payload of its latest event; its
// area is the area of the site that sent it (a terminal pulls what its own area's sites pushed).
class FakeSyncStore : public server::SyncStore {
 public:
  void AddTerminal(const std::string& terminal_id, const std::string& site_id,
                   const std::string& area, bool revoked = false) {
    std::lock_guard lock(mu_);
    terminals_[terminal_id] = server::TerminalInfo{terminal_id, site_id, area, revoked};
  }
  void Revoke(const std::string& terminal_id) {
    std::lock_guard lock(mu_);
    terminals_.at(terminal_id).revoked = true;
  }

  Result<server::TerminalInfo> FindTerminal(const std::string& terminal_id) override {
    std::lock_guard lock(mu_);
    auto it = terminals_.find(terminal_id);
    if (it == terminals_.end()) return Status(ErrorCode::kNotFound, "no terminal " + terminal_id);
    return it->second;
  }

  Result<std::vector<std::string>> RevokedTerminalIds() override {
    std::lock_guard lock(mu_);
    ++revoked_ids_calls;
    std::vector<std::string> ids;
    for (const auto& [id, info] : terminals_) {
      if (info.revoked) ids.push_back(id);
    }
    return ids;
  }

  Result<uint64_t> Ingest(const std::string& terminal_id,
                          const std::vector<wire::Event>& events) override {
    if (ingest_delay.load() > std::chrono::milliseconds::zero())
      std::this_thread::sleep_for(ingest_delay.load());
    std::lock_guard lock(mu_);
    ++ingest_calls;
    for (const wire::Event& e : events) {
      if (e.terminal_id() != terminal_id || e.seq() == 0) {
        return Status(ErrorCode::kInvalidArgument, "event " + e.terminal_id() + "/" +
                                                       std::to_string(e.seq()) +
                                                       " does not belong to " + terminal_id);
      }
    }
    const std::string area = terminals_.at(terminal_id).area;
    for (const wire::Event& e : events) {
      if (!events_.emplace(std::make_pair(terminal_id, e.seq()), e).second) continue;  // duplicate
      Child& child = children_[e.child_id()];
      child.area = area;
      // The child's state as the legacy payload, whichever form the event came in.
      wire::Event legacy = e;
      (void)ToLegacy(legacy);
      child.state = legacy.payload();
      child.change = ++clock_;
    }
    uint64_t& acked = contiguous_[terminal_id];
    while (events_.count({terminal_id, acked + 1}) > 0) ++acked;
    if (fail_after_commit > 0) {
      --fail_after_commit;
      return Status(ErrorCode::kUnavailable, "injected: committed, then the reply was lost");
    }
    return acked;
  }

  Result<wire::PullPage> Pull(const server::PullScope& scope, uint64_t cursor,
                              uint32_t max_items) override {
    const std::string& site_area = scope.area;
    std::lock_guard lock(mu_);
    ++pull_calls;
    largest_max_items = std::max(largest_max_items.load(), max_items);
    std::vector<std::pair<uint64_t, std::string>> changed;  // (change, child_id)
    for (const auto& [id, child] : children_) {
      if (child.area == site_area && child.change > cursor) changed.emplace_back(child.change, id);
    }
    std::sort(changed.begin(), changed.end());
    wire::PullPage page;
    page.set_next_cursor(cursor);
    for (size_t i = 0; i < changed.size() && i < max_items; ++i) {
      wire::ChildSnapshot* snapshot = page.add_children();
      snapshot->set_child_id(changed[i].second);
      snapshot->set_state(children_.at(changed[i].second).state);
      page.set_next_cursor(changed[i].first);
    }
    page.set_more(changed.size() > max_items);
    if (const int64_t stuck = stuck_next_cursor.load(); stuck >= 0) {
      page.set_next_cursor(static_cast<uint64_t>(stuck));
      page.set_more(true);
    }
    return page;
  }

  size_t stored_events() {
    std::lock_guard lock(mu_);
    return events_.size();
  }
  size_t children() {
    std::lock_guard lock(mu_);
    return children_.size();
  }

  // When >= 0, every page says `more` and names this next_cursor (a broken server).
  std::atomic<int64_t> stuck_next_cursor{-1};
  std::atomic<int> fail_after_commit{0};  // next N Ingest calls commit, then report kUnavailable
  std::atomic<std::chrono::milliseconds> ingest_delay{
      std::chrono::milliseconds::zero()};  // a slow commit
  std::atomic<int> ingest_calls{0};
  std::atomic<int> pull_calls{0};
  std::atomic<int> revoked_ids_calls{0};  // RevokedTerminalIds calls (the service's reloads)
  std::atomic<uint32_t> largest_max_items{0};

 private:
  struct Child {
    std::string area;
    std::string state;
    uint64_t change = 0;
  };
  std::mutex mu_;
  std::map<std::string, server::TerminalInfo> terminals_;
  std::map<std::pair<std::string, uint64_t>, wire::Event> events_;
  std::map<std::string, Child> children_;
  std::map<std::string, uint64_t> contiguous_;  // per terminal: highest seq stored without a gap
  uint64_t clock_ = 0;
};

// A terminal's outbox and pulled children in memory.
class FakeLocalStore : public terminal::SyncLocalStore {
 public:
  // `count` child.upsert events seq first_seq.. for children "<child_prefix>-<seq>".
  void AddEvents(const std::string& terminal_id, uint64_t first_seq, size_t count,
                 const std::string& child_prefix, size_t payload_bytes = 0) {
    for (size_t i = 0; i < count; ++i) {
      uint64_t seq = first_seq + i;
      wire::Event e;
      e.set_terminal_id(terminal_id);
      e.set_seq(seq);
      e.set_hlc((uint64_t{1700000000000} + seq) << 16);
      e.set_type(std::string(event_type::kChildUpsert));
      std::string child_id = child_prefix + "-" + std::to_string(seq);
      e.set_child_id(child_id);
      // The padding is a field's value, so that it travels in the typed form too (version 3).
      const std::string pad =
          payload_bytes == 0 ? "" : R"(,"note":")" + std::string(payload_bytes, 'x') + "\"";
      e.set_payload(R"({"child_id":")" + child_id + R"(","fields":{"name":"张三")" + pad + "}}");
      outbox.push_back(e);
    }
  }

  Result<std::vector<wire::Event>> PendingEvents(size_t max, uint64_t after_seq = 0) override {
    std::vector<wire::Event> out;
    for (const wire::Event& e : outbox) {
      if (out.size() == max) break;
      if (e.seq() > after_seq) out.push_back(e);
    }
    return out;
  }
  Status Acknowledge(uint64_t acked_seq) override {
    ++acknowledgements;
    last_acked = acked_seq;
    if (ignore_acks) return Status::Ok();
    while (!outbox.empty() && outbox.front().seq() <= acked_seq) outbox.pop_front();
    return Status::Ok();
  }
  Status SetAsideRefused(const std::vector<wire::EventRefusal>& refused_events) override {
    for (const wire::EventRefusal& r : refused_events) {
      refused.push_back(r);
      std::erase_if(outbox, [&r](const wire::Event& e) { return e.seq() == r.seq(); });
    }
    return Status::Ok();
  }
  Result<uint64_t> PullCursor() override { return cursor; }
  Result<std::vector<terminal::PullSetAside>> ApplyPage(const wire::PullPage& page) override {
    ++pages_applied;
    for (const wire::ChildSnapshot& c : page.children()) children[c.child_id()] = c.state();
    cursor = page.next_cursor();
    return std::vector<terminal::PullSetAside>();
  }

  std::deque<wire::Event> outbox;  // in seq order
  uint64_t cursor = 0;
  std::map<std::string, std::string> children;
  std::vector<wire::EventRefusal> refused;  // set aside, as the server refused them
  bool ignore_acks = false;  // simulates a terminal that lost power before recording the ack
  int acknowledgements = 0;
  uint64_t last_acked = 0;
  int pages_applied = 0;
};

}  // namespace onecard::testing
