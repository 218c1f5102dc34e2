// Rendering of the identity review for the terminal's screen and for `--json`, in the user's
// language (onecard-terminal review list|merge|separate|unmerge, show).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {

// [{"a", "b", "score", "reasons": [text per reason], "reasons_text", "records": [a's, b's]}], in
// the order given (the server's `review list --json` has the same shape).
nlohmann::ordered_json IdentityReviewJson(const std::vector<IdentityReviewPair>& pairs);

// Per pair: a line with both ids, the score and the reasons, then one line per record (id, name,
// sex, birth date, hukou and residence areas). A line saying the queue is empty when it is.
std::string IdentityReviewText(const std::vector<IdentityReviewPair>& pairs);

// "同一儿童的其他登记：X、Y" / "also registered as: X, Y" and a newline; "" when `others` is empty.
std::string SameChildText(const std::vector<std::string>& others);
// The line of `show` for IdentityRepository::MoveOf's answer ("" when null): "已迁出，现在 440306
// 宝安区" / "moved out, now in 440306 宝安区", "从 321324 泗洪县 迁入" / "moved in from 321324
// 泗洪县".
std::string MoveText(const nlohmann::json& move);

// The confirmation of a decision, saying that it takes effect at the server with the next sync.
std::string IdentityDecisionText(const std::string& decision, const std::string& a,
                                 const std::string& b);

}  // namespace onecard::terminal
