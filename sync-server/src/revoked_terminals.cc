#include "revoked_terminals.h"

namespace onecard::server {

bool RevokedTerminals::Contains(std::string_view terminal_id) const {
  std::lock_guard lock(mu_);
  return ids_->find(terminal_id) != ids_->end();
}

std::vector<std::string> RevokedTerminals::Replace(const std::vector<std::string>& terminal_ids) {
  auto next = std::make_shared<const std::set<std::string, std::less<>>>(terminal_ids.begin(),
                                                                         terminal_ids.end());
  std::vector<std::string> added;
  std::lock_guard lock(mu_);
  for (const std::string& id : *next) {
    if (ids_->find(id) == ids_->end()) added.push_back(id);
  }
  ids_ = std::move(next);
  return added;
}

size_t RevokedTerminals::size() const {
  std::lock_guard lock(mu_);
  return ids_->size();
}

}  // namespace onecard::server
